package dev.jattr.graph;

/**
 * Bounds on the memory and work one run may ask for, so that a model from a stranger fails with a
 * message naming the node instead of exhausting the heap or running forever. Each bound is read
 * from its system property when it is checked, so a caller can raise it for a model that needs more.
 */
public final class Limits {
    /** System property: the most elements one tensor may hold (default: a sixteenth of the heap, in elements). */
    public static final String TENSOR_ELEMENTS = "jattr.maxTensorElements";
    /** System property: the most iterations one Loop node may run (default {@value #DEFAULT_LOOP_ITERATIONS}). */
    public static final String LOOP_ITERATIONS = "jattr.maxLoopIterations";
    /** The default bound on a Loop's iterations. */
    public static final long DEFAULT_LOOP_ITERATIONS = 1_000_000;
    /** Java arrays hold at most a little under 2^31 elements. */
    private static final long ARRAY_MAX = Integer.MAX_VALUE - 8;

    private Limits() {}

    /**
     * The most elements one tensor may hold: {@value #TENSOR_ELEMENTS} if set, else a sixteenth of
     * the heap counted in elements (a float tensor of a quarter of the heap), never more than a Java array holds.
     */
    public static long maxTensorElements() {
        long fallback = Math.min(ARRAY_MAX, Runtime.getRuntime().maxMemory() / 16);
        return Math.min(ARRAY_MAX, Math.max(1, Long.getLong(TENSOR_ELEMENTS, fallback)));
    }

    /** The most iterations one Loop may run: {@value #LOOP_ITERATIONS} if set, else {@value #DEFAULT_LOOP_ITERATIONS}. */
    public static long maxLoopIterations() {
        return Math.max(1, Long.getLong(LOOP_ITERATIONS, DEFAULT_LOOP_ITERATIONS));
    }

    /**
     * Fails, before anything is allocated, when a tensor of shape {@code dims} would hold more than
     * {@link #maxTensorElements()} elements or has a negative dimension; returns its element count.
     */
    public static int checkAllocation(long[] dims) {
        long n = Shapes.elements(dims);
        long max = maxTensorElements();
        if (n > max) {
            throw new IllegalArgumentException("a tensor of shape " + java.util.Arrays.toString(dims) + " would hold "
                    + (n == Long.MAX_VALUE ? "2^63 or more" : String.valueOf(n)) + " elements, more than the limit of " + max
                    + " per tensor (raise it with -D" + TENSOR_ELEMENTS + "=N)");
        }
        return (int) n;
    }
}
