package dev.jattr.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jattr.graph.ops.AutoPad;
import dev.jattr.graph.ops.Conv;
import dev.jattr.graph.ops.MaxPool;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import dev.jattr.graph.ops.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A convolution (with its ReLU) whose output only a MaxPool reads runs as one step that pools
 * each sample's output as it is made (SqueezeNet's stem), with the bits of the separate nodes;
 * a run that reads the convolution's output, a pooling whose indices are read, or a backward
 * pass through the pooling keeps the nodes apart.
 */
class ConvPoolFusionTest {
    private static final int SIDE = 23;

    private static Window window(int k, int s, int p, boolean ceil) {
        return new Window(new int[] {k, k}, new int[] {s, s}, new int[] {p, p, p, p}, new int[] {1, 1}, AutoPad.NOTSET, ceil);
    }

    /** x → Conv 3×3 stride 2 (8 channels) → Relu → "c" → MaxPool 3×3 stride 2 (ceil mode) → "y" (and its indices when asked). */
    private static Graph stem(boolean indices) {
        var x = new ValueInfo("x", DType.F32, new int[] {-1, 3, SIDE, SIDE}, List.of("batch", "", "", ""));
        SplittableRandom r = new SplittableRandom(7);
        List<String> poolOut = indices ? List.of("y", "i") : List.of("y");
        List<ValueInfo> outs = new ArrayList<>(List.of(new ValueInfo("y", DType.F32, new int[] {-1, 8, 6, 6}, List.of("batch", "", "", ""))));
        if (indices) {
            outs.add(new ValueInfo("i", DType.I64, new int[] {-1, 8, 6, 6}, List.of("batch", "", "", "")));
        }
        return new Graph(List.of(
                new Node("/stem/Conv", new Conv(window(3, 2, 0, false), 1), List.of("x", "w", "b"), List.of("/stem/Conv_output_0")),
                new Node("/stem/Relu", Unary.of(UnaryKind.RELU), List.of("/stem/Conv_output_0"), List.of("c")),
                new Node("/pool/MaxPool", new MaxPool(window(3, 2, 0, true), indices), List.of("c"), poolOut)),
                List.of(x), outs, Map.of("w", ConcatFusionTest.random(r, 8, 3, 3, 3), "b", ConcatFusionTest.random(r, 8)));
    }

    private static Tensor input(int batch) {
        return ConcatFusionTest.random(new SplittableRandom(9), batch, 3, SIDE, SIDE);
    }

    @Test
    void forwardPoolsTheConvolutionAsItIsMade() {
        for (int batch : new int[] {1, 3}) {
            Graph g = stem(false);
            List<String> ran = new ArrayList<>();
            Tensor y = new Executor(g).profiled((n, t) -> ran.add(n.op().type())).forward(Map.of("x", input(batch))).get("y");
            assertEquals(List.of("Conv→MaxPool"), ran);
            // every value kept: nothing fused
            Tensor ref = new Executor(g).run(Map.of("x", input(batch)), List.of("y")).value("y");
            assertArrayEquals(ref.shape(), y.shape());
            assertArrayEquals(ref.floats(), y.floats(), "batch " + batch);
        }
    }

    @Test
    void aRunThatReadsTheConvolutionKeepsItApart() {
        Graph g = stem(false);
        List<String> ran = new ArrayList<>();
        Trace t = new Executor(g).profiled((n, tm) -> ran.add(n.op().type())).run(Map.of("x", input(2)), List.of("y", "c"),
                Retention.RESULTS);
        assertEquals(List.of("Conv·Relu", "MaxPool"), ran);
        assertArrayEquals(new Executor(g).run(Map.of("x", input(2)), List.of("y")).value("y").floats(), t.value("y").floats());
    }

    @Test
    void aPoolingWhoseIndicesAreReadIsNotFused() {
        Graph g = stem(true);
        List<String> ran = new ArrayList<>();
        new Executor(g).profiled((n, tm) -> ran.add(n.op().type())).forward(Map.of("x", input(2)));
        assertEquals(List.of("Conv·Relu", "MaxPool"), ran);
    }

    @Test
    void aBackwardPassThroughThePoolingKeepsItsNodes() {
        Graph g = stem(false);
        List<String> ran = new ArrayList<>();
        Trace t = new Executor(g).profiled((n, tm) -> ran.add(n.op().type())).runForGradient(Map.of("x", input(2)), List.of("y"),
                List.of("c"));
        assertEquals(List.of("Conv·Relu", "MaxPool"), ran);
        Tensor seed = Tensor.full(DType.F32, 1.0, 2, 8, 6, 6);
        Tensor gc = t.backward(Map.of("y", seed), List.of("c"), BackwardRules.gradient()).get("c");
        Trace all = new Executor(g).run(Map.of("x", input(2)), List.of("y"));
        assertArrayEquals(all.backward(Map.of("y", seed), List.of("c"), BackwardRules.gradient()).get("c").floats(), gc.floats());
    }
}
