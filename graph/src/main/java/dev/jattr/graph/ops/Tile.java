package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/** ONNX Tile: the input repeated {@code repeats[d]} times along each dimension d (second input). */
public record Tile() implements Rearrangement {
    @Override
    public String type() {
        return "Tile";
    }

    @Override
    public IndexMap indexMap(Tensor[] in) {
        int[] s = in[0].shape();
        long[] reps = in[1].toLongs();
        if (reps.length != s.length) {
            throw new IllegalArgumentException("Tile repeats has " + reps.length + " entries for a rank-" + s.length + " input");
        }
        long[] total = new long[s.length];
        for (int d = 0; d < s.length; d++) {
            if (reps[d] < 0) {
                throw new IllegalArgumentException("Tile repeats " + java.util.Arrays.toString(reps) + " holds a negative count");
            }
            total[d] = reps[d] > Long.MAX_VALUE / Math.max(1, s[d]) ? Long.MAX_VALUE : reps[d] * s[d];
        }
        Shapes.allocatable(total);
        int[] st = Shapes.strides(s);
        // View the output as [r0, d0, r1, d1, …]: the repeat index has stride 0.
        int[] view = new int[2 * s.length], strides = new int[2 * s.length], out = new int[s.length];
        for (int d = 0; d < s.length; d++) {
            view[2 * d] = Math.toIntExact(reps[d]);
            view[2 * d + 1] = s[d];
            strides[2 * d + 1] = st[d];
            out[d] = view[2 * d] * s[d];
        }
        IndexMap m = IndexMap.strided(view, 0, strides);
        return new IndexMap(out, m.source());
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return i == 1;
    }
}
