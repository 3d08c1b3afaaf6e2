package dev.jattr.attr;

import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ValueInfo;
import dev.jattr.graph.ops.Binary;
import dev.jattr.graph.ops.BinaryKind;
import dev.jattr.graph.ops.Gemm;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import java.util.List;
import java.util.Map;

/** Small graphs built in memory for unit tests, named as PyTorch's exporter names them. */
final class TestGraphs {
    private TestGraphs() {}

    static ValueInfo input(String name, int width) {
        return new ValueInfo(name, DType.F64, new int[] {-1, width}, List.of("batch", ""));
    }

    /** out = fc2(tanh(fc1(x) + side(y))): a two-input model where y is an additional input. */
    static Graph twoInputs() {
        Tensor w1 = Tensor.of(new double[] {0.5, -1.0, 0.25, 0.75, 1.5, -0.5}, 2, 3);
        Tensor ws = Tensor.of(new double[] {1.0, -2.0}, 2, 1);
        Tensor w2 = Tensor.of(new double[] {1.0, 0.5, -1.5, 2.0}, 2, 2);
        List<Node> nodes = List.of(
                new Node("/fc1/Gemm", new Gemm(1, 1, false, true), List.of("x", "fc1.weight"), List.of("/fc1/Gemm_output_0")),
                new Node("/side/Gemm", new Gemm(1, 1, false, true), List.of("y", "side.weight"), List.of("/side/Gemm_output_0")),
                new Node("/Add", new Binary(BinaryKind.ADD), List.of("/fc1/Gemm_output_0", "/side/Gemm_output_0"),
                        List.of("/Add_output_0")),
                new Node("/act/Tanh", Unary.of(UnaryKind.TANH), List.of("/Add_output_0"), List.of("/act/Tanh_output_0")),
                new Node("/fc2/Gemm", new Gemm(1, 1, false, true), List.of("/act/Tanh_output_0", "fc2.weight"), List.of("out")));
        return new Graph(nodes, List.of(input("x", 3), input("y", 1)),
                List.of(new ValueInfo("out", DType.F64, new int[] {-1, 2}, List.of("batch", ""))),
                Map.of("fc1.weight", w1, "side.weight", ws, "fc2.weight", w2));
    }

    /** out = W·x + b: a linear model, where integrated gradients are exactly gradient × (x − baseline). */
    static Graph linear() {
        List<Node> nodes = List.of(new Node("/lin/Gemm", new Gemm(1, 1, false, true), List.of("x", "w", "b"), List.of("out")));
        return new Graph(nodes, List.of(input("x", 3)), List.of(new ValueInfo("out", DType.F64, new int[] {-1, 2}, List.of("batch", ""))),
                Map.of("w", Tensor.of(new double[] {1, 2, 3, -1, 0.5, 4}, 2, 3), "b", Tensor.of(new double[] {0.1, -0.2}, 2)));
    }

    static Tensor batch(double... values) {
        int rows = 2;
        return Tensor.of(values, rows, values.length / rows);
    }
}
