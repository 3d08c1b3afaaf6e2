package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX Softmax. From opset 13 it normalises along one axis; before, it flattened the input to
 * 2-d at {@code axis} and normalised each row ({@code coerced2d}).
 *
 * @param axis      the axis (negative counts from the end)
 * @param coerced2d the pre-13 semantics
 */
public record Softmax(int axis, boolean coerced2d) implements Op {
    @Override
    public String type() {
        return "Softmax";
    }

    private int[] layout(int[] s) {
        int a = Shapes.axis(axis, s.length);
        if (coerced2d) {
            return new int[] {Shapes.product(s, 0, a), Shapes.product(s, a, s.length), 1};
        }
        return new int[] {Shapes.product(s, 0, a), s[a], Shapes.product(s, a + 1, s.length)};
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        Linalg.requireFloating(x, "Softmax", "input");
        int[] l = layout(x.shape());
        int outer = l[0], len = l[1], inner = l[2];
        Tensor y = Tensor.zeros(x.dtype(), x.shape());
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < len; k++) {
                    max = Math.max(max, x.getDouble(base + k * inner));
                }
                double sum = 0;
                for (int k = 0; k < len; k++) {
                    sum += Math.exp(x.getDouble(base + k * inner) - max);
                }
                for (int k = 0; k < len; k++) {
                    y.setDouble(base + k * inner, Math.exp(x.getDouble(base + k * inner) - max) / sum);
                }
            }
        }
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor y = out[0], gy = g[0];
        int[] l = layout(y.shape());
        int outer = l[0], len = l[1], inner = l[2];
        Tensor gx = Tensor.zeros(y.dtype(), y.shape());
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                double dot = 0;
                for (int k = 0; k < len; k++) {
                    dot += gy.getDouble(base + k * inner) * y.getDouble(base + k * inner);
                }
                for (int k = 0; k < len; k++) {
                    int p = base + k * inner;
                    gx.setDouble(p, y.getDouble(p) * (gy.getDouble(p) - dot));
                }
            }
        }
        return new Tensor[] {gx};
    }
}
