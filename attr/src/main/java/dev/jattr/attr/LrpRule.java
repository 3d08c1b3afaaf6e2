package dev.jattr.attr;

/**
 * A relevance-propagation rule of {@link LayerLRP}, as Captum's {@code lrp_rules} define them. For
 * a node computing z = f(a; W) with the gradient-like relevance R arriving at its output, a rule
 * picks modified weights W′ and a stabiliser ε, computes z′ = f(a; W′) on the true activations and
 * passes R_in = a ⊙ (∂z′/∂a)ᵀ [R / (z′ + ε·sgn z′)] (sgn 0 = +1) to each input. Weights are the
 * second input of Gemm, Conv and MatMul (when it is a constant) and the scale of
 * BatchNormalization; the bias is the third input.
 */
public sealed interface LrpRule {
    /** Captum's stabiliser for the rules that modify weights. */
    double STABILITY = 1e-9;

    /** ε-rule with Captum's default ε = 1e-9. */
    static LrpRule epsilon() {
        return new EpsilonRule(STABILITY);
    }

    /**
     * The ε-rule: weights unchanged.
     *
     * @param epsilon the stabiliser added to z′ with its sign
     */
    record EpsilonRule(double epsilon) implements LrpRule {
        /** Validates ε. */
        public EpsilonRule {
            if (!(epsilon >= 0)) {
                throw new IllegalArgumentException("epsilon must be non-negative, got " + epsilon);
            }
        }
    }

    /**
     * The γ-rule: W′ = W + γ·max(W, 0); ε = 1e-9.
     *
     * @param gamma          the weight of the positive part (Captum's default 0.25)
     * @param setBiasToZero  whether z′ drops the bias (Captum's {@code set_bias_to_zero}, default false)
     */
    record GammaRule(double gamma, boolean setBiasToZero) implements LrpRule {
        /** γ with the bias kept. */
        public GammaRule(double gamma) {
            this(gamma, false);
        }

        /** Captum's default γ = 0.25, bias kept. */
        public GammaRule() {
            this(0.25);
        }
    }

    /**
     * The α1β0-rule: W′ = max(W, 0) (only positive contributions); ε = 1e-9.
     *
     * @param setBiasToZero whether z′ drops the bias (default false)
     */
    record Alpha1Beta0Rule(boolean setBiasToZero) implements LrpRule {
        /** The bias kept, as Captum's default. */
        public Alpha1Beta0Rule() {
            this(false);
        }
    }

    /** Passes the output relevance to each input unchanged (shapes must match). */
    record IdentityRule() implements LrpRule {}
}
