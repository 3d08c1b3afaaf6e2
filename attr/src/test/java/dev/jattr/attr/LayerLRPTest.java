package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.Gemm;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import org.junit.jupiter.api.Test;

class LayerLRPTest {
    private static final Gemm LINEAR = new Gemm(1, 1, false, true);
    private static final double[] W = {0.5, -1.0, 2.0, -0.3, 0.8, 0.1};
    private static final double[] B = {0.2, -0.1};
    private static final double[] V = {1.5, -0.7};
    private static final double[] X = {1.0, 2.0, 0.5, -1.0, 0.3, 2.0};

    private static AttributionInputs inputs() {
        return AttributionInputs.builder().input("x", SmallGraphs.t(X, 2, 3)).target(Target.index(0)).build();
    }

    /** x[3] → /fc/Gemm (W, B) → [2]. */
    private static Graph linear() {
        return new SmallGraphs("x", -1, 3).constant("W", SmallGraphs.t(W, 2, 3)).constant("B", SmallGraphs.t(B, 2))
                .node("/fc/Gemm", LINEAR, "x", "W", "B").build();
    }

    /** Relevance of x_ij for output 0 with the γ-rule, scaled by f(x)_0, computed directly. */
    private static double[] gammaRelevance(double gamma) {
        double[] r = new double[6];
        for (int i = 0; i < 2; i++) {
            double f = B[0], z = B[0];
            for (int j = 0; j < 3; j++) {
                double w = W[j], wp = w + gamma * Math.max(w, 0);
                f += X[i * 3 + j] * w;
                z += X[i * 3 + j] * wp;
            }
            for (int j = 0; j < 3; j++) {
                double wp = W[j] + gamma * Math.max(W[j], 0);
                r[i * 3 + j] = X[i * 3 + j] * wp / (z + (z >= 0 ? 1e-9 : -1e-9)) * f;
            }
        }
        return r;
    }

    @Test
    void ruleAssignedByNodeNameOrModulePathApplies() {
        double[] expected = gammaRelevance(0.5);
        for (String key : new String[] {"/fc/Gemm", "fc"}) {
            Tensor r = LayerLRP.builder(linear()).layer("fc").attributeToLayerInput(true)
                    .rule(key, new LrpRule.GammaRule(0.5)).build().attribute(inputs()).single();
            assertArrayEquals(expected, r.toDoubles(), 1e-12, "rule assigned to " + key);
        }
        Tensor plain = LayerLRP.builder(linear()).layer("fc").attributeToLayerInput(true).build().attribute(inputs()).single();
        assertArrayEquals(gammaRelevance(0), plain.toDoubles(), 1e-12, "the default ε-rule");
    }

    @Test
    void ruleForAnUnknownNameFails() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LayerLRP.builder(linear()).layer("fc").rule("fc2", LrpRule.epsilon()).build());
        assertTrue(e.getMessage().contains("'fc2'"), e.getMessage());
    }

    /** x → /fc/Gemm → /act/Sigmoid → /out/Gemm (V, no bias): Sigmoid has no default LRP rule. */
    private static Graph withSigmoid() {
        return new SmallGraphs("x", -1, 3).constant("W", SmallGraphs.t(W, 2, 3)).constant("B", SmallGraphs.t(B, 2))
                .constant("V", SmallGraphs.t(V, 1, 2)).node("/fc/Gemm", LINEAR, "x", "W", "B")
                .node("/act/Sigmoid", Unary.of(UnaryKind.SIGMOID), "/fc/Gemm_out").node("/out/Gemm", LINEAR, "/act/Sigmoid_out", "V")
                .build();
    }

    @Test
    void opWithoutRuleFailsNamingTheNodeAndOp() {
        LayerLRP m = LayerLRP.builder(withSigmoid()).layer("fc").build();
        var e = assertThrows(IllegalArgumentException.class, () -> m.attribute(inputs()));
        assertTrue(e.getMessage().contains("'/act/Sigmoid'") && e.getMessage().contains("(Sigmoid)"), e.getMessage());
    }

    @Test
    void identityRuleLetsRelevanceCrossAnUnsupportedOp() {
        Tensor r = LayerLRP.builder(withSigmoid()).layer("fc").rule("act", new LrpRule.IdentityRule()).returnConvergenceDelta(true)
                .build().attribute(inputs()).single();
        for (int i = 0; i < 2; i++) {
            double[] s = new double[2];
            double f = 0;
            for (int k = 0; k < 2; k++) {
                double z = B[k];
                for (int j = 0; j < 3; j++) {
                    z += X[i * 3 + j] * W[k * 3 + j];
                }
                s[k] = 1 / (1 + Math.exp(-z));
                f += V[k] * s[k];
            }
            for (int k = 0; k < 2; k++) {
                // ε-rule at the output layer, identity across the sigmoid, scaled by f(x).
                double expected = s[k] * V[k] / (f + (f >= 0 ? 1e-9 : -1e-9)) * f;
                assertEquals(expected, r.getDouble(i * 2 + k), 1e-12);
            }
        }
    }
}
