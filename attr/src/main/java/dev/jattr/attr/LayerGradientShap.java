package dev.jattr.attr;

import dev.jattr.graph.BackwardRules;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntUnaryOperator;

/**
 * Captum's LayerGradientShap: for each example, n_samples random samples r, each with a
 * baseline b̃ drawn with replacement from the baseline distribution (dimension 0 of each
 * input's baseline tensor; independent draws per input), the input with Gaussian noise
 * x̃ = x + 𝒩(0, stdev²) (none for stdev 0), and α ~ U(0, 1) shared by the inputs of a sample;
 * A = mean over the samples of (L(x̃) − L(b̃)) ⊙ ∂f/∂L at b̃ + α(x̃ − b̃) (the gradient alone when
 * {@code multiplyByInputs} is false). Its expectation for one baseline and stdev 0 is the layer
 * integrated gradients from that baseline.
 *
 * <p>The convergence delta is per sample, example-major (N·n_samples entries):
 * Σ A_sample − (f(x̃) − f(b̃)). Draws come from a {@link SplittableRandom}: with {@link Builder#seed}
 * every call gives the same numbers; they do not reproduce Captum's numpy/torch streams. An input
 * without a baseline uses a single zero baseline; a scalar baseline is a single baseline.
 *
 * <p>Cost: n_samples forward and backward passes of the model per example for the sampled
 * points, in chunks of at most {@value #ROWS_PER_PASS} rows; L(x̃), L(b̃) and their outputs need
 * one forward pass of the inputs and one of the baseline distribution when stdev is 0, there is
 * a single attributed input and no additional input, else n_samples forward passes each.
 */
public final class LayerGradientShap extends LayerMethod {
    /** The most n_samples accepted: every sample is a forward and backward pass per example. */
    public static final int MAX_SAMPLES = 1_000_000;
    /** The most sample rows one evaluation holds. */
    public static final int ROWS_PER_PASS = 1024;

    private final int nSamples;
    private final double[] stdevs;
    private final boolean multiplyByInputs;
    private final boolean returnConvergenceDelta;
    private final Long seed;

