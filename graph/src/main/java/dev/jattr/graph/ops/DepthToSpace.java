package dev.jattr.graph.ops;

import dev.jattr.graph.Tensor;

/**
 * ONNX DepthToSpace: moves blocks of channels into spatial blocks, [N, C, H, W] → [N, C/b², H·b, W·b].
 *
 * @param blockSize b
 * @param columnRowDepth CRD mode (channel-major blocks) instead of the default DCR (depth-column-row)
 */
public record DepthToSpace(int blockSize, boolean columnRowDepth) implements Rearrangement {
    @Override
    public String type() {
        return "DepthToSpace";
    }

    @Override
    public IndexMap indexMap(Tensor[] in) {
        int[] s = in[0].shape();
        int b = blockSize;
        if (s.length != 4 || s[1] % (b * b) != 0) {
            throw new IllegalArgumentException("DepthToSpace needs [N, C, H, W] with C divisible by " + b * b + ", got "
                    + java.util.Arrays.toString(s));
        }
        int c = s[1] / (b * b);
        int[] view = columnRowDepth ? new int[] {s[0], c, b, b, s[2], s[3]} : new int[] {s[0], b, b, c, s[2], s[3]};
        int[] perm = columnRowDepth ? new int[] {0, 1, 4, 2, 5, 3} : new int[] {0, 3, 4, 1, 5, 2};
        IndexMap m = IndexMap.permuted(view, perm);
        return new IndexMap(new int[] {s[0], c, s[2] * b, s[3] * b}, m.source());
    }

}
