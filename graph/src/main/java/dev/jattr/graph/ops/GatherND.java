package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX GatherND: each row of the last indices dimension (length k) addresses a slice
 * data[b…, i0, …, ik−1, :] of the data, after the first {@code batchDims} dimensions shared by
 * data and indices.
 *
 * @param batchDims leading dimensions that data and indices share
 */
public record GatherND(int batchDims) implements Rearrangement {
    @Override
    public String type() {
        return "GatherND";
    }

    /** The flat data offset of every slice the indices address, and the slice length. */
    static int[] offsets(int[] s, Tensor indices, int batchDims, String op) {
        int[] is = indices.shape();
        int k = is[is.length - 1];
        if (batchDims + k > s.length) {
            throw new IllegalArgumentException(op + " addresses " + k + " dimensions after " + batchDims
                    + " batch dimensions of a rank-" + s.length + " tensor");
        }
        int[] st = Shapes.strides(s);
        int batches = Shapes.product(s, 0, batchDims);
        int perBatch = Shapes.product(is, batchDims, is.length - 1);
        int batchStride = Shapes.product(s, batchDims, s.length);
        int[] off = new int[batches * perBatch];
        for (int b = 0; b < batches; b++) {
            for (int m = 0; m < perBatch; m++) {
                int row = b * perBatch + m, at = b * batchStride;
                for (int j = 0; j < k; j++) {
                    at += Indexing.check(indices.getLong(row * k + j), s[batchDims + j], op) * st[batchDims + j];
                }
                off[row] = at;
            }
        }
        return off;
    }

    @Override
    public IndexMap indexMap(Tensor[] in) {
        int[] s = in[0].shape(), is = in[1].shape();
        int k = is[is.length - 1];
        int inner = Shapes.product(s, batchDims + k, s.length);
        int[] out = new int[is.length - 1 + s.length - batchDims - k];
        System.arraycopy(is, 0, out, 0, is.length - 1);
        System.arraycopy(s, batchDims + k, out, is.length - 1, s.length - batchDims - k);
        int[] off = offsets(s, in[1], batchDims, "GatherND");
        return new IndexMap(out, Indexing.expand(off, inner));
    }
}
