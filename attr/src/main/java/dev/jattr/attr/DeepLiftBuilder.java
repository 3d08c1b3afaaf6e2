package dev.jattr.attr;

import dev.jattr.graph.Graph;

/**
 * The options {@link LayerDeepLift} and {@link LayerDeepLiftShap} share; defaults are Captum's.
 *
 * @param <B> the concrete builder
 */
public abstract class DeepLiftBuilder<B extends DeepLiftBuilder<B>> extends LayerMethod.Builder<B> {
    boolean multiplyByInputs = true;
    CustomAttributionFunction customAttributionFunc;
    boolean returnConvergenceDelta;

    /** A builder for {@code graph}. */
    protected DeepLiftBuilder(Graph graph) {
        super(graph);
    }

    @SuppressWarnings("unchecked")
    private B me() {
        return (B) this;
    }

    /**
     * Multiply the multipliers by L(x) − L(x′) (default true); false returns the multipliers.
     * Ignored when a custom attribution function is given.
     */
    public B multiplyByInputs(boolean value) {
        multiplyByInputs = value;
        return me();
    }

    /** Computes the attributions from multipliers, inputs and baselines (default: none). */
    public B customAttributionFunc(CustomAttributionFunction value) {
        customAttributionFunc = value;
        return me();
    }

    /** Also compute Σ attributions − (f(x) − f(x′)) per example (per input × baseline pair for SHAP). */
    public B returnConvergenceDelta(boolean value) {
        returnConvergenceDelta = value;
        return me();
    }
}
