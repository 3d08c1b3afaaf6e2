package dev.jattr.attr;

import java.util.Locale;

/**
 * How much heap one evaluation of a method's points (path steps, samples) may use. When a method's
 * {@code internal_batch_size} is not given, jattr sizes its chunks of points from this budget and
 * the memory one point was measured to need, so that the default never runs out of memory and the
 * peak does not grow with {@code n_steps} or {@code n_samples}. Results do not depend on the
 * chunking: each point's gradient is added to the sums in the same order.
 *
 * @param bytes the most bytes the values and gradients of one evaluation may hold (positive)
 */
public record MemoryBudget(long bytes) {
    /**
     * The share of the maximum heap one evaluation may use by default. The rest holds the model,
     * the runs of the inputs and baselines, the sums, and the garbage of earlier evaluations until
     * it is collected, which the heap's peak counts too.
     */
    public static final double DEFAULT_HEAP_FRACTION = 0.08;

    /** The system property that sets the default budget: a fraction of the heap ({@code 0.3}) or a size ({@code 512m}, {@code 2g}). */
    public static final String PROPERTY = "jattr.memory.budget";

    /**
     * How many bytes the values of one forward run are multiplied by to cover its gradients and
     * the kernels' temporaries (values and gradients are both kept until the backward pass ends).
     */
    static final int BYTES_PER_VALUE_BYTE = 3;

    /** Validates the size. */
    public MemoryBudget {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a memory budget must be positive, got " + bytes + " bytes");
        }
    }

    /** A fraction of the maximum heap ({@code Runtime.maxMemory()}). */
    public static MemoryBudget ofHeapFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("a memory budget's heap fraction must be in (0, 1], got " + fraction);
        }
        return new MemoryBudget(Math.max(1, (long) (Runtime.getRuntime().maxMemory() * fraction)));
    }

    /** The default: the system property {@value #PROPERTY} if set, else {@value #DEFAULT_HEAP_FRACTION} of the heap. */
    public static MemoryBudget defaultBudget() {
        String p = System.getProperty(PROPERTY);
        return p == null || p.isBlank() ? ofHeapFraction(DEFAULT_HEAP_FRACTION) : parse(p);
    }

    /** Parses {@code 0.3} (a fraction of the heap), {@code 1048576}, {@code 512k}, {@code 512m} or {@code 2g}. */
    public static MemoryBudget parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("0.") || t.equals("1.0")) {
                return ofHeapFraction(Double.parseDouble(t));
            }
            long unit = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1;
            };
            String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
            if (!digits.matches("\\d{1,15}")) {
                throw new NumberFormatException();
            }
            return new MemoryBudget(Math.multiplyExact(Long.parseLong(digits), unit));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("memory budget '" + text + "' is neither a heap fraction such as 0.3 nor a size such as 512m or 2g");
        }
    }

    /**
     * The number of points one evaluation may hold: the budget over the bytes one point needs,
     * at least {@code minimum} and at most {@code total}.
     */
    int points(long bytesPerPoint, int minimum, int total) {
        long fit = bytes / Math.max(1, bytesPerPoint);
        return (int) Math.max(minimum, Math.min(total, fit));
    }
}
