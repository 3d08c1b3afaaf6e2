package dev.jattr.attr;

import dev.jattr.graph.Graph;

/**
 * Captum's LayerActivation: the layer's values themselves (no target, no gradient), of any type,
 * so the layer input of an embedding gives its integer token ids. Cost: one forward pass.
 */
public final class LayerActivation extends LayerMethod {
    private LayerActivation(Builder b) {
        super(b);
    }

    /** A builder for {@code graph}. */
    public static Builder builder(Graph graph) {
        return new Builder(graph);
    }

    @Override
    protected boolean usesTarget() {
        return false;
    }

    @Override
    protected Attribution compute(AttributionInputs inputs) {
        // no floating check: an embedding's layer input is its integer token ids, which Captum returns as they are
        var feeds = runner.feeds(inputs);
        return Attribution.of(read(runner.run(feeds, layerValues()), layerValues()));
    }

    /** Builds {@link LayerActivation}. */
    public static final class Builder extends LayerMethod.Builder<Builder> {
        private Builder(Graph graph) {
            super(graph);
        }

        /** The method. */
        public LayerActivation build() {
            return new LayerActivation(this);
        }
    }
}
