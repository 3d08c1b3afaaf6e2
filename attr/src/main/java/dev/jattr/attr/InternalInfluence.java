package dev.jattr.attr;

import dev.jattr.graph.BackwardRules;
import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Trace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Captum's InternalInfluence: the layer gradient integrated along the straight path in
 * <em>input</em> space from the baseline x′ to the input x,
 * A = Σₖ wₖ · ∂f/∂L evaluated at x′ + αₖ(x − x′), with the points αₖ and weights wₖ of the
 * chosen {@link IntegrationMethod}. Nothing is multiplied by activations and there is no
 * convergence delta.
 *
 * <p>Every point changes the input, so the whole graph runs for each. Cost: n_steps forward and
 * backward passes of the model (one per point and example), in chunks of
 * {@code internalBatchSize} rows.
 */
public final class InternalInfluence extends LayerMethod {
    private final int nSteps;
    private final IntegrationMethod method;
    private final int internalBatchSize;
    private final MemoryBudget memoryBudget;

    private InternalInfluence(Builder b) {
        super(b);
        b.requireSteps(0);
        this.nSteps = b.nSteps;
        this.method = b.method;
        this.internalBatchSize = b.internalBatchSize;
        this.memoryBudget = b.memoryBudget();
    }

    /** A builder for {@code graph}. */
    public static Builder builder(Graph graph) {
        return new Builder(graph);
    }

    @Override
    protected Attribution compute(AttributionInputs inputs) {
        Map<String, Tensor> feeds = runner.feeds(inputs);
        InputPath path = new InputPath(inputs, feeds, runner.baselineFeeds(inputs, feeds));
        int n = inputs.batchSize();
        List<String> values = layerValues();
        double[] alphas = method.alphas(nSteps), weights = method.weights(nSteps);
        StepSums sum = new StepSums();
        // each layer value's type, and its shape for the examples (the evaluations hold k steps of them)
        Map<String, DType> types = new HashMap<>();
        Map<String, int[]> shapes = new HashMap<>();
        Chunks chunks = new Chunks(internalBatchSize, n, nSteps, 1, memoryBudget, pointCosts, PointCosts.key(feeds));
        for (int s0 = 0, k; s0 < nSteps; s0 += k) {
            k = chunks.next(s0);
            // the evaluation's buffers go back to the executor once its gradients are summed
            try (Trace run = runner.runForGradient(path.points(alphas, s0, s0 + k), values, values)) {
                ModelRunner.requireFloating(run, values);
                chunks.measured(run, k);
                Map<String, Tensor> grads = runner.gradients(run, inputs.target(), n, values, BackwardRules.gradient());
                for (String v : values) {
                    sum.add(v, grads.get(v), k, weights, s0);
                    Tensor g = run.value(v);
                    int[] shape = g.shape().clone();
                    shape[0] = n;
                    types.put(v, g.dtype());
                    shapes.put(v, shape);
                }
            }
            reportProgress(s0 + k, nSteps);
        }
        List<Tensor> result = new ArrayList<>();
        for (String v : values) {
            double[] acc = sum.get(v);
            result.add(Tensor.generate(types.get(v), shapes.get(v), i -> acc[i]));
        }
        return Attribution.of(result);
    }

    /** Builds {@link InternalInfluence}; defaults are Captum's. */
    public static final class Builder extends PathBuilder<Builder> {
        private Builder(Graph graph) {
            super(graph);
        }

        /** The method. */
        public InternalInfluence build() {
            return new InternalInfluence(this);
        }
    }
}
