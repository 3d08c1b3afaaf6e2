package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * ONNX Hardmax: 1 at the first maximum of each slice along the axis (or each row of the input
 * flattened at the axis, before opset 13), 0 elsewhere. Piecewise constant: it declares no
 * gradient, so an attribution through it fails naming it.
 *
 * @param axis      the axis (negative counts from the end)
 * @param coerced2d the pre-13 semantics
 */
public record Hardmax(int axis, boolean coerced2d) implements Op {
    @Override
    public String type() {
        return "Hardmax";
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        AxisLayout l = AxisLayout.of(x.shape(), axis, coerced2d);
        Tensor y = Tensor.zeros(x.dtype(), x.shape());
        for (int o = 0; o < l.outer(); o++) {
            for (int i = 0; i < l.inner(); i++) {
                double max = l.max(x, o, i);
                for (int k = 0; k < l.len(); k++) {
                    if (x.getDouble(l.at(o, i, k)) == max) {
                        y.setDouble(l.at(o, i, k), 1);
                        break;
                    }
                }
            }
        }
        return new Tensor[] {y};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
