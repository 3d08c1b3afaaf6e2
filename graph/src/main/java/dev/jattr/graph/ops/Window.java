package dev.jattr.graph.ops;

import dev.jattr.kernels.WindowGeometry;
import java.util.Arrays;

/**
 * The window attributes shared by convolution and pooling, as written in the model; resolved
 * against an input's spatial size into a {@link WindowGeometry}. Empty arrays mean "the ONNX
 * default" (strides and dilations 1, pads 0, kernel from the weight).
 *
 * @param kernel    kernel_shape
 * @param strides   strides
 * @param pads      pads (begins then ends)
 * @param dilations dilations
 * @param autoPad   auto_pad
 * @param ceilMode  ceil_mode (pooling)
 */
public record Window(int[] kernel, int[] strides, int[] pads, int[] dilations, AutoPad autoPad, boolean ceilMode) {
    /** Copies the arrays. */
    public Window {
        kernel = kernel.clone();
        strides = strides.clone();
        pads = pads.clone();
        dilations = dilations.clone();
    }

    /** The geometry for an input of spatial size {@code in}, with kernel {@code k} where the model gives none. */
    public WindowGeometry resolve(int[] in, int[] k) {
        int r = in.length;
        int[] ker = kernel.length > 0 ? kernel : k;
        if (ker.length != r) {
            throw new IllegalArgumentException("kernel " + Arrays.toString(ker) + " does not match the input's " + r
                    + " spatial dimensions");
        }
        int[] s = strides.length > 0 ? strides : ones(r);
        int[] d = dilations.length > 0 ? dilations : ones(r);
        int[] p = new int[2 * r];
        switch (autoPad) {
            case NOTSET -> {
                if (pads.length > 0) {
                    if (pads.length != 2 * r) {
                        throw new IllegalArgumentException("pads " + Arrays.toString(pads) + " should have " + 2 * r + " values");
                    }
                    System.arraycopy(pads, 0, p, 0, 2 * r);
                }
            }
            case VALID -> { }
            case SAME_UPPER, SAME_LOWER -> {
                for (int i = 0; i < r; i++) {
                    int out = (in[i] + s[i] - 1) / s[i];
                    int total = Math.max(0, (out - 1) * s[i] + (ker[i] - 1) * d[i] + 1 - in[i]);
                    int small = total / 2, large = total - small;
                    p[i] = autoPad == AutoPad.SAME_UPPER ? small : large;
                    p[i + r] = autoPad == AutoPad.SAME_UPPER ? large : small;
                }
            }
        }
        return new WindowGeometry(ker, s, p, d);
    }

    /** The output spatial size for input spatial size {@code in}. */
    public static int[] outputSize(WindowGeometry g, int[] in, boolean ceil) {
        int[] o = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            o[i] = g.outputSize(i, in[i], ceil);
            if (ceil && (o[i] - 1) * g.strides()[i] >= in[i] + g.pads()[i]) {
                o[i]--; // the last window would start in the end padding
            }
            if (o[i] <= 0) {
                throw new IllegalArgumentException("input of spatial size " + Arrays.toString(in)
                        + " is too small for kernel " + Arrays.toString(g.kernel()));
            }
        }
        return o;
    }

    private static int[] ones(int r) {
        int[] a = new int[r];
        Arrays.fill(a, 1);
        return a;
    }

    /** Spatial dimensions of an N×C×… shape. */
    static int[] spatial(int[] shape) {
        return Arrays.copyOfRange(shape, 2, shape.length);
    }

    /** [n, c, spatial…]. */
    static int[] join(int n, int c, int[] spatial) {
        int[] s = new int[spatial.length + 2];
        s[0] = n;
        s[1] = c;
        System.arraycopy(spatial, 0, s, 2, spatial.length);
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Window w && Arrays.equals(kernel, w.kernel) && Arrays.equals(strides, w.strides)
                && Arrays.equals(pads, w.pads) && Arrays.equals(dilations, w.dilations) && autoPad == w.autoPad
                && ceilMode == w.ceilMode;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(kernel) * 31 + Arrays.hashCode(strides);
    }

    @Override
    public String toString() {
        return "Window[kernel=" + Arrays.toString(kernel) + ", strides=" + Arrays.toString(strides) + ", pads="
                + Arrays.toString(pads) + ", dilations=" + Arrays.toString(dilations) + ", autoPad=" + autoPad
                + ", ceilMode=" + ceilMode + "]";
    }
}
