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

/**
 * A two-layer network small enough to attribute by hand: h = W1·x ("fc1"), r = relu(h) ("act"),
 * y = W2·r ("fc2"), out = y ⊙ s ("scale") with s a second model input that tests pass as an
 * additional (non-attributed) input. After "act" the model is linear in r, so ∂out_t/∂r_p is
 * W2[t][p]·s_t everywhere.
 */
final class TinyNet {
    static final double[][] W1 = {{1, -1}, {2, 1}};
    static final double[][] W2 = {{1, 2}, {-1, 3}, {0.5, -2}};
    /** Two examples of x: h = (−1, 4) and (3, 3). */
    static final double[][] X = {{1, 2}, {2, -1}};
    /** The additional input s of the two examples. */
    static final double[][] S = {{1, 2, 3}, {0.5, 1, -1}};

    private TinyNet() {}

    static Graph graph() {
        List<String> batch = List.of("batch", "");
        return new Graph(List.of(
                new Node("fc1", new Gemm(1, 1, false, true), List.of("x", "w1"), List.of("h")),
                new Node("act", Unary.of(UnaryKind.RELU), List.of("h"), List.of("r")),
                new Node("fc2", new Gemm(1, 1, false, true), List.of("r", "w2"), List.of("y")),
                new Node("scale", new Binary(BinaryKind.MUL), List.of("y", "s"), List.of("out"))),
                List.of(new ValueInfo("x", DType.F32, new int[] {-1, 2}, batch),
                        new ValueInfo("s", DType.F32, new int[] {-1, 3}, batch)),
                List.of(new ValueInfo("out", DType.F32, new int[] {-1, 3}, batch)),
                Map.of("w1", matrix(W1), "w2", matrix(W2)));
    }

    static Tensor matrix(double[][] m) {
        double[] flat = new double[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, flat, i * m[0].length, m[0].length);
        }
        return Tensor.of(flat, m.length, m[0].length).cast(DType.F32);
    }

    /** h = W1·x for one example. */
    static double[] hidden(double[] x) {
        return new double[] {W1[0][0] * x[0] + W1[0][1] * x[1], W1[1][0] * x[0] + W1[1][1] * x[1]};
    }

    /** r = relu(W1·x) for one example. */
    static double[] act(double[] x) {
        double[] h = hidden(x);
        return new double[] {Math.max(h[0], 0), Math.max(h[1], 0)};
    }

    /** out_t for one example. */
    static double out(double[] x, double[] s, int t) {
        double[] r = act(x);
        return (W2[t][0] * r[0] + W2[t][1] * r[1]) * s[t];
    }

    /** Attributed input x and additional input s. */
    static AttributionInputs.Builder inputs(double[][] x, double[][] s) {
        return AttributionInputs.builder()
                .input("x", matrix(x))
                .additional("s", matrix(s));
    }
}
