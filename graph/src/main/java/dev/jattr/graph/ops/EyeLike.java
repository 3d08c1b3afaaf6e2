package dev.jattr.graph.ops;

import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * ONNX EyeLike: ones on diagonal k of a matrix of the input's shape, zeros elsewhere. It has no gradient.
 *
 * @param dtype the result type, or null for the input's
 * @param k     the diagonal (positive above the main one)
 */
public record EyeLike(DType dtype, int k) implements Op {
    @Override
    public String type() {
        return "EyeLike";
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        int[] s = in[0].shape();
        if (s.length != 2) {
            throw new IllegalArgumentException("EyeLike needs a 2-d input, got rank " + s.length);
        }
        Tensor r = Tensor.zeros(dtype == null ? in[0].dtype() : dtype, s);
        for (int i = 0; i < s[0]; i++) {
            int j = i + k;
            if (j >= 0 && j < s[1]) {
                r.setDouble(i * s[1] + j, 1);
            }
        }
        return new Tensor[] {r};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
