package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * ONNX LogSoftmax: x − log Σ e^x along one axis (opset 13+) or over the rows of the input
 * flattened to 2-d at the axis (before 13, {@code coerced2d}).
 *
 * @param axis      the axis (negative counts from the end)
 * @param coerced2d the pre-13 semantics
 */
public record LogSoftmax(int axis, boolean coerced2d) implements Op {
    @Override
    public String type() {
        return "LogSoftmax";
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        Linalg.requireFloating(x, "LogSoftmax", "input");
        Tensor y = AxisLayout.of(x.shape(), axis, coerced2d).mapWithLogSumExp(x, (v, lse) -> v - lse);
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        // ∂/∂x_j Σ_k g_k (x_k − lse) = g_j − softmax_j · Σ_k g_k, with softmax = e^y.
        Tensor y = out[0], gy = g[0];
        AxisLayout l = AxisLayout.of(y.shape(), axis, coerced2d);
        Tensor gx = Tensor.zeros(y.dtype(), y.shape());
        for (int o = 0; o < l.outer(); o++) {
            for (int i = 0; i < l.inner(); i++) {
                double sum = 0;
                for (int k = 0; k < l.len(); k++) {
                    sum += gy.getDouble(l.at(o, i, k));
                }
                for (int k = 0; k < l.len(); k++) {
                    int p = l.at(o, i, k);
                    gx.setDouble(p, gy.getDouble(p) - Math.exp(y.getDouble(p)) * sum);
                }
            }
        }
        return new Tensor[] {gx};
    }
}
