package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.ops.AutoPad;
import dev.jattr.graph.ops.Flatten;
import dev.jattr.graph.ops.Gemm;
import dev.jattr.graph.ops.MaxPool;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import dev.jattr.graph.ops.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayerDeepLiftTest {
    private static final Gemm LINEAR = new Gemm(1, 1, false, true);

    /** x[4] → Gemm → Relu → Gemm → Relu → Gemm → [3], random weights. */
    private static Graph reluNet(long seed) {
        Random r = new Random(seed);
        int[][] shapes = {{6, 4}, {5, 6}, {3, 5}};
        SmallGraphs g = new SmallGraphs("x", -1, 4);
        String prev = "x";
        for (int l = 0; l < 3; l++) {
            int[] s = shapes[l];
            g.constant("w" + l, SmallGraphs.t(r.doubles(s[0] * s[1], -1, 1).toArray(), s))
                    .constant("b" + l, SmallGraphs.t(r.doubles(s[0], -0.5, 0.5).toArray(), s[0]))
                    .node("fc" + l, LINEAR, prev, "w" + l, "b" + l);
            prev = "fc" + l + "_out";
            if (l < 2) {
                g.node("relu" + l, Unary.of(UnaryKind.RELU), prev);
                prev = "relu" + l + "_out";
            }
        }
        return g.build();
    }

    private static double[] output(Graph g, Tensor x, int target) {
        Tensor out = new Executor(g).forward(Map.of("x", x)).values().iterator().next();
        int rows = out.dim(0), cols = out.dim(1);
        double[] r = new double[rows];
        for (int i = 0; i < rows; i++) {
            r[i] = out.getDouble(i * cols + target);
        }
        return r;
    }

    @Test
    void attributionsAtTheInputSumToTheOutputDifferenceOnAReluNet() {
        Random r = new Random(7);
        for (long seed = 1; seed <= 5; seed++) {
            Graph g = reluNet(seed);
            Tensor x = SmallGraphs.t(r.doubles(3 * 4, -2, 2).toArray(), 3, 4);
            Tensor b = SmallGraphs.t(r.doubles(3 * 4, -1, 1).toArray(), 3, 4);
            var in = AttributionInputs.builder().input("x", x).baseline("x", b).target(Target.index(1)).build();
            Attribution a = LayerDeepLift.builder(g).layer("fc0").attributeToLayerInput(true).returnConvergenceDelta(true)
                    .build().attribute(in);
            double[] fx = output(g, x, 1), fb = output(g, b, 1);
            double[] sums = Tensors.sumPerRow(a.single());
            for (int i = 0; i < 3; i++) {
                assertEquals(fx[i] - fb[i], sums[i], 1e-12, "example " + i + " of seed " + seed);
                assertEquals(0, a.delta().orElseThrow().getDouble(i), 1e-12);
            }
        }
    }

    @Test
    void customAttributionFunctionReceivesMultipliersAndLayerValues() {
        Graph g = reluNet(3);
        Random r = new Random(11);
        Tensor x = SmallGraphs.t(r.doubles(2 * 4, -2, 2).toArray(), 2, 4);
        Tensor b = SmallGraphs.t(r.doubles(4, -1, 1).toArray(), 1, 4);
        var in = AttributionInputs.builder().input("x", x).baseline("x", b).target(Target.perExample(0, 2)).build();
        Tensor multipliers = LayerDeepLift.builder(g).layer("relu0").multiplyByInputs(false).build().attribute(in).single();
        List<List<Tensor>> seen = new ArrayList<>();
        Attribution custom = LayerDeepLift.builder(g).layer("relu0").customAttributionFunc((m, xs, bs) -> {
            seen.add(m);
            seen.add(xs);
            seen.add(bs);
            return List.of(Tensors.scale(m.getFirst(), 2));
        }).build().attribute(in);
        Tensor ax = new Executor(g).run(Map.of("x", x), List.of("relu0_out")).value("relu0_out");
        Tensor ab = new Executor(g).run(Map.of("x", Tensors.repeat0(b, 2)), List.of("relu0_out")).value("relu0_out");
        assertArrayEquals(multipliers.toDoubles(), seen.get(0).getFirst().toDoubles(), 1e-12);
        assertArrayEquals(ax.toDoubles(), seen.get(1).getFirst().toDoubles(), 1e-12);
        assertArrayEquals(ab.toDoubles(), seen.get(2).getFirst().toDoubles(), 1e-12);
        assertArrayEquals(Tensors.scale(multipliers, 2).toDoubles(), custom.single().toDoubles(), 1e-12);
    }

    /**
     * Identity, MaxPool over pairs, then Flatten; the multipliers at the Identity's output. Example 1's second position equals its baseline there, so the
     * rule falls back to the plain gradient, which Captum 0.8.0 takes from batch row 0 (0 at that
     * position: row 0's maximum is its first element) instead of the row's own (1).
     */
    @Test
    void maxPoolFallbackUsesTheGradientOfBatchRowZeroAsCaptum080Does() {
        Window pairs = new Window(new int[] {1, 2}, new int[] {1, 2}, new int[] {0, 0, 0, 0}, new int[] {1, 1}, AutoPad.NOTSET, false);
        Graph g = new SmallGraphs("x", -1, 1, 1, 2).node("id", Unary.of(UnaryKind.IDENTITY), "x")
                .node("pool", new MaxPool(pairs), "id_out").node("flat", new Flatten(1), "pool_out").build();
        Tensor x = SmallGraphs.t(new double[] {3, 1, 1, 5}, 2, 1, 1, 2);
        Tensor b = SmallGraphs.t(new double[] {0, 0, 0, 5}, 2, 1, 1, 2);
        var in = AttributionInputs.builder().input("x", x).baseline("x", b).build();
        Tensor m = LayerDeepLift.builder(g).layer("id").multiplyByInputs(false).build()
                .attribute(in).single();
        // Row 0: the x half routes 1·(3 − 0) to position 0, Δin = [3, 1] → [1, 0].
        // Row 1: both differences are 0, Δin = [1, 0] → [0/1, fallback g_in[row 0][1] = 0].
        assertArrayEquals(new double[] {1, 0, 0, 0}, m.toDoubles(), 1e-12);
    }
}
