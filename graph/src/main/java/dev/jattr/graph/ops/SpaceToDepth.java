package dev.jattr.graph.ops;

import dev.jattr.graph.Tensor;

/**
 * ONNX SpaceToDepth: moves spatial blocks into channels, [N, C, H, W] → [N, C·b², H/b, W/b].
 *
 * @param blockSize b
 */
public record SpaceToDepth(int blockSize) implements Rearrangement {
    @Override
    public String type() {
        return "SpaceToDepth";
    }

    @Override
    public IndexMap indexMap(Tensor[] in) {
        int[] s = in[0].shape();
        int b = blockSize;
        if (s.length != 4 || s[2] % b != 0 || s[3] % b != 0) {
            throw new IllegalArgumentException("SpaceToDepth needs [N, C, H, W] with H and W divisible by " + b + ", got "
                    + java.util.Arrays.toString(s));
        }
        int[] view = {s[0], s[1], s[2] / b, b, s[3] / b, b};
        IndexMap m = IndexMap.permuted(view, new int[] {0, 3, 5, 1, 2, 4});
        return new IndexMap(new int[] {s[0], s[1] * b * b, s[2] / b, s[3] / b}, m.source());
    }
}
