package dev.jattr.attr;

import dev.jattr.graph.BackwardRules;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import java.util.List;
import java.util.Map;

/**
 * Captum's LayerGradientXActivation: ∂f_target/∂layer · layer (or the gradient alone when
 * {@code multiplyByInputs} is false). Cost: one forward and one backward pass.
 */
public final class LayerGradientXActivation extends LayerMethod {
    private final boolean multiplyByInputs;

    private LayerGradientXActivation(Builder b) {
        super(b);
        this.multiplyByInputs = b.multiplyByInputs;
    }

    /** A builder for {@code graph}. */
    public static Builder builder(Graph graph) {
        return new Builder(graph);
    }

    @Override
    protected Attribution compute(AttributionInputs inputs) {
        var feeds = runner.feeds(inputs);
        var trace = forwardWithLayers(feeds);
        List<String> values = layerValues();
        Map<String, Tensor> grads = runner.gradients(trace, inputs.target(), inputs.batchSize(), values, BackwardRules.gradient());
        return Attribution.of(values.stream()
                .map(v -> multiplyByInputs ? Tensors.mul(grads.get(v), trace.value(v)) : grads.get(v))
                .toList());
    }

    /** Builds {@link LayerGradientXActivation}. */
    public static final class Builder extends LayerMethod.Builder<Builder> {
        private boolean multiplyByInputs = true;

        private Builder(Graph graph) {
            super(graph);
        }

        /** Multiply the gradient by the activation (default true). */
        public Builder multiplyByInputs(boolean value) {
            multiplyByInputs = value;
            return this;
        }

        /** The method. */
        public LayerGradientXActivation build() {
            return new LayerGradientXActivation(this);
        }
    }
}
