package dev.jattr.attr;

import dev.jattr.graph.BackwardRules;
import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.Trace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Captum's LayerConductance: the path in <em>input</em> space from the baseline x′ to the input
 * x, sampled at the n_steps + 1 points zₖ = x′ + αₖ(x − x′) of the chosen
 * {@link IntegrationMethod} (its points for n_steps + 1; its weights are not used), and
 * A = Σₖ₌₀ⁿ⁻¹ ∂f/∂L(zₖ) ⊙ (L(zₖ₊₁) − L(zₖ)), the layer gradient at the left end of each interval
 * times the change of the layer over it.
 *
 * <p>With {@code internalBatchSize}, points are evaluated in chunks of
 * max(1, internalBatchSize / N) and the last point of a chunk is carried into the next, so every
 * interval is counted once; Captum gets the same sum by evaluating that shared point twice.
 * The convergence delta is Σ A − (f(x) − f(x′)) per example. Cost: n_steps + 1 forward and
 * backward passes of the model, plus 2 forward passes for the delta.
 */
public final class LayerConductance extends LayerMethod {
    private final int nSteps;
    private final IntegrationMethod method;
    private final int internalBatchSize;
    private final MemoryBudget memoryBudget;
    private final boolean returnConvergenceDelta;

    private LayerConductance(Builder b) {
        super(b);
        b.requireSteps(1);
        this.nSteps = b.nSteps;
        this.method = b.method;
        this.internalBatchSize = b.internalBatchSize;
        this.memoryBudget = b.memoryBudget();
        this.returnConvergenceDelta = b.returnConvergenceDelta;
    }

    /** A builder for {@code graph}. */
    public static Builder builder(Graph graph) {
        return new Builder(graph);
    }

    @Override
    protected Attribution compute(AttributionInputs inputs) {
        Map<String, Tensor> feeds = runner.feeds(inputs);
        Map<String, Tensor> baseFeeds = runner.baselineFeeds(inputs, feeds);
        InputPath path = new InputPath(inputs, feeds, baseFeeds);
        int n = inputs.batchSize();
        int points = nSteps + 1;
        List<String> values = layerValues();
        double[] alphas = method.alphas(points);
        // per layer value: the last point's layer value and gradient, carried into the next
        // evaluation; the sum of grad(p − 1)·(layer(p) − layer(p − 1)); its type and shape
        Map<String, double[]> lastLayer = new HashMap<>(), lastGrad = new HashMap<>(), sums = new HashMap<>();
        Map<String, DType> types = new HashMap<>();
        Map<String, int[]> shapes = new HashMap<>();
        Chunks chunks = new Chunks(internalBatchSize, n, points, 1, memoryBudget, pointCosts, PointCosts.key(feeds));
        for (int p0 = 0, k; p0 < points; p0 += k) {
            k = chunks.next(p0);
            // the evaluation's buffers go back to the executor once its sums are taken
            try (Trace run = runner.runForGradient(path.points(alphas, p0, p0 + k), values, values)) {
                ModelRunner.requireFloating(run, values);
                chunks.measured(run, k);
                Map<String, Tensor> grads = runner.gradients(run, inputs.target(), n, values, BackwardRules.gradient());
                for (String v : values) {
                    Tensor layer = run.value(v);
                    double[] e = doubles(layer), g = doubles(grads.get(v));
                    int m = e.length / k;
                    types.put(v, layer.dtype());
                    shapes.put(v, Shapes.withBatch(layer.shape(), n));
                    double[] acc = sums.computeIfAbsent(v, x -> new double[m]);
                    double[] pe = lastLayer.get(v), pg = lastGrad.get(v);
                    for (int s = 0; s < k; s++) {
                        int off = s * m;
                        if (s > 0) {
                            for (int i = 0; i < m; i++) {
                                acc[i] += g[off - m + i] * (e[off + i] - e[off - m + i]);
                            }
                        } else if (pe != null) {
                            for (int i = 0; i < m; i++) {
                                acc[i] += pg[i] * (e[i] - pe[i]);
                            }
                        }
                    }
                    lastLayer.put(v, java.util.Arrays.copyOfRange(e, (k - 1) * m, k * m));
                    lastGrad.put(v, java.util.Arrays.copyOfRange(g, (k - 1) * m, k * m));
                }
            }
            reportProgress(p0 + k, points);
        }
        List<Tensor> result = new ArrayList<>();
        for (String v : values) {
            double[] acc = sums.get(v);
            result.add(Tensor.generate(types.get(v), shapes.get(v), i -> acc[i]));
        }
        Optional<Tensor> delta = Optional.empty();
        if (returnConvergenceDelta) {
            Trace tx = runner.run(feeds, List.of()), tb = runner.run(baseFeeds, List.of());
            delta = Optional.of(Deltas.completeness(result, runner, tx, tb, inputs.target(), n));
        }
        return new Attribution(result, delta);
    }

    /** The elements of a floating tensor as doubles (a float tensor's widened into a new array). */
    private static double[] doubles(Tensor t) {
        if (t.dtype() == DType.F64) {
            return t.doubles();
        }
        float[] f = t.floats();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Builds {@link LayerConductance}; defaults are Captum's. */
    public static final class Builder extends PathBuilder<Builder> {
        private boolean returnConvergenceDelta;

        private Builder(Graph graph) {
            super(graph);
        }

        /** Also compute Σ attributions − (f(x) − f(x′)) per example (default false). */
        public Builder returnConvergenceDelta(boolean value) {
            returnConvergenceDelta = value;
            return this;
        }

        /** The method. */
        public LayerConductance build() {
            return new LayerConductance(this);
        }
    }
}
