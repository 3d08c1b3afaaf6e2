package dev.jattr.attr;

import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Trace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Captum's LayerLRP: layer-wise relevance propagation from the target output down to the layer.
 * Relevance starts as 1 at each example's target and crosses each node by its rule (see
 * {@link LrpRules} and {@link LrpRule}); at a rule node,
 * R_in = a ⊙ (∂z′/∂a)ᵀ [R_out / (z′ + ε·sgn z′)]. As Captum's code does, the relevance read at the
 * layer is then multiplied per example by the target output f(x)_target, so it sums to about
 * f(x)_target (less what biases and ε absorb). The delta is f(x)_target − Σ relevance per example
 * (output minus relevance, the opposite sign of the gradient methods).
 *
 * <p>Rules are assigned by node name or PyTorch module path; nodes without one get Captum's
 * defaults. Unlike Captum, which requires a rule on every leaf module of the model, jattr requires
 * one only on the nodes relevance crosses (between the layer and the output), and then fails
 * naming the node and its op.
 *
 * <p>Cost: one forward pass and one backward pass; rules that change weights recompute their
 * node's forward with the changed weights during the backward pass.
 */
public final class LayerLRP extends LayerMethod {
    private final LrpRules rules;
    private final boolean returnConvergenceDelta;

    private LayerLRP(Builder b) {
        super(b);
        this.rules = new LrpRules(runner.graph(), b.rules);
        this.returnConvergenceDelta = b.returnConvergenceDelta;
    }

    /** A builder for {@code graph}. */
    public static Builder builder(Graph graph) {
        return new Builder(graph);
    }

    @Override
    protected Attribution compute(AttributionInputs inputs) {
        if (!inputs.baselines().isEmpty()) {
            throw new IllegalArgumentException("LayerLRP takes no baselines, got some for " + inputs.baselines().keySet());
        }
        Map<String, Tensor> feeds = runner.feeds(inputs);
        int n = inputs.batchSize();
        List<String> values = layerValues();
        Trace trace = forwardWithLayers(feeds);
        Set<String> after = runner.graph().descendants(new HashSet<>(values));
        for (Node node : trace.executed()) {
            if (node.inputs().stream().anyMatch(after::contains)) {
                rules.requireRule(node);
            }
        }
        double[] out = inputs.target().select(trace.value(runner.output()), n);
        Map<String, Tensor> normalised = runner.gradients(trace, inputs.target(), n, values, rules);
        List<Tensor> relevance = new ArrayList<>();
        double[] delta = out.clone();
        for (String v : values) {
            Tensor r = normalised.get(v);
            int inner = r.size() / n;
            relevance.add(Tensor.generate(r.dtype(), r.shape(), i -> r.getDouble(i) * out[i / inner]));
            for (int i = 0; i < r.size(); i++) {
                delta[i / inner] -= r.getDouble(i) * out[i / inner];
            }
        }
        return new Attribution(relevance, returnConvergenceDelta ? Optional.of(Tensor.of(delta, n)) : Optional.empty());
    }

    /** Builds {@link LayerLRP}; defaults are Captum's. */
    public static final class Builder extends LayerMethod.Builder<Builder> {
        private final Map<String, LrpRule> rules = new LinkedHashMap<>();
        private boolean returnConvergenceDelta;

        private Builder(Graph graph) {
            super(graph);
        }

        /**
         * Uses {@code rule} at the node named {@code nodeOrModule}, or at the nodes of the PyTorch
         * module with that path (a node name wins over a module path).
         */
        public Builder rule(String nodeOrModule, LrpRule rule) {
            if (nodeOrModule.isEmpty()) {
                throw new IllegalArgumentException("an LRP rule needs a node name or module path");
            }
            rules.put(nodeOrModule, java.util.Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** Also compute f(x)_target − Σ relevance per example. */
        public Builder returnConvergenceDelta(boolean value) {
            returnConvergenceDelta = value;
            return this;
        }

        /** The method. */
        public LayerLRP build() {
            return new LayerLRP(this);
        }
    }
}
