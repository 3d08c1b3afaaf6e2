package dev.jattr.batch;

import dev.jattr.attr.Attribution;
import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.LayerMethod;
import dev.jattr.attr.ModelRunner;
import dev.jattr.attr.Target;
import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ValueInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Attributes batches of examples with one method: the examples of a call are stacked along the
 * batch dimension, so that they share the method's internal batches, and each result row is cut
 * back out. A method that draws random numbers runs once per example, seeded from the run's seed
 * and the example's id, so that an example's values depend neither on its batch nor on the order of
 * the dataset. Not thread-safe: use one per thread (the graph may be shared).
 */
public final class DatasetAttributor {
    private final Graph graph;
    private final MethodSpec spec;
    private final ValueInfo input;
    private final ModelRunner runner;
    private final LayerMethod method;
    private final String value;

    /** The attributor of {@code spec} over {@code graph}; fails on a model of several inputs or a layer of several tensors. */
    public DatasetAttributor(Graph graph, MethodSpec spec) {
        this.graph = graph;
        this.spec = spec;
        List<ValueInfo> inputs = graph.inputs();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("the model has " + inputs.size() + " inputs " + inputs.stream().map(ValueInfo::name).toList()
                    + "; dataset attribution feeds models of one input");
        }
        this.input = inputs.getFirst();
        this.method = spec.registry().create(graph, spec.arguments(spec.registry().draws() ? spec.seed() : null));
        this.runner = spec.modelOutput() == null ? new ModelRunner(graph) : new ModelRunner(graph, spec.modelOutput());
        List<String> values = method.layers().stream().flatMap(l -> l.values().stream()).toList();
        if (values.size() != 1) {
            throw new IllegalArgumentException("layer '" + spec.layer() + "' stands for " + values.size() + " tensors " + values
                    + "; dataset attribution writes one: name one of them");
        }
        this.value = values.getFirst();
    }

    /** The attributed tensor (the layer's value). */
    public String value() {
        return value;
    }

    /** The method spec. */
    public MethodSpec spec() {
        return spec;
    }

    /** Attributes {@code examples} (of one shape) in one stacked call; the results are in the same order. */
    public List<ExampleResult> attribute(List<Example> examples) {
        if (examples.isEmpty()) {
            return List.of();
        }
        Tensor x = stack(examples);
        Tensor output = runner.run(Map.of(input.name(), x), List.of()).value(runner.output());
        Integer[] predictions = predictions(output, examples.size());
        Target target = target(examples, predictions);
        Attribution a;
        if (spec.registry().draws() || spec.registry().couplesRows()) {
            a = perExample(examples, x, target);
        } else {
            a = method.attribute(inputs(x, target));
        }
        Tensor values = a.values().getFirst().cast(DType.F32);
        float[] all = values.floats();
        int[] shape = Arrays.copyOfRange(values.shape(), 1, values.rank());
        int per = all.length / examples.size();
        double[] delta = a.delta().map(Tensor::toDoubles).orElse(null);
        List<ExampleResult> out = new ArrayList<>(examples.size());
        for (int e = 0; e < examples.size(); e++) {
            float[] row = Arrays.copyOfRange(all, e * per, (e + 1) * per);
            double sum = 0;
            for (float v : row) {
                sum += v;
            }
            int[] top = top(row, spec.topK());
            float[] topValues = new float[top.length];
            for (int i = 0; i < top.length; i++) {
                topValues[i] = row[top[i]];
            }
            out.add(new ExampleResult(examples.get(e).id(), targetOf(target, e), predictions[e], row, shape, sum,
                    delta == null ? null : delta[e], top, topValues));
        }
        return out;
    }

    /** The method once per example; a random one seeded from the run's seed and the example's id. */
    private Attribution perExample(List<Example> examples, Tensor x, Target target) {
        int per = x.size() / examples.size();
        float[] all = x.cast(DType.F32).floats();
        int[] shape = x.shape().clone();
        shape[0] = 1;
        List<Tensor> values = new ArrayList<>();
        double[] delta = null;
        for (int e = 0; e < examples.size(); e++) {
            Tensor one = Tensor.of(Arrays.copyOfRange(all, e * per, (e + 1) * per), shape).cast(x.dtype());
            LayerMethod m = spec.registry().draws() ? spec.registry().create(graph, spec.arguments(seedOf(spec.seed(), examples.get(e).id())))
                    : method;
            Integer t = targetOf(target, e);
            Attribution a = m.attribute(inputs(one, t == null ? Target.none() : Target.perExample(t)));
            values.add(a.values().getFirst().cast(DType.F32));
            if (a.delta().isPresent()) {
                delta = delta == null ? new double[examples.size()] : delta;
                delta[e] = a.delta().get().getDouble(0);
            }
        }
        int[] stacked = values.getFirst().shape().clone();
        int rowSize = values.getFirst().size();
        stacked[0] = examples.size();
        float[] rows = new float[rowSize * examples.size()];
        for (int e = 0; e < examples.size(); e++) {
            System.arraycopy(values.get(e).floats(), 0, rows, e * rowSize, rowSize);
        }
        List<Tensor> result = List.of(Tensor.of(rows, stacked));
        return delta == null ? Attribution.of(result) : new Attribution(result, java.util.Optional.of(Tensor.of(delta, examples.size())));
    }

    /**
     * The seed of one example: the run's seed mixed with the example's id (SplitMix64's finaliser
     * over a FNV-1a hash of the id's UTF-8 bytes), so that it depends on nothing else.
     */
    static long seedOf(long seed, String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        long z = seed + 0x9e3779b97f4a7c15L * (h | 1);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private AttributionInputs inputs(Tensor x, Target target) {
        var b = AttributionInputs.builder().input(input.name(), x).target(target);
        if (!spec.registry().takesBaselines()) {
            return b.build();
        }
        int[] example = Arrays.copyOfRange(x.shape(), 1, x.rank());
        switch (spec.baseline()) {
            case Baseline.Value(double v) when spec.registry() == dev.jattr.attr.MethodRegistry.LAYER_GRADIENT_SHAP -> {
                // a distribution of one row holding v everywhere
                int[] shape = new int[example.length + 1];
                shape[0] = 1;
                System.arraycopy(example, 0, shape, 1, example.length);
                b.baseline(input.name(), Tensor.full(DType.F32, v, shape).cast(x.dtype()));
            }
            case Baseline.Value(double v) -> b.baseline(input.name(), v);
            case Baseline.Rows(float[] values, int[] shape) -> {
                if (!Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), example)) {
                    throw new IllegalArgumentException("the baseline rows have shape " + Arrays.toString(shape) + "; the examples "
                            + Arrays.toString(example) + " need rows of that shape");
                }
                b.baseline(input.name(), Tensor.of(values, shape).cast(x.dtype()));
            }
        }
        return b.build();
    }

    private Tensor stack(List<Example> examples) {
        int[] shape = examples.getFirst().shape();
        int per = examples.getFirst().values().length;
        float[] all = new float[per * examples.size()];
        for (int e = 0; e < examples.size(); e++) {
            Example ex = examples.get(e);
            if (!Arrays.equals(ex.shape(), shape)) {
                throw new IllegalArgumentException("example '" + ex.id() + "' has shape " + Arrays.toString(ex.shape()) + ", example '"
                        + examples.getFirst().id() + "' " + Arrays.toString(shape) + "; a dataset's examples share one shape");
            }
            System.arraycopy(ex.values(), 0, all, e * per, per);
        }
        int[] stacked = new int[shape.length + 1];
        stacked[0] = examples.size();
        System.arraycopy(shape, 0, stacked, 1, shape.length);
        checkInputShape(stacked);
        Tensor x = Tensor.of(all, stacked);
        return input.dtype() == DType.F32 ? x : x.cast(input.dtype());
    }

    /** Fails, naming the example and the model input, when {@code example} cannot be the model's input. */
    public void checkShape(Example example) {
        int[] stacked = new int[example.shape().length + 1];
        stacked[0] = 1;
        System.arraycopy(example.shape(), 0, stacked, 1, example.shape().length);
        checkInputShape(stacked);
    }

    private void checkInputShape(int[] stacked) {
        int[] dims = input.dims();
        boolean fits = dims.length == stacked.length;
        for (int d = 1; fits && d < dims.length; d++) {
            fits = dims[d] < 0 || dims[d] == stacked[d];
        }
        if (!fits) {
            throw new IllegalArgumentException("the examples have shape " + Arrays.toString(Arrays.copyOfRange(stacked, 1, stacked.length))
                    + ", but model input '" + input.name() + "' takes " + input.shapeText() + " (dimension 0 is the batch)");
        }
    }

    /** The index of each example's largest output, or nulls when the output holds one number per example. */
    private static Integer[] predictions(Tensor output, int examples) {
        Integer[] p = new Integer[examples];
        int per = output.size() / Math.max(1, examples);
        if (per <= 1) {
            return p;
        }
        for (int e = 0; e < examples; e++) {
            int best = 0;
            double bestValue = output.getDouble(e * per);
            for (int i = 1; i < per; i++) {
                double v = output.getDouble(e * per + i);
                if (v > bestValue) {
                    best = i;
                    bestValue = v;
                }
            }
            p[e] = best;
        }
        return p;
    }

    private Target target(List<Example> examples, Integer[] predictions) {
        if (spec.registry() == dev.jattr.attr.MethodRegistry.LAYER_ACTIVATION) {
            return Target.none();
        }
        return switch (spec.target()) {
            case TargetChoice.Index(int i) -> Target.index(i);
            case TargetChoice.Predicted p -> predictions[0] == null ? Target.none()
                    : Target.perExample(Arrays.stream(predictions).mapToInt(Integer::intValue).toArray());
            case TargetChoice.Label l -> Target.perExample(examples.stream().mapToInt(e -> {
                if (e.label() == null) {
                    throw new IllegalArgumentException("example '" + e.id() + "' has no label, and the target is its label");
                }
                return e.label();
            }).toArray());
        };
    }

    private static Integer targetOf(Target t, int example) {
        return switch (t) {
            case Target.None n -> null;
            case Target.Index(int[] index) -> index[0];
            case Target.PerExample(List<int[]> indices) -> indices.get(example)[0];
        };
    }

    /** Flat indices of the {@code k} values of largest magnitude, largest first (lower index first on ties). */
    static int[] top(float[] row, int k) {
        int n = Math.min(k, row.length);
        if (n == 0) {
            return new int[0];
        }
        // a min-heap of the n best so far, by (magnitude, then higher index is worse)
        int[] heap = new int[n];
        int size = 0;
        for (int i = 0; i < row.length; i++) {
            if (size < n) {
                heap[size] = i;
                siftUp(heap, size++, row);
            } else if (better(i, heap[0], row)) {
                heap[0] = i;
                siftDown(heap, n, row);
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = heap[i];
        }
        Arrays.sort(order, (a, b) -> better(a, b, row) ? -1 : better(b, a, row) ? 1 : 0);
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    private static boolean better(int a, int b, float[] row) {
        float x = Math.abs(row[a]), y = Math.abs(row[b]);
        return x > y || x == y && a < b;
    }

    private static void siftUp(int[] heap, int i, float[] row) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!better(heap[parent], heap[i], row)) {
                break;
            }
            int t = heap[parent];
            heap[parent] = heap[i];
            heap[i] = t;
            i = parent;
        }
    }

    private static void siftDown(int[] heap, int n, float[] row) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1, r = l + 1, worst = i;
            if (l < n && better(heap[worst], heap[l], row)) {
                worst = l;
            }
            if (r < n && better(heap[worst], heap[r], row)) {
                worst = r;
            }
            if (worst == i) {
                return;
            }
            int t = heap[worst];
            heap[worst] = heap[i];
            heap[i] = t;
            i = worst;
        }
    }
}
