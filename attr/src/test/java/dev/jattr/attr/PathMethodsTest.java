package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jattr.graph.Tensor;
import org.junit.jupiter.api.Test;

/**
 * InternalInfluence and LayerConductance on {@link TinyNet}, where the gradient at the ReLU
 * output is the constant W2[t]·s_t and relu(α·h) = α·relu(h) for α ≥ 0, so both integrals have
 * closed forms from a zero baseline.
 */
class PathMethodsTest {
    static final double[][] X = TinyNet.X;
    static final double[][] S = TinyNet.S;
    static final int[] TARGETS = {1, 0};

    private static AttributionInputs inputs() {
        return TinyNet.inputs(X, S).target(Target.perExample(TARGETS)).build();
    }

    /** W2[t][p]·s_t·scale·(r_p or 1). */
    private static double[] gradientTimes(double scale, boolean timesActivation) {
        double[] e = new double[4];
        for (int i = 0; i < 2; i++) {
            double[] r = TinyNet.act(X[i]);
            for (int p = 0; p < 2; p++) {
                e[i * 2 + p] = TinyNet.W2[TARGETS[i]][p] * S[i][TARGETS[i]] * scale * (timesActivation ? r[p] : 1);
            }
        }
        return e;
    }

    @Test
    void internalInfluenceIntegratesTheConstantGradientWithTheMethodsWeights() {
        Tensor gauss = InternalInfluence.builder(TinyNet.graph()).layer("act").nSteps(7).build().attribute(inputs()).single();
        assertArrayEquals(gradientTimes(1, false), gauss.toDoubles(), 1e-5);
        // Captum's trapezoid weights are 1/n with halved ends: they sum to (n − 1)/n
        Tensor trapezoid = InternalInfluence.builder(TinyNet.graph()).layer("act").nSteps(4)
                .method(IntegrationMethod.RIEMANN_TRAPEZOID).build().attribute(inputs()).single();
        assertArrayEquals(gradientTimes(0.75, false), trapezoid.toDoubles(), 1e-5);
    }

    @Test
    void internalInfluenceChunksGiveTheSameSum() {
        double[] all = InternalInfluence.builder(TinyNet.graph()).layer("fc1").nSteps(9).build().attribute(inputs()).single().toDoubles();
        for (int ibs : new int[] {1, 2, 5, 100}) {
            double[] chunked = InternalInfluence.builder(TinyNet.graph()).layer("fc1").nSteps(9).internalBatchSize(ibs).build()
                    .attribute(inputs()).single().toDoubles();
            assertArrayEquals(all, chunked, 1e-6, "internal_batch_size " + ibs);
        }
    }

    @Test
    void conductanceTelescopesBetweenTheFirstAndLastPoint() {
        int steps = 6;
        var trapezoid = LayerConductance.builder(TinyNet.graph()).layer("act").nSteps(steps)
                .method(IntegrationMethod.RIEMANN_TRAPEZOID).returnConvergenceDelta(true).build().attribute(inputs());
        assertArrayEquals(gradientTimes(1, true), trapezoid.single().toDoubles(), 1e-5);
        assertArrayEquals(new double[] {0, 0}, trapezoid.delta().orElseThrow().toDoubles(), 1e-5);
        // Gauss–Legendre points stop short of 0 and 1: the sum covers α_first..α_last only
        double[] a = IntegrationMethod.GAUSS_LEGENDRE.alphas(steps + 1);
        double span = a[steps] - a[0];
        var gauss = LayerConductance.builder(TinyNet.graph()).layer("act").nSteps(steps).returnConvergenceDelta(true).build()
                .attribute(inputs());
        double[] expected = gradientTimes(span, true);
        assertArrayEquals(expected, gauss.single().toDoubles(), 1e-5);
        for (int i = 0; i < 2; i++) {
            double f = TinyNet.out(X[i], S[i], TARGETS[i]);
            assertEquals(f * span - f, gauss.delta().orElseThrow().getDouble(i), 1e-5);
        }
    }

    @Test
    void conductanceChunksCountEveryIntervalOnce() {
        double[] all = LayerConductance.builder(TinyNet.graph()).layer("fc1").nSteps(8).build().attribute(inputs()).single().toDoubles();
        for (int ibs : new int[] {1, 2, 3, 4, 7, 100}) {
            double[] chunked = LayerConductance.builder(TinyNet.graph()).layer("fc1").nSteps(8).internalBatchSize(ibs).build()
                    .attribute(inputs()).single().toDoubles();
            assertArrayEquals(all, chunked, 1e-6, "internal_batch_size " + ibs);
        }
    }

    @Test
    void severalLayersGiveEachLayersOwnResult() {
        var both = InternalInfluence.builder(TinyNet.graph()).layers(java.util.List.of("fc1", "act")).nSteps(5).build().attribute(inputs());
        for (int i = 0; i < 2; i++) {
            String layer = i == 0 ? "fc1" : "act";
            Tensor alone = InternalInfluence.builder(TinyNet.graph()).layer(layer).nSteps(5).build().attribute(inputs()).single();
            assertArrayEquals(alone.toDoubles(), both.values().get(i).toDoubles(), 1e-7, layer);
        }
    }
}
