package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX Trilu: keeps the upper (or lower) triangle of the last two dimensions, on and above (below)
 * diagonal k (optional second input, default 0), and zeroes the rest.
 *
 * @param upper keep the upper triangle
 */
public record Trilu(boolean upper) implements Rearrangement {
    @Override
    public String type() {
        return "Trilu";
    }

    @Override
    public IndexMap indexMap(Tensor[] in) {
        int[] s = in[0].shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("Trilu needs rank 2 or more, got " + s.length);
        }
        long k = in.length > 1 && in[1] != null ? in[1].getLong(0) : 0;
        int rows = s[s.length - 2], cols = s[s.length - 1];
        int[] src = new int[Shapes.size(s)];
        for (int i = 0; i < src.length; i++) {
            int c = i % cols, r = i / cols % rows;
            boolean keep = upper ? c - r >= k : c - r <= k;
            src[i] = keep ? i : -1;
        }
        return new IndexMap(s, src);
    }
}
