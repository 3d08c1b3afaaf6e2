package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * Rewrites flat row-major indices into an [N, C, spatial…] tensor (its second input gives the
 * shape) as indices whose spatial part is column-major: MaxPool's indices with storage_order = 1.
 * It has no gradient.
 */
public record ColumnMajorIndices() implements Op {
    @Override
    public String type() {
        return "ColumnMajorIndices";
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor idx = in[0];
        int[] s = in[1].shape();
        int plane = Shapes.product(s, 2, s.length);
        long[] r = new long[idx.size()];
        for (int i = 0; i < r.length; i++) {
            long row = idx.getLong(i), rest = row % plane, col = 0;
            for (int d = s.length - 1; d >= 2; d--) {
                col += rest % s[d] * columnStride(s, d);
                rest /= s[d];
            }
            r[i] = row - row % plane + col;
        }
        return new Tensor[] {Tensor.of(r, idx.shape())};
    }

    /** The stride of spatial dimension {@code d} when the first spatial dimension varies fastest. */
    private static long columnStride(int[] s, int d) {
        long stride = 1;
        for (int e = 2; e < d; e++) {
            stride *= s[e];
        }
        return stride;
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
