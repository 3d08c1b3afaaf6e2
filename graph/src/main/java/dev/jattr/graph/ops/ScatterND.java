package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX ScatterND: inputs data, indices [..., k] and updates; each row of the indices addresses a
 * slice data[i0, …, ik−1, :] that the matching slice of the updates is combined into.
 *
 * @param reduction how an update combines with the element it lands on
 */
public record ScatterND(ScatterReduction reduction) implements Scatter {
    @Override
    public String type() {
        return "ScatterND";
    }

    @Override
    public int[] positions(Tensor[] in) {
        int[] s = in[0].shape(), is = in[1].shape();
        int k = is[is.length - 1];
        int inner = Shapes.product(s, k, s.length);
        int[] off = GatherND.offsets(s, in[1], 0, "ScatterND");
        int[] pos = Indexing.expand(off, inner);
        if (pos.length != in[2].size()) {
            throw new IllegalArgumentException("ScatterND updates have " + in[2].size() + " elements, the indices address " + pos.length);
        }
        return pos;
    }
}
