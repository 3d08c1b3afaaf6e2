package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX Compress: keeps the slices along {@code axis} whose condition (second input) is true; a
 * condition shorter than the axis drops the rest. Without an axis the input is flattened first.
 *
 * @param axis the axis, or {@link #FLATTEN}
 */
public record Compress(int axis) implements Rearrangement {
    /** The axis value meaning "flatten the input first". */
    public static final int FLATTEN = Integer.MIN_VALUE;

    @Override
    public String type() {
        return "Compress";
    }

    @Override
    public IndexMap indexMap(Tensor[] in) {
        int[] s = axis == FLATTEN ? new int[] {in[0].size()} : in[0].shape();
        int a = axis == FLATTEN ? 0 : Shapes.axis(axis, s.length);
        Tensor cond = in[1];
        int outer = Shapes.product(s, 0, a), inner = Shapes.product(s, a + 1, s.length);
        int kept = 0, limit = Math.min(cond.size(), s[a]);
        for (int j = 0; j < limit; j++) {
            kept += cond.getDouble(j) != 0 ? 1 : 0;
        }
        int[] out = s.clone();
        out[a] = kept;
        int[] src = new int[Shapes.size(out)];
        int k = 0;
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < limit; j++) {
                if (cond.getDouble(j) != 0) {
                    for (int i = 0; i < inner; i++) {
                        src[k++] = (o * s[a] + j) * inner + i;
                    }
                }
            }
        }
        return new IndexMap(out, src);
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return i == 1;
    }
}
