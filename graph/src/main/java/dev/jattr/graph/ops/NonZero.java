package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/** ONNX NonZero: the indices of the non-zero elements, as an int64 [rank, count] tensor in row-major order. It has no gradient. */
public record NonZero() implements Op {
    @Override
    public String type() {
        return "NonZero";
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return true;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        int[] s = x.shape();
        int[] st = Shapes.strides(s);
        int n = x.size(), count = 0;
        for (int i = 0; i < n; i++) {
            count += x.getDouble(i) != 0 ? 1 : 0;
        }
        long[] r = new long[s.length * count];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (x.getDouble(i) != 0) {
                for (int d = 0; d < s.length; d++) {
                    r[d * count + k] = i / st[d] % s[d];
                }
                k++;
            }
        }
        return new Tensor[] {Tensor.of(r, s.length, count)};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
