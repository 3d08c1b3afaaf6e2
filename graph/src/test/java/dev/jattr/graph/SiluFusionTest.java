package dev.jattr.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jattr.graph.ops.Binary;
import dev.jattr.graph.ops.BinaryKind;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Sigmoid whose output only the Mul of its own input reads runs as one SiLU step in forward-only
 * and plain-gradient runs, with the values and gradients of the two nodes; runs that need the
 * Sigmoid's value, or keep every value, run both nodes.
 */
class SiluFusionTest {
    private static Graph silu(boolean sigmoidFirst) {
        var x = new ValueInfo("x", DType.F32, new int[] {-1, 5}, List.of("batch", ""));
        List<String> mulIn = sigmoidFirst ? List.of("/act/Sigmoid_output_0", "x") : List.of("x", "/act/Sigmoid_output_0");
        return new Graph(List.of(
                new Node("/act/Sigmoid", Unary.of(UnaryKind.SIGMOID), List.of("x"), List.of("/act/Sigmoid_output_0")),
                new Node("/act/Mul", new Binary(BinaryKind.MUL), mulIn, List.of("y"))),
                List.of(x), List.of(new ValueInfo("y", DType.F32, new int[] {-1, 5}, List.of("batch", ""))), Map.of());
    }

    private static final Tensor X = Tensor.of(new float[] {-6f, -1.5f, 0f, 0.75f, 4f, 2f, -0.25f, 1f, -3f, 8f}, 2, 5);

    @Test
    void forwardAndGradientRunOneStepWithTheSameValues() {
        for (boolean order : new boolean[] {true, false}) {
            Graph g = silu(order);
            List<String> ran = new ArrayList<>();
            Executor fused = new Executor(g).profiled((n, t) -> ran.add(n.op().type()));
            Tensor y = fused.forward(Map.of("x", X)).get("y");
            assertEquals(List.of("Sigmoid·Mul"), ran);
            Trace all = new Executor(g).run(Map.of("x", X), List.of("y")); // keeps every value: not fused
            assertEquals(List.of("Sigmoid", "Mul"), all.executed().stream().map(n -> n.op().type()).toList());
            Tensor ref = all.value("y");
            for (int i = 0; i < X.size(); i++) {
                assertEquals(ref.getDouble(i), y.getDouble(i), 1e-6 * (1 + Math.abs(ref.getDouble(i))));
            }
            // a plain-gradient run: dy/dx = σ(x)(1 + x(1 − σ(x)))
            Trace grad = fused.run(Map.of("x", X), List.of("y"), Retention.GRADIENT);
            Tensor seed = Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 2, 5);
            Tensor gx = grad.backward(Map.of("y", seed), List.of("x"), BackwardRules.gradient()).get("x");
            Tensor gref = all.backward(Map.of("y", seed), List.of("x"), BackwardRules.gradient()).get("x");
            for (int i = 0; i < X.size(); i++) {
                double v = X.getDouble(i), s = 1 / (1 + Math.exp(-v));
                assertEquals(s * (1 + v * (1 - s)), gx.getDouble(i), 1e-5);
                assertEquals(gref.getDouble(i), gx.getDouble(i), 1e-5);
            }
        }
    }

    @Test
    void aRunThatReadsTheSigmoidRunsBothNodes() {
        Graph g = silu(false);
        List<String> ran = new ArrayList<>();
        Executor ex = new Executor(g).profiled((n, t) -> ran.add(n.op().type()));
        Trace t = ex.run(Map.of("x", X), List.of("y", "/act/Sigmoid_output_0"), Retention.GRADIENT);
        assertEquals(List.of("Sigmoid", "Mul"), ran);
        assertEquals(1 / (1 + Math.exp(6)), t.value("/act/Sigmoid_output_0").getDouble(0), 1e-7);
    }
}
