package dev.jattr.attr;

import dev.jattr.testing.SharedData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jattr.attr.parity.CaptumCase;
import dev.jattr.attr.parity.Comparison;
import dev.jattr.attr.parity.ParityRunner;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LayerGradientShapTest {
    static final double[][] X = TinyNet.X;
    static final double[][] S = TinyNet.S;
    static final int[] TARGETS = {1, 0};
    /** Two reference rows: the baseline distribution. */
    static final Tensor BASELINES = Tensor.of(new double[] {0, 0, -1, 0.5}, 2, 2);

    private static AttributionInputs inputs(Tensor baselines) {
        return TinyNet.inputs(X, S).baseline("x", baselines).target(Target.perExample(TARGETS)).build();
    }

    @Test
    void afterTheLayerTheModelIsLinearSoOneBaselineGivesTheExactDifference() {
        Tensor zero = Tensor.of(new double[] {0, 0}, 1, 2);
        var a = LayerGradientShap.builder(TinyNet.graph()).layer("act").nSamples(4).seed(3).returnConvergenceDelta(true).build()
                .attribute(inputs(zero));
        double[] e = new double[4];
        for (int i = 0; i < 2; i++) {
            double[] r = TinyNet.act(X[i]);
            for (int p = 0; p < 2; p++) {
                e[i * 2 + p] = TinyNet.W2[TARGETS[i]][p] * S[i][TARGETS[i]] * r[p];
            }
        }
        assertArrayEquals(e, a.single().toDoubles(), 1e-5);
        assertArrayEquals(new int[] {8}, a.delta().orElseThrow().shape());
        assertArrayEquals(new double[8], a.delta().orElseThrow().toDoubles(), 1e-5);
    }

    @Test
    void withoutMultiplyingByInputsItAveragesTheGradient() {
        Tensor g = LayerGradientShap.builder(TinyNet.graph()).layer("act").nSamples(3).multiplyByInputs(false).seed(1).build()
                .attribute(inputs(BASELINES)).single();
        double[] e = new double[4];
        for (int i = 0; i < 2; i++) {
            for (int p = 0; p < 2; p++) {
                e[i * 2 + p] = TinyNet.W2[TARGETS[i]][p] * S[i][TARGETS[i]];
            }
        }
        assertArrayEquals(e, g.toDoubles(), 1e-5);
    }

    @Test
    void noisySamplesStillSatisfyCompletenessPerSample() {
        var a = LayerGradientShap.builder(TinyNet.graph()).layer("act").nSamples(5).stdevs(0.3).seed(11)
                .returnConvergenceDelta(true).build().attribute(inputs(BASELINES));
        assertArrayEquals(new double[10], a.delta().orElseThrow().toDoubles(), 1e-5);
    }

    @Test
    void theSameSeedGivesTheSameDrawsAndAnotherSeedOtherDraws() {
        var b = LayerGradientShap.builder(TinyNet.graph()).layer("fc1").nSamples(6).stdevs(0.2).returnConvergenceDelta(true);
        var first = b.seed(42).build().attribute(inputs(BASELINES));
        var again = b.seed(42).build().attribute(inputs(BASELINES));
        var other = b.seed(43).build().attribute(inputs(BASELINES));
        assertArrayEquals(first.single().toDoubles(), again.single().toDoubles(), 0);
        assertArrayEquals(first.delta().orElseThrow().toDoubles(), again.delta().orElseThrow().toDoubles(), 0);
        assertFalse(Arrays.equals(first.single().toDoubles(), other.single().toDoubles()));
    }

    @Test
    void stdevsMustGiveOneValueOrOnePerInput() {
        var m = LayerGradientShap.builder(TinyNet.graph()).layer("act").stdevs(0.1, 0.2).build();
        assertThrows(IllegalArgumentException.class, () -> m.attribute(inputs(BASELINES)));
        assertThrows(IllegalArgumentException.class, () -> LayerGradientShap.builder(TinyNet.graph()).layer("act").stdevs(-1).build());
    }

    /**
     * On every LayerGradientShap case of the corpus and several seeds, 3000 samples land within the
     * case's tolerance of Captum's expectation (L(x) − L(b)) ⊙ ∫ ∂f/∂L(b + α(x − b)) dα, computed
     * here from InternalInfluence (100 Gauss–Legendre steps) and LayerActivation.
     */
    @Test
    void samplesConvergeToTheExpectationForSeveralSeeds() {
        Path cases = SharedData.require("captum-reference/cases.json");
        int checked = 0;
        for (CaptumCase c : ParityRunner.load(cases)) {
            if (!c.method().equals("LayerGradientShap")) {
                continue;
            }
            Graph g = OnnxModel.load(c.model()).graph();
            var in = AttributionInputs.builder();
            c.inputs().forEach((k, p) -> in.input(k, Npy.read(p)));
            c.baselines().forEach((k, p) -> in.baseline(k, Npy.read(p)));
            AttributionInputs inputs = in.target(target(c)).build();
            var base = AttributionInputs.builder();
            int n = inputs.batchSize();
            c.baselines().forEach((k, p) -> base.input(k, Tensors.repeat0(Npy.read(p), n)));
            Tensor ax = LayerActivation.builder(g).layer(c.layer()).build().attribute(inputs).single();
            Tensor ab = LayerActivation.builder(g).layer(c.layer()).build().attribute(base.build()).single();
            Tensor influence = InternalInfluence.builder(g).layer(c.layer()).nSteps(100).build().attribute(inputs).single();
            Tensor expectation = Tensors.mul(influence, Tensors.sub(ax, ab));
            int samples = c.arg("n_samples").asInt();
            for (long seed : new long[] {1, 2}) {
                Tensor a = LayerGradientShap.builder(g).layer(c.layer()).nSamples(samples).seed(seed).build().attribute(inputs).single();
                String m = Comparison.mismatch(c.id() + " seed " + seed, a, expectation, c.rtol(), "relative_l2");
                assertEquals(null, m);
            }
            checked++;
        }
        assertEquals(15, checked);
    }

    private static Target target(CaptumCase c) {
        if (c.target().isInt()) {
            return Target.index(c.target().asInt());
        }
        int[] t = new int[c.target().size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = c.target().get(i).asInt();
        }
        return Target.perExample(t);
    }
}
