package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jattr.graph.Tensor;
import org.junit.jupiter.api.Test;

class LayerGradCamTest {
    static final double[][] X = TinyNet.X;
    static final double[][] S = TinyNet.S;
    static final int[] TARGETS = {2, 0};

    private static AttributionInputs inputs() {
        return TinyNet.inputs(X, S).target(Target.perExample(TARGETS)).build();
    }

    /** A 2-d layer is not averaged: Σ_p ∂f/∂r_p · r_p = Σ_p W2[t][p]·s_t·r_p. */
    private static double[] byHand() {
        double[] e = new double[2];
        for (int i = 0; i < 2; i++) {
            double[] r = TinyNet.act(X[i]);
            for (int p = 0; p < 2; p++) {
                e[i] += TinyNet.W2[TARGETS[i]][p] * S[i][TARGETS[i]] * r[p];
            }
        }
        return e;
    }

    @Test
    void twoDimensionalLayerSumsGradientTimesActivationIntoOneChannel() {
        Tensor a = LayerGradCam.builder(TinyNet.graph()).layer("act").build().attribute(inputs()).single();
        assertArrayEquals(new int[] {2, 1}, a.shape());
        double[] e = byHand();
        assertArrayEquals(e, a.toDoubles(), 1e-5);
        // example 0 (target 2) is negative here, which the ReLU option removes
        org.junit.jupiter.api.Assertions.assertTrue(e[0] < 0 && e[1] > 0);
        Tensor relu = LayerGradCam.builder(TinyNet.graph()).layer("act").reluAttributions(true).build().attribute(inputs()).single();
        assertArrayEquals(new double[] {0, e[1]}, relu.toDoubles(), 1e-5);
    }

    @Test
    void layerInputOfTheNextLayerIsTheSameValue() {
        Tensor a = LayerGradCam.builder(TinyNet.graph()).layer("fc2").attributeToLayerInput(true).build().attribute(inputs()).single();
        assertArrayEquals(byHand(), a.toDoubles(), 1e-5);
    }

    @Test
    void withoutChannelSumEachChannelIsKept() {
        Tensor a = LayerGradCam.builder(TinyNet.graph()).layer("act").attrDimSummation(false).build().attribute(inputs()).single();
        assertArrayEquals(new int[] {2, 2}, a.shape());
        double[] r0 = TinyNet.act(X[0]);
        assertArrayEquals(new double[] {TinyNet.W2[2][0] * 3 * r0[0], TinyNet.W2[2][1] * 3 * r0[1]},
                java.util.Arrays.copyOf(a.toDoubles(), 2), 1e-5);
    }
}
