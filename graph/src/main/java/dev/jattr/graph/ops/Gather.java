package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX Gather: slices of the data along {@code axis} picked by the indices (second input;
 * negative indices count from the end). The output shape is data[:axis] + indices + data[axis+1:].
 *
 * @param axis the gathered axis (negative counts from the end)
 */
public record Gather(int axis) implements Rearrangement {
    @Override
    public String type() {
        return "Gather";
    }

    @Override
    public IndexMap indexMap(Tensor[] in) {
        int[] s = in[0].shape();
        int a = Shapes.axis(axis, s.length);
        long[] idx = in[1].toLongs();
        int[] is = in[1].shape();
        int outer = Shapes.product(s, 0, a), dim = s[a], inner = Shapes.product(s, a + 1, s.length);
        int[] out = new int[s.length - 1 + is.length];
        System.arraycopy(s, 0, out, 0, a);
        System.arraycopy(is, 0, out, a, is.length);
        System.arraycopy(s, a + 1, out, a + is.length, s.length - a - 1);
        int[] src = new int[Shapes.size(out)];
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (long j : idx) {
                int row = Indexing.check(j, dim, "Gather");
                int base = (o * dim + row) * inner;
                for (int i = 0; i < inner; i++) {
                    src[k++] = base + i;
                }
            }
        }
        return new IndexMap(out, src);
    }
}
