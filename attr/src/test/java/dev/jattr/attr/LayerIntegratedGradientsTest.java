package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerIntegratedGradientsTest {
    private static final Tensor X = TestGraphs.batch(0.3, -1.2, 0.8, 1.5, 0.1, -0.4);
    private static final Tensor Y = TestGraphs.batch(0.7, -0.2);

    private static AttributionInputs.Builder twoInputs() {
        return AttributionInputs.builder().input("x", X).additional("y", Y).target(Target.perExample(1, 0));
    }

    @Test
    void onALinearModelAttributionsAreGradientTimesInputMinusBaseline() {
        Graph g = TestGraphs.linear();
        Tensor base = TestGraphs.batch(0.5, 0.5, 0.5, -1, 0, 1);
        var a = LayerIntegratedGradients.builder(g).layer("tensor:x").nSteps(3).method(IntegrationMethod.RIEMANN_LEFT).build()
                .attribute(AttributionInputs.builder().input("x", X).baseline("x", base).target(Target.index(1)).build());
        double[] w1 = {-1, 0.5, 4};
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(w1[j] * (X.getDouble(r * 3 + j) - base.getDouble(r * 3 + j)), a.single().getDouble(r * 3 + j), 1e-12);
            }
        }
    }

    @Test
    void chunkingByInternalBatchSizeDoesNotChangeTheResult() {
        Graph g = TestGraphs.twoInputs();
        var whole = LayerIntegratedGradients.builder(g).layer("fc1").nSteps(7).build().attribute(twoInputs().build());
        var chunked = LayerIntegratedGradients.builder(g).layer("fc1").nSteps(7).internalBatchSize(5).build()
                .attribute(twoInputs().build());
        assertArrayEquals(whole.single().doubles(), chunked.single().doubles(), 1e-12);
    }

    @Test
    void severalIndependentLayersAtOnceEqualEachAlone() {
        Graph g = TestGraphs.twoInputs();
        // y is an additional input, so the side layer's baseline equals its input: its attribution is 0
        var both = LayerIntegratedGradients.builder(g).layer("fc1").layer("side").nSteps(9).build().attribute(twoInputs().build());
        var fc1 = LayerIntegratedGradients.builder(g).layer("fc1").nSteps(9).build().attribute(twoInputs().build());
        assertEquals(2, both.values().size());
        assertArrayEquals(fc1.single().doubles(), both.values().get(0).doubles(), 1e-12);
        assertArrayEquals(new double[4], both.values().get(1).doubles(), 0);
        assertTrue(Math.abs(fc1.single().getDouble(0)) > 1e-3);
    }

    @Test
    void nestedLayersAreRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LayerIntegratedGradients.builder(TestGraphs.twoInputs()).layer("fc1").layer("act").build());
        assertTrue(e.getMessage().contains("'act' depends on layer 'fc1'"), e.getMessage());
    }

    @Test
    void aScalarBaselineEqualsTheFilledTensor() {
        Graph g = TestGraphs.twoInputs();
        var lig = LayerIntegratedGradients.builder(g).layer("act").nSteps(5).build();
        var scalar = lig.attribute(twoInputs().baseline("x", 0.25).build());
        var tensor = lig.attribute(twoInputs().baseline("x", Tensor.full(dev.jattr.graph.DType.F64, 0.25, 2, 3)).build());
        assertArrayEquals(tensor.single().doubles(), scalar.single().doubles(), 1e-12);
    }

    @Test
    void layerAfterBothInputsIsCompleteAndTheAdditionalInputStaysFixed() {
        Graph g = TestGraphs.twoInputs();
        // fc1 is not a cut (y enters after it), so attribute at the Add, which every path crosses.
        var a = LayerIntegratedGradients.builder(g).layer("/Add").nSteps(64).returnConvergenceDelta(true).build()
                .attribute(twoInputs().build());
        Executor ex = new Executor(g);
        Tensor fx = ex.forward(Map.of("x", X, "y", Y)).get("out");
        Tensor fb = ex.forward(Map.of("x", Tensor.zeros(X.dtype(), X.shape()), "y", Y)).get("out");
        double[] sums = Tensors.sumPerRow(a.single());
        // the baseline keeps y, so the Add's baseline is side(y), and completeness holds against f(0, y)
        assertEquals(fx.getDouble(1) - fb.getDouble(1), sums[0], 1e-9);
        assertEquals(fx.getDouble(2) - fb.getDouble(2), sums[1], 1e-9);
        assertEquals(0, a.delta().orElseThrow().getDouble(0), 1e-9);
    }

    @Test
    void withoutMultiplyByInputsTheResultIsTheIntegratedGradient() {
        Graph g = TestGraphs.twoInputs();
        var plain = LayerIntegratedGradients.builder(g).layer("act").nSteps(6).build().attribute(twoInputs().build());
        var grad = LayerIntegratedGradients.builder(g).layer("act").nSteps(6).multiplyByInputs(false).build()
                .attribute(twoInputs().build());
        var act = LayerActivation.builder(g).layer("act").build();
        Tensor lx = act.attribute(twoInputs().build()).single();
        Tensor lb = act.attribute(twoInputs().input("x", Tensor.zeros(X.dtype(), X.shape())).build()).single();
        Tensor expected = Tensors.mul(grad.single(), Tensors.sub(lx, lb));
        assertArrayEquals(expected.doubles(), plain.single().doubles(), 1e-12);
    }

    @Test
    void badInputsFailWithMessagesNamingThem() {
        Graph g = TestGraphs.twoInputs();
        var lig = LayerIntegratedGradients.builder(g).layer("act").build();
        Tensor nan = X.copy();
        nan.setDouble(4, Double.NaN);
        var e1 = assertThrows(IllegalArgumentException.class,
                () -> lig.attribute(AttributionInputs.builder().input("x", nan).additional("y", Y).target(Target.index(0)).build()));
        assertTrue(e1.getMessage().contains("input 'x' holds NaN at flat index 4"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> lig.attribute(AttributionInputs.builder().input("x", X).target(Target.index(0)).build()));
        assertTrue(e2.getMessage().contains("model input 'y'"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> lig.attribute(twoInputs().target(Target.index(5)).build()));
        assertTrue(e3.getMessage().contains("out of range"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class,
                () -> lig.attribute(twoInputs().baseline("x", Tensor.zeros(X.dtype(), 2, 2)).build()));
        assertTrue(e4.getMessage().contains("baseline of 'x'"), e4.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LayerIntegratedGradients.builder(g).layer("act").nSteps(0).build());
    }

    @Test
    void gradientXActivationEqualsTheGradientTimesTheLayer() {
        Graph g = TestGraphs.linear();
        var a = LayerGradientXActivation.builder(g).layer("x").build()
                .attribute(AttributionInputs.builder().input("x", X).target(Target.index(0)).build());
        double[] w0 = {1, 2, 3};
        for (int i = 0; i < 6; i++) {
            assertEquals(w0[i % 3] * X.getDouble(i), a.single().getDouble(i), 1e-12);
        }
        assertEquals(List.of("x"), LayerActivation.builder(g).layer("x").build().layers().getFirst().values());
    }

    @Test
    void progressIsReportedAfterEachChunk() {
        Graph g = TestGraphs.twoInputs();
        List<long[]> seen = new java.util.ArrayList<>();
        LayerIntegratedGradients.builder(g).layer("act").nSteps(10).internalBatchSize(8)
                .progress((method, done, total) -> {
                    assertEquals("LayerIntegratedGradients", method);
                    seen.add(new long[] {done, total});
                })
                .build().attribute(twoInputs().build());
        // 8 rows per evaluation hold 4 steps of the 2 examples: chunks of 4, 4 and 2 steps
        assertEquals(List.of("4/10", "8/10", "10/10"), seen.stream().map(p -> p[0] + "/" + p[1]).toList());
    }

    @Test
    void aSecondCallSizesItsFirstEvaluationFromWhatTheFirstCallMeasured() {
        Graph g = TestGraphs.twoInputs();
        List<String> seen = new java.util.ArrayList<>();
        LayerIntegratedGradients lig = LayerIntegratedGradients.builder(g).layer("act").nSteps(10)
                .progress((method, done, total) -> seen.add(done + "/" + total)).build();
        Attribution first = lig.attribute(twoInputs().build());
        // the first call measures one step's cost, then takes the other nine at once (the default budget holds them)
        assertEquals(List.of("1/10", "10/10"), seen);
        seen.clear();
        Attribution second = lig.attribute(twoInputs().build());
        assertEquals(List.of("10/10"), seen);
        for (int i = 0; i < first.single().size(); i++) {
            assertEquals(first.single().getDouble(i), second.single().getDouble(i), 1e-12 * (1 + Math.abs(first.single().getDouble(i))));
        }
        // inputs of another shape are measured anew
        seen.clear();
        lig.attribute(AttributionInputs.builder().input("x", Tensors.rows(X, 0, 1)).additional("y", Tensors.rows(Y, 0, 1))
                .target(Target.index(0)).build());
        assertEquals(List.of("1/10", "10/10"), seen);
    }
}
