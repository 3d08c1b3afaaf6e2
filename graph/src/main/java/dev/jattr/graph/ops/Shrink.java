package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * ONNX Shrink: x + bias below −lambd, x − bias above lambd, 0 between. Its derivative is 1 outside
 * [−lambd, lambd] and 0 inside.
 *
 * @param lambd the half-width of the zeroed band
 * @param bias  what is moved towards zero outside it
 */
public record Shrink(double lambd, double bias) implements Op {
    @Override
    public String type() {
        return "Shrink";
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        Tensor y = Tensor.zeros(x.dtype(), x.shape());
        for (int i = 0, n = x.size(); i < n; i++) {
            double v = x.getDouble(i);
            y.setDouble(i, v < -lambd ? v + bias : v > lambd ? v - bias : 0);
        }
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0];
        Tensor gx = Tensor.zeros(x.dtype(), x.shape());
        for (int i = 0, n = x.size(); i < n; i++) {
            gx.setDouble(i, Math.abs(x.getDouble(i)) > lambd ? g[0].getDouble(i) : 0);
        }
        return new Tensor[] {gx};
    }
}
