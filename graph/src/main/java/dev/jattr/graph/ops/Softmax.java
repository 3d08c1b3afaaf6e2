package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.Op;
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

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        Linalg.requireFloating(x, "Softmax", "input");
        Tensor y = AxisLayout.of(x.shape(), axis, coerced2d).mapWithLogSumExp(x, (v, lse) -> Math.exp(v - lse));
        return new Tensor[] {y};
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return BackwardReads.OUTPUTS;
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor y = out[0], gy = g[0];
        AxisLayout l = AxisLayout.of(y.shape(), axis, coerced2d);
        Tensor gx = Tensor.zeros(y.dtype(), y.shape());
        for (int o = 0; o < l.outer(); o++) {
            for (int i = 0; i < l.inner(); i++) {
                double dot = 0;
                for (int k = 0; k < l.len(); k++) {
                    dot += gy.getDouble(l.at(o, i, k)) * y.getDouble(l.at(o, i, k));
                }
                for (int k = 0; k < l.len(); k++) {
                    int p = l.at(o, i, k);
                    gx.setDouble(p, y.getDouble(p) * (gy.getDouble(p) - dot));
                }
            }
        }
        return new Tensor[] {gx};
    }
}
