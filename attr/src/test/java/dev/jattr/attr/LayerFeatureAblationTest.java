package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.Tensor;
import org.junit.jupiter.api.Test;

class LayerFeatureAblationTest {
    static final double[][] X = TinyNet.X;
    static final double[][] S = TinyNet.S;
    static final int[] TARGETS = {2, 1};

    private static AttributionInputs inputs() {
        return TinyNet.inputs(X, S).target(Target.perExample(TARGETS)).build();
    }

    /** f(x) − f(x with r_p := base): the model is linear in r, so W2[t][p]·s_t·(r_p − base). */
    private static double[] byHand(double base) {
        double[] e = new double[4];
        for (int i = 0; i < 2; i++) {
            double[] r = TinyNet.act(X[i]);
            int t = TARGETS[i];
            for (int p = 0; p < 2; p++) {
                e[i * 2 + p] = TinyNet.W2[t][p] * S[i][t] * (r[p] - base);
            }
        }
        return e;
    }

    @Test
    void everyNeuronAblatedToZeroByDefault() {
        Tensor a = LayerFeatureAblation.builder(TinyNet.graph()).layer("act").build().attribute(inputs()).single();
        assertArrayEquals(new int[] {2, 2}, a.shape());
        assertArrayEquals(byHand(0), a.toDoubles(), 1e-5);
    }

    @Test
    void perExampleTargetsWithSeveralPerturbationsPerEvalMatchOnePerEval() {
        var one = LayerFeatureAblation.builder(TinyNet.graph()).layer("act").layerBaselines(0.5).build().attribute(inputs());
        var three = LayerFeatureAblation.builder(TinyNet.graph()).layer("act").layerBaselines(0.5).perturbationsPerEval(3)
                .build().attribute(inputs());
        assertArrayEquals(byHand(0.5), one.single().toDoubles(), 1e-5);
        assertArrayEquals(one.single().toDoubles(), three.single().toDoubles(), 1e-6);
    }

    @Test
    void maskGroupsNeuronsAndMayDifferPerExample() {
        // example 0: neurons are features 0 and 1; example 1: both neurons are feature 1.
        Tensor mask = Tensor.of(new long[] {0, 1, 1, 1}, 2, 2);
        Tensor a = LayerFeatureAblation.builder(TinyNet.graph()).layer("act").layerMask(mask).perturbationsPerEval(2)
                .build().attribute(inputs()).single();
        double[] single = byHand(0);
        double both = single[2] + single[3];
        assertArrayEquals(new double[] {single[0], single[1], both, both}, a.toDoubles(), 1e-5);
    }

    @Test
    void tensorBaselineBroadcastsOverTheBatch() {
        Tensor base = Tensor.of(new double[] {0.5, 0.5}, 1, 2);
        Tensor a = LayerFeatureAblation.builder(TinyNet.graph()).layer("act").layerBaselines(base).build().attribute(inputs()).single();
        assertArrayEquals(byHand(0.5), a.toDoubles(), 1e-5);
    }

    @Test
    void badMaskShapeNamesTheArgument() {
        Tensor mask = Tensor.of(new long[] {0, 1, 2}, 1, 3);
        var m = LayerFeatureAblation.builder(TinyNet.graph()).layer("act").layerMask(mask).build();
        var e = assertThrows(IllegalArgumentException.class, () -> m.attribute(inputs()));
        assertTrue(e.getMessage().contains("layer_mask") && e.getMessage().contains("[1, 3]"), e.getMessage());
    }

    @Test
    void floatingMaskIsRejected() {
        var b = LayerFeatureAblation.builder(TinyNet.graph()).layer("act").layerMask(Tensor.of(new double[] {0, 1}, 1, 2));
        var e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("layer_mask"), e.getMessage());
    }

    @Test
    void noTargetNeedsOneOutputPerExample() {
        var m = LayerFeatureAblation.builder(TinyNet.graph()).layer("act").build();
        var e = assertThrows(IllegalArgumentException.class, () -> m.attribute(TinyNet.inputs(X, S).build()));
        assertTrue(e.getMessage().contains("a target must pick one"), e.getMessage());
    }
}
