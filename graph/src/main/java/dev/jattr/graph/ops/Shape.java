package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * ONNX Shape: the input's dimensions [start, end) as int64 (negative bounds count from the end,
 * out-of-range bounds are clamped). It has no gradient.
 *
 * @param start first dimension
 * @param end   one past the last dimension ({@link Long#MAX_VALUE} for all)
 */
public record Shape(long start, long end) implements Op {
    @Override
    public String type() {
        return "Shape";
    }

    @Override
    public Tensor[] outputShapes(Tensor[] in) {
        return forward(in); // reads the input's shape only
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return true; // reads the input's shape only
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        int[] s = in[0].shape();
        int r = s.length;
        long a = Math.clamp(start < 0 ? start + r : start, 0, r), b = Math.clamp(end < 0 ? end + r : end, 0, r);
        int n = (int) Math.max(0, b - a);
        long[] d = new long[n];
        for (int i = 0; i < n; i++) {
            d[i] = s[(int) a + i];
        }
        return new Tensor[] {Tensor.of(d, n)};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