    private LayerGradientShap(Builder b) {
        super(b);
        if (b.nSamples < 1 || b.nSamples > MAX_SAMPLES) {
            throw new IllegalArgumentException("n_samples must be from 1 to " + MAX_SAMPLES + ", got " + b.nSamples);
        }
        for (double s : b.stdevs) {
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("stdevs must be finite and non-negative, got " + Arrays.toString(b.stdevs));
            }
        }
        this.nSamples = b.nSamples;
        this.stdevs = b.stdevs;
        this.multiplyByInputs = b.multiplyByInputs;
        this.returnConvergenceDelta = b.returnConvergenceDelta;
        this.seed = b.seed;
    }

    /** A builder for {@code graph}. */
    public static Builder builder(Graph graph) {
        return new Builder(graph);
    }

    /** n·n_samples, checked so that the rows and the noise of the widest input fit in arrays. */
    private int sampleRows(int n, Map<String, Tensor> feeds) {
        long rows = (long) n * nSamples, widest = 1;
        for (Tensor x : feeds.values()) {
            widest = Math.max(widest, x.size() / Math.max(1, x.dim(0)));
        }
        if (rows * widest > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n_samples " + nSamples + " for " + n + " examples of " + widest
                    + " values each needs " + rows * widest + " sample values, more than one array holds; use fewer samples");
        }
        return (int) rows;
    }

    /** The random draws of one call, made up front in Captum's order: baseline rows, noise, alphas. */
    private record Draws(Map<String, int[]> baselineRows, Map<String, double[]> noise, double[] alphas) {}

    @Override
    protected Attribution compute(AttributionInputs inputs) {
        Map<String, Tensor> feeds = runner.feeds(inputs);
        int n = inputs.batchSize(), rows = sampleRows(n, feeds);
        List<String> names = List.copyOf(inputs.inputs().keySet());
        if (stdevs.length != 1 && stdevs.length != names.size()) {
            throw new IllegalArgumentException("stdevs gives " + stdevs.length + " values for " + names.size() + " inputs " + names);
        }
        Map<String, Tensor> distributions = new LinkedHashMap<>();
        for (String k : names) {
            distributions.put(k, distribution(k, inputs.baselines().get(k), feeds.get(k)));
        }
        Draws draws = draw(names, distributions, feeds, rows);
        Target target = interleaved(inputs.target(), n);
        List<String> values = layerValues();
        boolean noisy = draws.noise().values().stream().anyMatch(a -> a != null);
        Trace tx = noisy ? null : forwardWithLayers(feeds);
        boolean gatherBaselines = names.size() == 1 && feeds.size() == 1;
        Trace tb = gatherBaselines ? forwardWithLayers(Map.of(names.getFirst(), distributions.get(names.getFirst()))) : null;
        int[] baseRow = gatherBaselines ? draws.baselineRows().get(names.getFirst()) : null;
        Map<String, double[]> sums = new HashMap<>();
        double[] delta = new double[rows];
        Map<String, Tensor> layerLike = new HashMap<>();
        for (int first = 0; first < rows; first += ROWS_PER_PASS) {
            int r0 = first, r1 = Math.min(rows, r0 + ROWS_PER_PASS), k = r1 - r0;
            Target chunkTarget = slice(target, r0, r1);
            Trace tz = forwardWithLayers(sampleFeeds(feeds, distributions, draws, r0, r1, r -> draws.alphas()[r]));
            Map<String, Tensor> grads = runner.gradients(tz, chunkTarget, k, values, BackwardRules.gradient());
            Rows ax = noisy ? new Rows(forwardWithLayers(sampleFeeds(feeds, distributions, draws, r0, r1, r -> 1)), r -> r - r0)
                    : new Rows(tx, r -> r / nSamples);
            Rows ab = gatherBaselines ? new Rows(tb, r -> baseRow[r])
                    : new Rows(forwardWithLayers(sampleFeeds(feeds, distributions, draws, r0, r1, r -> 0)), r -> r - r0);
            for (String v : values) {
                Tensor g = grads.get(v);
                layerLike.putIfAbsent(v, g);
                int inner = g.size() / k;
                double[] acc = sums.computeIfAbsent(v, x -> new double[n * inner]);
                Tensor lx = ax.trace().value(v), lb = ab.trace().value(v);
                for (int r = r0; r < r1; r++) {
                    int gx = ax.row().applyAsInt(r) * inner, gb = ab.row().applyAsInt(r) * inner;
                    int i = r / nSamples;
                    double rowSum = 0;
                    for (int j = 0; j < inner; j++) {
                        double gr = g.getDouble((r - r0) * inner + j);
                        double a = multiplyByInputs ? gr * (lx.getDouble(gx + j) - lb.getDouble(gb + j)) : gr;
                        acc[i * inner + j] += a;
                        rowSum += a;
                    }
                    delta[r] += rowSum;
                }
            }
            if (returnConvergenceDelta) {
                double[] fx = ax.outputs(runner, chunkTarget, r0, r1), fb = ab.outputs(runner, chunkTarget, r0, r1);
                for (int r = r0; r < r1; r++) {
                    delta[r] -= fx[r - r0] - fb[r - r0];
                }
            }
            reportProgress(r1, rows);
        }
        List<Tensor> result = new ArrayList<>();
        for (String v : values) {
            Tensor like = layerLike.get(v);
            int[] shape = Shapes.withBatch(like.shape(), n);
            double[] acc = sums.get(v);
            result.add(Tensor.generate(like.dtype(), shape, i -> acc[i] * (1.0 / nSamples)));
        }
        return new Attribution(result, returnConvergenceDelta ? Optional.of(Tensor.of(delta, rows)) : Optional.empty());
    }

    /**
     * Where the layer values and outputs of sample rows are read: rows of {@code trace}, sample
     * row r at trace row {@code row(r)}.
     */
    private record Rows(Trace trace, IntUnaryOperator row) {
        /** The selected output of sample rows [r0, r1), {@code chunkTarget} indexing them from 0. */
        double[] outputs(ModelRunner runner, Target chunkTarget, int r0, int r1) {
            Tensor out = trace.value(runner.output());
            List<Tensor> picked = new ArrayList<>(r1 - r0);
            for (int r = r0; r < r1; r++) {
                int at = row.applyAsInt(r);
                picked.add(Tensors.rows(out, at, at + 1));
            }
            return chunkTarget.select(Tensors.concat0(picked), r1 - r0);
        }
    }

    /** The baseline distribution of input {@code name}: its rows, a scalar as one row, zeros when none. */
    private static Tensor distribution(String name, Tensor baseline, Tensor input) {
        int[] one = Shapes.withBatch(input.shape(), 1);
        if (baseline == null) {
            return Tensor.zeros(input.dtype(), one);
        }
        Tensor b = ModelRunner.convert(baseline, input.dtype(), "baseline distribution of '" + name + "'");
        if (b.size() == 1) {
            return Tensor.full(input.dtype(), b.getDouble(0), one);
        }
        if (b.rank() != input.rank() || b.dim(0) < 1
                || !Arrays.equals(Arrays.copyOfRange(b.shape(), 1, b.rank()), Arrays.copyOfRange(input.shape(), 1, input.rank()))) {
            throw new IllegalArgumentException("baselines of '" + name + "' have shape " + Arrays.toString(b.shape())
                    + "; LayerGradientShap needs (R, " + Arrays.toString(Arrays.copyOfRange(input.shape(), 1, input.rank()))
                    .replace("[", "").replace("]", "") + ") with R reference rows");
        }
        return b;
    }

    private Draws draw(List<String> names, Map<String, Tensor> distributions, Map<String, Tensor> feeds, int rows) {
        SplittableRandom rng = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
        Map<String, int[]> baseRows = new LinkedHashMap<>();
        for (String k : names) {
            int r = distributions.get(k).dim(0);
            baseRows.put(k, rng.ints(rows, 0, r).toArray());
        }
        Map<String, double[]> noise = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String k = names.get(i);
            double sd = stdevs.length == 1 ? stdevs[0] : stdevs[i];
            double[] z = null;
            if (sd > 0) {
                z = new double[rows * (feeds.get(k).size() / feeds.get(k).dim(0))];
                for (int j = 0; j < z.length; j++) {
                    z[j] = sd * rng.nextGaussian();
                }
            }
            noise.put(k, z);
        }
        return new Draws(baseRows, noise, rng.doubles(rows).toArray());
    }

    /**
     * The feeds of sample rows [r0, r1): each attributed input at w·x̃ + (1 − w)·b̃ with
     * w = {@code weight(r)}, and the additional inputs of each row's example.
     */
    private Map<String, Tensor> sampleFeeds(Map<String, Tensor> feeds, Map<String, Tensor> distributions, Draws draws,
            int r0, int r1, IntToDoubleFunction weight) {
        Map<String, Tensor> r = new LinkedHashMap<>();
        feeds.forEach((k, x) -> {
            int inner = x.size() / x.dim(0);
            Tensor t = Tensor.zeros(x.dtype(), Shapes.withBatch(x.shape(), r1 - r0));
            Tensor dist = distributions.get(k);
            int[] baseRows = draws.baselineRows().get(k);
            double[] noise = draws.noise().get(k);
            for (int row = r0; row < r1; row++) {
                int xi = row / nSamples * inner, o = (row - r0) * inner;
                if (dist == null) {
                    for (int j = 0; j < inner; j++) {
                        t.setDouble(o + j, x.getDouble(xi + j));
                    }
                    continue;
                }
                double w = weight.applyAsDouble(row);
                int bi = baseRows[row] * inner;
                for (int j = 0; j < inner; j++) {
                    double xt = x.getDouble(xi + j) + (noise == null ? 0 : noise[row * inner + j]);
                    t.setDouble(o + j, w * xt + (1 - w) * dist.getDouble(bi + j));
                }
            }
            r.put(k, t);
        });
        return r;
    }

    /** The target with each example's index repeated for its n_samples rows. */
    private Target interleaved(Target target, int n) {
        if (!(target instanceof Target.PerExample p)) {
            return target;
        }
        if (p.indices().size() != n) {
            throw new IllegalArgumentException("target lists " + p.indices().size() + " indices for " + n + " examples");
        }
        List<int[]> rows = new ArrayList<>(n * nSamples);
        for (int[] idx : p.indices()) {
            for (int s = 0; s < nSamples; s++) {
                rows.add(idx);
            }
        }
        return Target.perExample(rows);
    }

    private static Target slice(Target target, int r0, int r1) {
        return target instanceof Target.PerExample p ? Target.perExample(p.indices().subList(r0, r1)) : target;
    }

    /** Builds {@link LayerGradientShap}; defaults are Captum's. */
    public static final class Builder extends LayerMethod.Builder<Builder> {
        private int nSamples = 5;
        private double[] stdevs = {0.0};
        private boolean multiplyByInputs = true;
        private boolean returnConvergenceDelta;
        private Long seed;

        private Builder(Graph graph) {
            super(graph);
        }

        /** Samples per example, Captum's {@code n_samples} (default 5). */
        public Builder nSamples(int value) {
            nSamples = value;
            return this;
        }

        /** The noise's standard deviation, Captum's {@code stdevs}: one for every input, or one per input (default 0). */
        public Builder stdevs(double... values) {
            if (values.length == 0) {
                throw new IllegalArgumentException("stdevs needs at least one value");
            }
            stdevs = values.clone();
            return this;
        }

        /** Multiply by L(x̃) − L(b̃) (default true); false averages the gradients alone. */
        public Builder multiplyByInputs(boolean value) {
            multiplyByInputs = value;
            return this;
        }

        /** Also compute the per-sample convergence delta (default false). */
        public Builder returnConvergenceDelta(boolean value) {
            returnConvergenceDelta = value;
            return this;
        }

        /** Seeds the draws so that every call gives the same result (default: fresh randomness per call). */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** The method. */
        public LayerGradientShap build() {
            return new LayerGradientShap(this);
        }
    }
}
