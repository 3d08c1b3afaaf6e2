package dev.jattr.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jattr.graph.ops.AutoPad;
import dev.jattr.graph.ops.Concat;
import dev.jattr.graph.ops.Conv;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import dev.jattr.graph.ops.Window;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A Concat along the channels whose parts are convolutions that only it reads runs as one step
 * that has them write into its output (SqueezeNet's Fire module: a 1×1 and a 3×3 expansion of
 * one squeeze), with the values of the separate nodes; parts that are not such convolutions are
 * copied in, and runs that read a part, or whose backward pass reaches the Concat, keep the nodes
 * apart.
 */
class ConcatFusionTest {
    private static final int C = 3;
    private static final int SIDE = 6;

    private static Window window(int k) {
        int p = k / 2;
        return new Window(new int[] {k, k}, new int[] {1, 1}, new int[] {p, p, p, p}, new int[] {1, 1}, AutoPad.NOTSET, false);
    }

    /** A tensor of the given shape, uniform in [−0.5, 0.5). */
    static Tensor random(SplittableRandom r, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] a = new float[n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextDouble() - 0.5);
        }
        return Tensor.of(a, shape);
    }

    /**
     * x → Relu → "s"; "s" → Conv 1×1 (4 channels) → Relu → e1; "s" → Conv 3×3 (5 channels, no
     * bias) → e3; y = Concat(e1, s, e3) along axis {@code axis}.
     */
    private static Graph fire(int axis) {
        var x = new ValueInfo("x", DType.F32, new int[] {-1, C, SIDE, SIDE}, List.of("batch", "", "", ""));
        SplittableRandom r = new SplittableRandom(5);
        Map<String, Tensor> constants = new HashMap<>();
        constants.put("w1", random(r, 4, C, 1, 1));
        constants.put("b1", random(r, 4));
        constants.put("w3", random(r, 5, C, 3, 3));
        return new Graph(List.of(
                new Node("/s/Relu", Unary.of(UnaryKind.RELU), List.of("x"), List.of("s")),
                new Node("/e1/Conv", new Conv(window(1), 1), List.of("s", "w1", "b1"), List.of("/e1/Conv_output_0")),
                new Node("/e1/Relu", Unary.of(UnaryKind.RELU), List.of("/e1/Conv_output_0"), List.of("e1")),
                new Node("/e3/Conv", new Conv(window(3), 1), List.of("s", "w3"), List.of("e3")),
                new Node("/Concat", new Concat(axis), List.of("e1", "s", "e3"), List.of("y"))),
                List.of(x), List.of(new ValueInfo("y", DType.F32, new int[] {-1, 4 + C + 5, SIDE, SIDE}, List.of("batch", "", "", ""))),
                constants);
    }

    private static Tensor input(int batch) {
        return random(new SplittableRandom(9), batch, C, SIDE, SIDE);
    }

    private static void assertClose(Tensor ref, Tensor got) {
        assertEquals(java.util.Arrays.toString(ref.shape()), java.util.Arrays.toString(got.shape()));
        for (int i = 0; i < ref.size(); i++) {
            assertEquals(ref.getDouble(i), got.getDouble(i), 1e-6 * (1 + Math.abs(ref.getDouble(i))), "at " + i);
        }
    }

    @Test
    void forwardRunsTheConvolutionsIntoTheConcatenation() {
        for (int axis : new int[] {1, -3}) {
            for (int batch : new int[] {1, 3}) {
                Graph g = fire(axis);
                List<String> ran = new ArrayList<>();
                Tensor y = new Executor(g).profiled((n, t) -> ran.add(n.op().type())).forward(Map.of("x", input(batch))).get("y");
                assertEquals(List.of("Relu", "Conv→Concat"), ran);
                // every value kept: nothing fused
                Tensor ref = new Executor(g).run(Map.of("x", input(batch)), List.of("y")).value("y");
                assertClose(ref, y);
            }
        }
    }

    @Test
    void anotherAxisRunsThePartsAndTheConcatenation() {
        // axis 2 joins along the rows: the fused step computes the parts and joins them as Concat does
        var x = new ValueInfo("x", DType.F32, new int[] {-1, C, SIDE, SIDE}, List.of("batch", "", "", ""));
        SplittableRandom r = new SplittableRandom(5);
        Graph g = new Graph(List.of(
                new Node("/a/Conv", new Conv(window(1), 1), List.of("x", "wa"), List.of("a")),
                new Node("/b/Conv", new Conv(window(3), 1), List.of("x", "wb"), List.of("b")),
                new Node("/Concat", new Concat(2), List.of("a", "b"), List.of("y"))),
                List.of(x), List.of(new ValueInfo("y", DType.F32, new int[] {-1, 2, 2 * SIDE, SIDE}, List.of("batch", "", "", ""))),
                Map.of("wa", random(r, 2, C, 1, 1), "wb", random(r, 2, C, 3, 3)));
        List<String> ran = new ArrayList<>();
        Tensor y = new Executor(g).profiled((n, t) -> ran.add(n.op().type())).forward(Map.of("x", input(2))).get("y");
        assertEquals(List.of("Conv→Concat"), ran);
        assertClose(new Executor(g).run(Map.of("x", input(2)), List.of("y")).value("y"), y);
    }

    @Test
    void aRunThatReadsAPartKeepsThatConvolutionApart() {
        Graph g = fire(1);
        List<String> ran = new ArrayList<>();
        Trace t = new Executor(g).profiled((n, tm) -> ran.add(n.op().type()))
                .run(Map.of("x", input(2)), List.of("y", "e3"), Retention.RESULTS);
        assertEquals(List.of("Relu", "Conv", "Conv→Concat"), ran);
        Trace ref = new Executor(g).run(Map.of("x", input(2)), List.of("y", "e3"));
        assertClose(ref.value("y"), t.value("y"));
        assertClose(ref.value("e3"), t.value("e3"));
    }

    @Test
    void aBackwardPassThroughTheConcatenationKeepsItsNodes() {
        Graph g = fire(1);
        Tensor seed = Tensor.full(DType.F32, 1.0, 2, 4 + C + 5, SIDE, SIDE);
        List<String> ran = new ArrayList<>();
        Executor ex = new Executor(g).profiled((n, t) -> ran.add(n.op().type()));
        Trace t = ex.runForGradient(Map.of("x", input(2)), List.of("y"), List.of("s"));
        assertEquals(List.of("Relu", "Conv·Relu", "Conv", "Concat"), ran);
        Tensor gs = t.backward(Map.of("y", seed), List.of("s"), BackwardRules.gradient()).get("s");
        Trace all = new Executor(g).run(Map.of("x", input(2)), List.of("y"));
        assertClose(all.backward(Map.of("y", seed), List.of("s"), BackwardRules.gradient()).get("s"), gs);
    }

    @Test
    void aBackwardPassThatStopsBeforeTheConcatenationFusesIt() {
        // y's gradient with respect to a value after it: a Concat feeding a Relu, the gradient taken at the Relu's input
        Graph fire = fire(1);
        List<Node> nodes = new ArrayList<>(fire.nodes());
        nodes.add(new Node("/out/Relu", Unary.of(UnaryKind.RELU), List.of("y"), List.of("z")));
        Graph g = new Graph(nodes, fire.inputs(),
                List.of(new ValueInfo("z", DType.F32, new int[] {-1, 4 + C + 5, SIDE, SIDE}, List.of("batch", "", "", ""))),
                fire.constants());
        List<String> ran = new ArrayList<>();
        Executor ex = new Executor(g).profiled((n, t) -> ran.add(n.op().type()));
        Trace t = ex.runForGradient(Map.of("x", input(2)), List.of("z", "y"), List.of("y"));
        assertEquals(List.of("Relu", "Conv→Concat", "Relu"), ran);
        Trace all = new Executor(g).run(Map.of("x", input(2)), List.of("z"));
        assertClose(all.value("y"), t.value("y"));
        Tensor seed = Tensor.full(DType.F32, 1.0, 2, 4 + C + 5, SIDE, SIDE);
        assertClose(all.backward(Map.of("z", seed), List.of("y"), BackwardRules.gradient()).get("y"),
                t.backward(Map.of("z", seed), List.of("y"), BackwardRules.gradient()).get("y"));
    }
}
