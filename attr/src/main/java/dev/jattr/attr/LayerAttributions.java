package dev.jattr.attr;

import dev.jattr.graph.DType;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/** Helpers for layer attributions, as Captum's {@code LayerAttribution} class offers them. */
public final class LayerAttributions {
    private LayerAttributions() {}

    /** How {@link #interpolate} computes a value between input positions, named as in PyTorch. */
    public enum Mode {
        /** The value at the input position floor(dst · in/out) (PyTorch's legacy {@code nearest}). */
        NEAREST(0),
        /** Linear interpolation over 1 spatial dimension (an (N, C, W) tensor). */
        LINEAR(1),
        /** Linear interpolation over 2 spatial dimensions (an (N, C, H, W) tensor). */
        BILINEAR(2),
        /** Linear interpolation over 3 spatial dimensions (an (N, C, D, H, W) tensor). */
        TRILINEAR(3);

        private final int spatialDims;

        Mode(int spatialDims) {
            this.spatialDims = spatialDims;
        }
    }

    /**
     * Resizes the spatial dimensions (2…) of {@code attribution} to {@code size}, as Captum's
     * {@code LayerAttribution.interpolate} and {@code torch.nn.functional.interpolate(size=…)}.
     * For the linear modes, an output position dst maps to the input position
     * dst·(in − 1)/(out − 1) with {@code alignCorners}, else max(0, (dst + ½)·in/out − ½), and
     * the two neighbours are weighted linearly. {@code alignCorners} is only allowed with the
     * linear modes, as in PyTorch; Captum never sets it.
     */
    public static Tensor interpolate(Tensor attribution, int[] size, Mode mode, boolean alignCorners) {
        int[] in = attribution.shape();
        int spatial = in.length - 2;
        if (spatial < 1 || size.length != spatial) {
            throw new IllegalArgumentException("interpolate needs a tensor of shape (N, C, *spatial) and one size per spatial "
                    + "dimension; got shape " + Arrays.toString(in) + " and size " + Arrays.toString(size));
        }
        if (mode != Mode.NEAREST && mode.spatialDims != spatial) {
            throw new IllegalArgumentException(mode + " interpolation needs " + mode.spatialDims + " spatial dimensions; shape "
                    + Arrays.toString(in) + " has " + spatial);
        }
        if (mode == Mode.NEAREST && alignCorners) {
            throw new IllegalArgumentException("align_corners can only be set with the linear modes, not NEAREST");
        }
        int[][] lo = new int[spatial][], hi = new int[spatial][];
        double[][] wHi = new double[spatial][];
        for (int d = 0; d < spatial; d++) {
            if (size[d] < 1) {
                throw new IllegalArgumentException("interpolate size " + Arrays.toString(size) + " must be positive");
            }
            int inD = in[d + 2], outD = size[d];
            lo[d] = new int[outD];
            hi[d] = new int[outD];
            wHi[d] = new double[outD];
            for (int o = 0; o < outD; o++) {
                if (mode == Mode.NEAREST) {
                    lo[d][o] = hi[d][o] = nearest(o, inD, outD);
                } else {
                    double src = linearSource(o, inD, outD, alignCorners);
                    int i0 = Math.min((int) Math.floor(src), inD - 1);
                    lo[d][o] = i0;
                    hi[d][o] = i0 < inD - 1 ? i0 + 1 : i0;
                    wHi[d][o] = Math.min(Math.max(src - i0, 0), 1);
                }
            }
        }
        int[] outShape = new int[in.length];
        outShape[0] = in[0];
        outShape[1] = in[1];
        System.arraycopy(size, 0, outShape, 2, spatial);
        DType type = attribution.dtype().isFloating() ? attribution.dtype() : DType.F64;
        Tensor r = Tensor.zeros(type, outShape);
        int[] inStrides = Shapes.strides(in);
        int planes = in[0] * in[1], inPlane = Shapes.product(in, 2, in.length), outPlane = Shapes.size(size);
        int[] pos = new int[spatial];
        for (int p = 0; p < planes; p++) {
            for (int o = 0; o < outPlane; o++) {
                for (int d = spatial - 1, rest = o; d >= 0; d--) {
                    pos[d] = rest % size[d];
                    rest /= size[d];
                }
                double v = 0;
                for (int corner = 0; corner < 1 << spatial; corner++) {
                    double w = 1;
                    int at = p * inPlane;
                    for (int d = 0; d < spatial; d++) {
                        boolean upper = (corner >> d & 1) == 1;
                        w *= upper ? wHi[d][pos[d]] : 1 - wHi[d][pos[d]];
                        at += (upper ? hi[d][pos[d]] : lo[d][pos[d]]) * inStrides[d + 2];
                    }
                    if (w != 0) {
                        v += w * attribution.getDouble(at);
                    }
                }
                r.setDouble(p * outPlane + o, v);
            }
        }
        return r;
    }

    /** Captum's default: {@code alignCorners} false. */
    public static Tensor interpolate(Tensor attribution, int[] size, Mode mode) {
        return interpolate(attribution, size, mode, false);
    }

    /** PyTorch's nearest index: identity for equal sizes, dst/2 for doubling, else floor(dst · in/out) in float. */
    private static int nearest(int dst, int in, int out) {
        if (in == out) {
            return dst;
        }
        if (out == 2 * in) {
            return dst >> 1;
        }
        float scale = (float) in / out;
        return Math.min((int) Math.floor(dst * scale), in - 1);
    }

    private static double linearSource(int dst, int in, int out, boolean alignCorners) {
        if (alignCorners) {
            return out > 1 ? dst * (double) (in - 1) / (out - 1) : 0;
        }
        return Math.max((dst + 0.5) * ((double) in / out) - 0.5, 0);
    }
}
