package dev.jattr.cli;

import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.LayerGradientShap;
import dev.jattr.attr.MethodArguments;
import dev.jattr.attr.MethodRegistry;
import dev.jattr.attr.ModelRunner;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.Trace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A lower bound of the memory one attribution needs, known before it runs: one evaluation stacks
 * {@code atOnce} copies of the batch (path points, random samples or ablated copies), each holding
 * the layer's values and their gradient, and the run keeps {@code perPoint} bytes for each of its
 * {@code points} points (quadrature nodes and weights; SHAP's draws). A run whose bound exceeds
 * Java's memory is refused before it allocates, and one that runs out anyway gets the same
 * advice: the arguments to lower.
 *
 * @param method     the method
 * @param examples   the batch size
 * @param points     the points of the whole run (steps, samples, ablated copies; 1 for the others)
 * @param atOnce     the points one evaluation stacks
 * @param perPoint   bytes kept for each point of the run
 * @param layerSize  values of the layer per example (0 when unknown)
 * @param what       what a point is ("steps", "samples", "ablated copies")
 * @param lower      the arguments that make the run smaller
 */
record MemoryEstimate(MethodRegistry method, int examples, long points, long atOnce, long perPoint, long layerSize, String what,
        String lower) {
    /** Bytes of one value, at least (float32). */
    private static final long VALUE_BYTES = 4;

    /** The budget of {@code method} with its validated {@code args} on {@code in}, for the layer {@code values}. */
    static MemoryEstimate of(MethodRegistry method, MethodArguments args, Graph graph, AttributionInputs in, List<String> values) {
        int n = in.batchSize();
        return switch (method) {
            case LAYER_INTEGRATED_GRADIENTS, INTERNAL_INFLUENCE, LAYER_CONDUCTANCE -> {
                long steps = (long) args.between("n_steps", 1, dev.jattr.attr.PathBuilder.MAX_STEPS, 50) + (method == MethodRegistry.LAYER_CONDUCTANCE ? 1 : 0);
                int batch = args.positive("internal_batch_size", 0);
                // without internal_batch_size the chunks follow the memory budget, from one step up
                long chunk = batch == 0 ? 1 : Math.min(steps, Math.max(1, batch / n));
                yield new MemoryEstimate(method, n, steps, chunk, 2 * Double.BYTES, layerSize(graph, in, values), "steps",
                        "--internal-batch-size or --n-steps");
            }
            case LAYER_GRADIENT_SHAP -> {
                long samples = args.between("n_samples", 1, LayerGradientShap.MAX_SAMPLES, 5);
                long chunk = Math.max(1, Math.min(samples, LayerGradientShap.ROWS_PER_PASS / n));
                yield new MemoryEstimate(method, n, samples, chunk, (2L * Double.BYTES + Integer.BYTES) * n,
                        layerSize(graph, in, values), "samples", "--n-samples");
            }
            case LAYER_FEATURE_ABLATION -> {
                long layer = layerSize(graph, in, values);
                long copies = Math.min(args.positive("perturbations_per_eval", 1), Math.max(1, layer));
                yield new MemoryEstimate(method, n, copies, copies, 0, layer, "ablated copies", "--arg perturbations_per_eval");
            }
            default -> new MemoryEstimate(method, n, 1, 1, 0, 0, "", "");
        };
    }

    /**
     * Values of the layer per example: from shape inference at batch 1 where it decides every
     * layer value, else from a run on the first example; 0 when that run fails (the attribution
     * will say why).
     */
    private static long layerSize(Graph graph, AttributionInputs in, List<String> values) {
        try {
            int n = in.batchSize();
            Map<String, Tensor> first = new LinkedHashMap<>();
            new ModelRunner(graph).feeds(in).forEach((k, t) -> first.put(k, t.rank() > 0 && t.dim(0) == n ? Tensors.rows(t, 0, 1) : t));
            Map<String, int[]> shapes = new LinkedHashMap<>();
            first.forEach((k, t) -> shapes.put(k, t.shape()));
            Map<String, Tensor> inferred = dev.jattr.graph.ShapeInference.infer(graph, shapes);
            if (values.stream().allMatch(inferred::containsKey)) {
                return values.stream().mapToLong(v -> inferred.get(v).size()).sum();
            }
            Trace trace = new Executor(graph).run(first, values);
            return values.stream().mapToLong(v -> trace.value(v).size()).sum();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The bound in bytes (saturating at {@link Long#MAX_VALUE}). */
    long bytes() {
        long rows = multiply(atOnce, examples);
        return add(multiply(multiply(rows, layerSize), 2 * VALUE_BYTES), multiply(points, perPoint));
    }

    /** Fails with the advice when the bound exceeds {@code available} bytes or one evaluation would hold more values than a Java array can. */
    void require(long available) {
        long stacked = multiply(multiply(atOnce, examples), layerSize);
        if (perPoint > 0 && points > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(method.captumName() + " would keep " + points + " " + what
                    + " (their weights and positions), more than a Java array holds: lower " + lower);
        }
        if (stacked > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(method.captumName() + " would stack " + atOnce + " " + what + " × " + examples
                    + " examples × " + layerSize + " layer values in one evaluation, more than a Java array holds: lower " + lower);
        }
        if (bytes() > available) {
            throw new IllegalArgumentException(method.captumName() + " needs at least " + gib(bytes()) + " for " + points + " " + what
                    + " × " + examples + " examples (" + atOnce + " " + what + " at once), more than Java's " + gib(available)
                    + ": lower " + lower + ", or give Java more memory (JAVA_OPTS=-Xmx16g)");
        }
    }

    /** The message when the run ran out of memory anyway. */
    String outOfMemory() {
        return method.captumName() + " ran out of memory (Java may use " + gib(Runtime.getRuntime().maxMemory()) + ") on "
                + examples + " examples" + (lower.isEmpty() ? "" : " with " + points + " " + what + " (" + atOnce + " at once)")
                + ": give fewer examples" + (lower.isEmpty() ? "" : ", lower " + lower) + ", or give Java more memory (JAVA_OPTS=-Xmx16g)";
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    private static long multiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
