package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX ScatterElements (and the older Scatter): inputs data, indices, updates of the indices'
 * shape; update at index p lands on data at p with its {@code axis} coordinate replaced by
 * {@code indices[p]}, combined by {@code reduction}.
 *
 * @param axis      the indexed axis (negative counts from the end)
 * @param reduction how an update combines with the element it lands on
 */
public record ScatterElements(int axis, ScatterReduction reduction) implements Scatter {
    @Override
    public String type() {
        return "ScatterElements";
    }

    @Override
    public int[] positions(Tensor[] in) {
        int[] s = in[0].shape(), is = in[1].shape();
        int a = Shapes.axis(axis, s.length);
        int[] st = Shapes.strides(s);
        int[] pos = new int[Shapes.size(is)];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = Indexing.replaceAxis(i, is, st, a, Indexing.check(in[1].getLong(i), s[a], "ScatterElements"));
        }
        return pos;
    }
}
