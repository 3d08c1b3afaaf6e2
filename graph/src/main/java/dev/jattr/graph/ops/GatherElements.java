package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX GatherElements: output element at index p is data at p with its {@code axis} coordinate
 * replaced by {@code indices[p]}; the output has the indices' shape.
 *
 * @param axis the indexed axis (negative counts from the end)
 */
public record GatherElements(int axis) implements Rearrangement {
    @Override
    public String type() {
        return "GatherElements";
    }

    @Override
    public IndexMap indexMap(Tensor[] in) {
        int[] s = in[0].shape(), is = in[1].shape();
        int a = Shapes.axis(axis, s.length);
        if (is.length != s.length) {
            throw new IllegalArgumentException("GatherElements indices have rank " + is.length + ", data rank " + s.length);
        }
        int[] st = Shapes.strides(s);
        int[] src = new int[Shapes.size(is)];
        for (int i = 0; i < src.length; i++) {
            src[i] = Indexing.replaceAxis(i, is, st, a, Indexing.check(in[1].getLong(i), s[a], "GatherElements"));
        }
        return new IndexMap(is, src);
    }
}
