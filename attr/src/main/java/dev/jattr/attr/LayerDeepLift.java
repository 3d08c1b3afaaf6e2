package dev.jattr.attr;

import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import java.util.Map;

/**
 * Captum's LayerDeepLift (Rescale rule): A = m ⊙ (L(x) − L(x′)), where the multiplier m is the
 * backward pass of the target output to the layer with every nonlinearity's derivative replaced
 * by Δout/Δin between input and baseline (see {@link DeepLiftRules} for the Relu/Sigmoid/Tanh/
 * Elu/LeakyRelu/Softplus, Softmax and MaxPool rules and the Captum 0.8.0 quirks reproduced).
 *
 * <p>Inputs and baselines run as one batch (inputs first, then baselines along dimension 0;
 * additional inputs and the target repeat for the second half), so a Softmax rule's mean covers
 * both halves as in Captum. With {@code multiplyByInputs(false)} the multipliers are returned; a
 * {@link CustomAttributionFunction} replaces the product. The delta is Σ A − (f(x) − f(x′)) per
 * example.
 *
 * <p>Unlike Captum, which hooks only {@code nn.Module} nonlinearities, jattr applies the rules at
 * every ONNX node of those types, so a functional {@code F.relu} or {@code torch.sigmoid} exported
 * from PyTorch gets the rule here and the plain gradient in Captum.
 *
 * <p>Cost: one forward and one backward pass over twice the batch.
 */
public final class LayerDeepLift extends LayerMethod {
    private final DeepLiftCore core;

    private LayerDeepLift(Builder b) {
        super(b);
        this.core = new DeepLiftCore(runner, layers, layerValues(), b);
    }

    /** A builder for {@code graph}. */
    public static Builder builder(Graph graph) {
        return new Builder(graph);
    }

    @Override
    protected Attribution compute(AttributionInputs inputs) {
        Map<String, Tensor> feeds = runner.feeds(inputs);
        Map<String, Tensor> baseFeeds = runner.baselineFeeds(inputs, feeds);
        return core.attribute(feeds, baseFeeds, inputs.target(), inputs.batchSize());
    }

    /** Builds {@link LayerDeepLift}; defaults are Captum's. */
    public static final class Builder extends DeepLiftBuilder<Builder> {
        private Builder(Graph graph) {
            super(graph);
        }

        /** The method. */
        public LayerDeepLift build() {
            return new LayerDeepLift(this);
        }
    }
}
