package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX ReverseSequence: for each batch entry b, reverses the first {@code sequence_lens[b]}
 * (second input) steps along the time axis and keeps the rest.
 *
 * @param batchAxis the batch axis (0 or 1)
 * @param timeAxis  the time axis (1 or 0)
 */
public record ReverseSequence(int batchAxis, int timeAxis) implements Rearrangement {
    @Override
    public String type() {
        return "ReverseSequence";
    }

    @Override
    public IndexMap indexMap(Tensor[] in) {
        int[] s = in[0].shape();
        int[] st = Shapes.strides(s);
        int[] src = new int[Shapes.size(s)];
        for (int i = 0; i < src.length; i++) {
            int b = i / st[batchAxis] % s[batchAxis], t = i / st[timeAxis] % s[timeAxis];
            long len = in[1].getLong(b);
            src[i] = t < len ? i + (int) (len - 1 - 2L * t) * st[timeAxis] : i;
        }
        return new IndexMap(s, src);
    }
}
