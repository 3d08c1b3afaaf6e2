package dev.jattr.attr;

import dev.jattr.graph.BackwardRules;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.Trace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Captum's LayerIntegratedGradients: integrated gradients in the layer's space,
 * (L(x) − L(x′)) · Σₖ wₖ ∂f/∂L at L(x′) + αₖ(L(x) − L(x′)).
 *
 * <p>The graph before the layer runs once for the inputs and once for the baselines; the
 * interpolated steps then run only the part after the layer, in chunks of
 * {@code internalBatchSize} rows. Other paths into that part keep the values of the original
 * inputs, as in Captum. Cost: 2 forward passes plus n_steps forward and backward passes of the
 * part after the layer.
 */
public final class LayerIntegratedGradients extends LayerMethod {
    private final int nSteps;
    private final IntegrationMethod method;
    private final int internalBatchSize;
    private final MemoryBudget memoryBudget;
    private final boolean multiplyByInputs;
    private final boolean returnConvergenceDelta;
    private final LayerCut cut;

    private LayerIntegratedGradients(Builder b) {
        super(b);
        b.requireSteps(0);
        this.nSteps = b.nSteps;
        this.method = b.method;
        this.internalBatchSize = b.internalBatchSize;
        this.memoryBudget = b.memoryBudget();
        this.multiplyByInputs = b.multiplyByInputs;
        this.returnConvergenceDelta = b.returnConvergenceDelta;
        requireIndependentLayers();
        this.cut = new LayerCut(runner.graph(), layerValues(), runner.output());
    }

    /** A builder for {@code graph}. */
    public static Builder builder(Graph graph) {
        return new Builder(graph);
    }

    @Override
    protected Attribution compute(AttributionInputs inputs) {
        Map<String, Tensor> feeds = runner.feeds(inputs);
        Map<String, Tensor> baseFeeds = runner.baselineFeeds(inputs, feeds);
        int n = inputs.batchSize();
        List<String> values = layerValues();
        // the two traces' buffers go back to the executor at the end, for the next call
        try (Trace tx = forwardWithLayers(feeds); Trace tb = forwardWithLayers(baseFeeds)) {
            double[] alphas = method.alphas(nSteps), weights = method.weights(nSteps);
            Map<String, Tensor> diff = new HashMap<>();
            for (String v : values) {
                diff.put(v, Tensors.sub(tx.value(v), tb.value(v)));
            }
            StepSums sum = new StepSums();
            Chunks chunks = new Chunks(internalBatchSize, n, nSteps, 1, memoryBudget, pointCosts, PointCosts.key(feeds));
            for (int s0 = 0, k; s0 < nSteps; s0 += k) {
                k = chunks.next(s0);
                Map<String, Tensor> known = cut.known(tx, feeds, k);
                for (String v : values) {
                    known.put(v, InputPath.interpolate(tb.value(v), diff.get(v), alphas, s0, s0 + k));
                }
                Trace run = null;
                Map<String, Tensor> grads;
                if (chunks.measuring()) {
                    run = runner.runForGradient(known, List.of(), values);
                    chunks.measured(run, k);
                    grads = runner.gradients(run, inputs.target(), n, values, BackwardRules.gradient());
                } else {
                    grads = runner.runGradients(known, inputs.target(), n, values); // replayed on a recording device
                }
                for (String v : values) {
                    sum.add(v, grads.get(v), k, weights, s0);
                }
                if (run != null) {
                    run.close();
                }
                reportProgress(s0 + k, nSteps);
            }
            List<Tensor> result = new ArrayList<>();
            for (String v : values) {
                Tensor like = tx.value(v);
                double[] acc = sum.get(v);
                Tensor d = diff.get(v);
                result.add(Tensor.generate(like.dtype(), like.shape(), i -> multiplyByInputs ? acc[i] * d.getDouble(i) : acc[i]));
            }
            Optional<Tensor> delta = Optional.empty();
            if (returnConvergenceDelta) {
                delta = Optional.of(Deltas.completeness(result, runner, tx, tb, inputs.target(), n));
            }
            return new Attribution(result, delta);
        }
    }

    /** Builds {@link LayerIntegratedGradients}; defaults are Captum's. */
    public static final class Builder extends PathBuilder<Builder> {
        private boolean multiplyByInputs = true;
        private boolean returnConvergenceDelta;

        private Builder(Graph graph) {
            super(graph);
        }

        /** Multiply by L(x) − L(x′) (default true); false gives the integrated gradient alone. */
        public Builder multiplyByInputs(boolean value) {
            multiplyByInputs = value;
            return this;
        }

        /** Also compute Σ attributions − (f(x) − f(x′)) per example. */
        public Builder returnConvergenceDelta(boolean value) {
            returnConvergenceDelta = value;
            return this;
        }

        /** The method. */
        public LayerIntegratedGradients build() {
            return new LayerIntegratedGradients(this);
        }
    }
}
