package dev.jattr.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jattr.graph.ops.AutoPad;
import dev.jattr.graph.ops.Conv;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import dev.jattr.graph.ops.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A Conv whose output only an activation reads runs as one fused step (the backend applies the
 * activation as it writes the convolution) in forward-only runs, and for Relu in plain-gradient
 * runs too, with the values and gradients of the two nodes; other activations keep their two
 * steps where a backward pass follows, and runs that read the convolution's output run both.
 */
class ConvActivationFusionTest {
    private static Graph convThen(UnaryKind act) {
        var x = new ValueInfo("x", DType.F32, new int[] {-1, 2, 5, 5}, List.of("batch", "", "", ""));
        Window w = new Window(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1, 1, 1}, new int[] {1, 1}, AutoPad.NOTSET, false);
        SplittableRandom r = new SplittableRandom(7);
        float[] wt = new float[3 * 2 * 9], b = new float[3];
        for (int i = 0; i < wt.length; i++) {
            wt[i] = (float) (r.nextDouble() - 0.5);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (r.nextDouble() - 0.5);
        }
        return new Graph(List.of(
                new Node("/c/Conv", new Conv(w, 1), List.of("x", "w", "b"), List.of("/c/Conv_output_0")),
                new Node("/c/Act", Unary.of(act), List.of("/c/Conv_output_0"), List.of("y"))),
                List.of(x), List.of(new ValueInfo("y", DType.F32, new int[] {-1, 3, 5, 5}, List.of("batch", "", "", ""))),
                Map.of("w", Tensor.of(wt, 3, 2, 3, 3), "b", Tensor.of(b, 3)));
    }

    private static Tensor input() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[2 * 2 * 5 * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return Tensor.of(x, 2, 2, 5, 5);
    }

    @Test
    void forwardRunsOneFusedStepWithTheSameValues() {
        for (UnaryKind act : new UnaryKind[] {UnaryKind.RELU, UnaryKind.SIGMOID, UnaryKind.TANH}) {
            Graph g = convThen(act);
            List<String> ran = new ArrayList<>();
            Tensor y = new Executor(g).profiled((n, t) -> ran.add(n.op().type())).forward(Map.of("x", input())).get("y");
            assertEquals(List.of("Conv·" + Unary.of(act).type()), ran);
            Tensor ref = new Executor(g).run(Map.of("x", input()), List.of("y")).value("y"); // every value kept: not fused
            for (int i = 0; i < ref.size(); i++) {
                assertEquals(ref.getDouble(i), y.getDouble(i), 1e-6 * (1 + Math.abs(ref.getDouble(i))), act + " at " + i);
            }
        }
    }

    @Test
    void aReluStaysFusedForTheGradientAndOthersDoNot() {
        Tensor seed = Tensor.full(DType.F32, 1.0, 2, 3, 5, 5);
        for (UnaryKind act : new UnaryKind[] {UnaryKind.RELU, UnaryKind.SIGMOID}) {
            Graph g = convThen(act);
            List<String> ran = new ArrayList<>();
            Executor ex = new Executor(g).profiled((n, t) -> ran.add(n.op().type()));
            Trace t = ex.run(Map.of("x", input()), List.of("y"), Retention.GRADIENT);
            assertEquals(act == UnaryKind.RELU ? List.of("Conv·Relu") : List.of("Conv", "Sigmoid"), ran);
            Tensor gx = t.backward(Map.of("y", seed), List.of("x"), BackwardRules.gradient()).get("x");
            Trace all = new Executor(g).run(Map.of("x", input()), List.of("y"));
            Tensor ref = all.backward(Map.of("y", seed), List.of("x"), BackwardRules.gradient()).get("x");
            for (int i = 0; i < ref.size(); i++) {
                assertEquals(ref.getDouble(i), gx.getDouble(i), 1e-5 * (1 + Math.abs(ref.getDouble(i))), act + " at " + i);
            }
        }
    }

    /** x → Conv → Sigmoid → "mid" → Conv → Sigmoid → y. */
    private static Graph twoStages() {
        var x = new ValueInfo("x", DType.F32, new int[] {-1, 2, 5, 5}, List.of("batch", "", "", ""));
        Window w = new Window(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1, 1, 1}, new int[] {1, 1}, AutoPad.NOTSET, false);
        SplittableRandom r = new SplittableRandom(11);
        float[] w1 = new float[3 * 2 * 9], w2 = new float[3 * 3 * 9];
        for (float[] a : new float[][] {w1, w2}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (r.nextDouble() - 0.5);
            }
        }
        return new Graph(List.of(
                new Node("/a/Conv", new Conv(w, 1), List.of("x", "w1"), List.of("/a/Conv_output_0")),
                new Node("/a/Act", Unary.of(UnaryKind.SIGMOID), List.of("/a/Conv_output_0"), List.of("mid")),
                new Node("/b/Conv", new Conv(w, 1), List.of("mid", "w2"), List.of("/b/Conv_output_0")),
                new Node("/b/Act", Unary.of(UnaryKind.SIGMOID), List.of("/b/Conv_output_0"), List.of("y"))),
                List.of(x), List.of(new ValueInfo("y", DType.F32, new int[] {-1, 3, 5, 5}, List.of("batch", "", "", ""))),
                Map.of("w1", Tensor.of(w1, 3, 2, 3, 3), "w2", Tensor.of(w2, 3, 3, 3, 3)));
    }

    @Test
    void aGradientWithRespectToALayerFusesWhatLiesBeforeIt() {
        Graph g = twoStages();
        Tensor seed = Tensor.full(DType.F32, 1.0, 2, 3, 5, 5);
        List<String> ran = new ArrayList<>();
        Executor ex = new Executor(g).profiled((n, t) -> ran.add(n.op().type()));
        Trace t = ex.runForGradient(Map.of("x", input()), List.of("y", "mid"), List.of("mid"));
        // no gradient reaches the first stage: it runs as forward-only runs do
        assertEquals(List.of("Conv·Sigmoid", "Conv", "Sigmoid"), ran);
        Tensor gm = t.backward(Map.of("y", seed), List.of("mid"), BackwardRules.gradient()).get("mid");
        Trace all = new Executor(g).run(Map.of("x", input()), List.of("y"));
        Tensor ref = all.backward(Map.of("y", seed), List.of("mid"), BackwardRules.gradient()).get("mid");
        assertEquals(ref.size(), gm.size());
        for (int i = 0; i < ref.size(); i++) {
            assertEquals(ref.getDouble(i), gm.getDouble(i), 1e-5 * (1 + Math.abs(ref.getDouble(i))), "at " + i);
        }
        // and the run kept nothing a gradient with respect to the input would read
        Trace again = ex.runForGradient(Map.of("x", input()), List.of("y", "mid"), List.of("mid"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> again.backward(Map.of("y", seed), List.of("x"), BackwardRules.gradient()));
        assertEquals("this run kept what gradients with respect to [mid] read, not gradients with respect to [x]", e.getMessage());
    }

    @Test
    void aRunThatReadsTheConvolutionRunsBothNodes() {
        Graph g = convThen(UnaryKind.RELU);
        List<String> ran = new ArrayList<>();
        Executor ex = new Executor(g).profiled((n, t) -> ran.add(n.op().type()));
        ex.run(Map.of("x", input()), List.of("y", "/c/Conv_output_0"), Retention.RESULTS);
        assertEquals(List.of("Conv", "Relu"), ran);
    }
}
