package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/**
 * ONNX Resize (opset 11 form: inputs X, roi, scales, sizes, the last three optional) and, through
 * the importer, Upsample. Interpolation is separable, so it runs one axis at a time: each output
 * coordinate maps to a point of the input axis ({@link Transform}) and reads its neighbours with
 * nearest, linear or cubic weights; the vector-Jacobian product applies the transposed weights.
 * roi, scales and sizes are parameters without a gradient.
 *
 * @param mode               nearest, linear or cubic
 * @param transform          how an output coordinate maps to an input coordinate
 * @param nearestMode        how nearest rounds a fractional coordinate
 * @param cubicCoeff         the cubic kernel's A
 * @param excludeOutside     zero the weights of neighbours outside the input and renormalise
 * @param extrapolationValue the value of points outside the crop ({@link Transform#TF_CROP_AND_RESIZE})
 */
public record Resize(Mode mode, Transform transform, NearestMode nearestMode, double cubicCoeff, boolean excludeOutside,
        double extrapolationValue) implements Op {

    /** The interpolation. */
    public enum Mode {
        /** The nearest input element. */
        NEAREST,
        /** Linear between the two neighbours (bilinear, trilinear… over several axes). */
        LINEAR,
        /** Cubic convolution over four neighbours. */
        CUBIC;

        /** The mode named by ONNX's {@code mode} attribute. */
        public static Mode parse(String s) {
            return switch (s) {
                case "nearest" -> NEAREST;
                case "linear", "bilinear", "trilinear" -> LINEAR;
                case "cubic", "bicubic" -> CUBIC;
                default -> throw new IllegalArgumentException("unknown Resize mode '" + s + "'");
            };
        }
    }

    /** ONNX's {@code coordinate_transformation_mode}. */
    public enum Transform {
        /** (o + ½)/scale − ½. */
        HALF_PIXEL,
        /** Like half_pixel, but 0 for an output axis of length 1. */
        PYTORCH_HALF_PIXEL,
        /** o·(in − 1)/(out − 1). */
        ALIGN_CORNERS,
        /** o/scale. */
        ASYMMETRIC,
        /** (o + ½)/scale. */
        TF_HALF_PIXEL_FOR_NN,
        /** Samples the region of interest; points outside the input get the extrapolation value. */
        TF_CROP_AND_RESIZE;

        /** The transform named by the attribute. */
        public static Transform parse(String s) {
            return switch (s) {
                case "half_pixel" -> HALF_PIXEL;
                case "pytorch_half_pixel" -> PYTORCH_HALF_PIXEL;
                case "align_corners" -> ALIGN_CORNERS;
                case "asymmetric" -> ASYMMETRIC;
                case "tf_half_pixel_for_nn" -> TF_HALF_PIXEL_FOR_NN;
                case "tf_crop_and_resize" -> TF_CROP_AND_RESIZE;
                default -> throw new IllegalArgumentException("unsupported coordinate_transformation_mode '" + s + "'");
            };
        }
    }

    /** ONNX's {@code nearest_mode}. */
    public enum NearestMode {
        /** Round, halves down. */
        ROUND_PREFER_FLOOR,
        /** Round, halves up. */
        ROUND_PREFER_CEIL,
        /** Round down. */
        FLOOR,
        /** Round up. */
        CEIL;

        /** The mode named by the attribute. */
        public static NearestMode parse(String s) {
            return switch (s) {
                case "round_prefer_floor" -> ROUND_PREFER_FLOOR;
                case "round_prefer_ceil" -> ROUND_PREFER_CEIL;
                case "floor" -> FLOOR;
                case "ceil" -> CEIL;
                default -> throw new IllegalArgumentException("unknown nearest_mode '" + s + "'");
            };
        }
    }

    @Override
    public String type() {
        return "Resize";
    }

    /** One axis's weights: output element o reads input elements {@code index[o][t]} with weights {@code weight[o][t]}; an empty row is extrapolated. */
    private record Taps(int[][] index, double[][] weight) {}

    private static Tensor optional(Tensor[] in, int i) {
        return in.length > i && in[i] != null && in[i].size() > 0 ? in[i] : null;
    }

    /** The output shape and the per-axis scales. */
    private double[][] geometry(Tensor[] in) {
        int[] s = in[0].shape();
        Tensor scales = optional(in, 2), sizes = optional(in, 3);
        double[] out = new double[s.length], scale = new double[s.length];
        if (sizes != null) {
            long[] z = sizes.toLongs();
            if (z.length != s.length) {
                throw new IllegalArgumentException("Resize sizes " + Arrays.toString(z) + " do not match rank " + s.length);
            }
            for (int d = 0; d < s.length; d++) {
                out[d] = z[d];
                scale[d] = (double) z[d] / s[d];
            }
        } else if (scales != null) {
            double[] f = scales.toDoubles();
            if (f.length != s.length) {
                throw new IllegalArgumentException("Resize scales " + Arrays.toString(f) + " do not match rank " + s.length);
            }
            for (int d = 0; d < s.length; d++) {
                scale[d] = f[d];
                out[d] = Math.floor(s[d] * f[d] + 1e-9);
            }
        } else {
            throw new IllegalArgumentException("Resize needs scales or sizes");
        }
        long[] dims = new long[s.length];
        for (int d = 0; d < s.length; d++) {
            if (!(out[d] >= 0) || !Double.isFinite(scale[d])) {
                throw new IllegalArgumentException("Resize output size " + out[d] + " (scale " + scale[d] + ") along axis " + d
                        + " is not a size");
            }
            dims[d] = (long) Math.min(out[d], Long.MAX_VALUE);
        }
        Shapes.allocatable(dims);
        return new double[][] {out, scale};
    }

    private Taps taps(int inLen, int outLen, double scale, double roiStart, double roiEnd) {
        int[][] index = new int[outLen][];
        double[][] weight = new double[outLen][];
        for (int o = 0; o < outLen; o++) {
            double x = switch (transform) {
                case HALF_PIXEL -> (o + 0.5) / scale - 0.5;
                case PYTORCH_HALF_PIXEL -> scale * inLen == 1 ? -0.5 : (o + 0.5) / scale - 0.5;
                case ALIGN_CORNERS -> scale * inLen == 1 ? 0 : o * (inLen - 1.0) / (scale * inLen - 1);
                case ASYMMETRIC -> o / scale;
                case TF_HALF_PIXEL_FOR_NN -> (o + 0.5) / scale;
                case TF_CROP_AND_RESIZE -> outLen > 1
                        ? roiStart * (inLen - 1) + o * (roiEnd - roiStart) * (inLen - 1) / (outLen - 1)
                        : 0.5 * (roiStart + roiEnd) * (inLen - 1);
            };
            if (transform == Transform.TF_CROP_AND_RESIZE && (x < 0 || x > inLen - 1)) {
                index[o] = new int[0];
                weight[o] = new double[0];
                continue;
            }
            boolean integral = x == Math.floor(x);
            int base = integral ? (int) x - 1 : (int) Math.floor(x);
            double r = integral ? 1 : x - Math.floor(x);
            double[] c = coefficients(r);
            int first = c.length == 4 ? base - 1 : base;
            int[] idx = new int[c.length];
            double total = 0;
            for (int t = 0; t < c.length; t++) {
                int j = first + t;
                if (excludeOutside && (j < 0 || j >= inLen)) {
                    c[t] = 0;
                }
                idx[t] = Math.clamp(j, 0, inLen - 1);
                total += c[t];
            }
            if (excludeOutside && total != 0) {
                for (int t = 0; t < c.length; t++) {
                    c[t] /= total;
                }
            }
            index[o] = idx;
            weight[o] = c;
        }
        return new Taps(index, weight);
    }

    /** The weights of the neighbours of a point at fraction r ∈ (0, 1] past the first (two) neighbour(s). */
    private double[] coefficients(double r) {
        return switch (mode) {
            case NEAREST -> {
                if (r == 1) {
                    yield new double[] {0, 1};
                }
                boolean up = switch (nearestMode) {
                    case ROUND_PREFER_FLOOR -> r > 0.5;
                    case ROUND_PREFER_CEIL -> r >= 0.5;
                    case FLOOR -> false;
                    case CEIL -> true;
                };
                yield up ? new double[] {0, 1} : new double[] {1, 0};
            }
            case LINEAR -> new double[] {1 - r, r};
            case CUBIC -> {
                double a = cubicCoeff, p = r + 1, q = 1 - r, s = 2 - r;
                yield new double[] {((a * p - 5 * a) * p + 8 * a) * p - 4 * a, ((a + 2) * r - (a + 3)) * r * r + 1,
                        ((a + 2) * q - (a + 3)) * q * q + 1, ((a * s - 5 * a) * s + 8 * a) * s - 4 * a};
            }
        };
    }

    /** Applies one axis's taps (or their transpose) to {@code x}, a double tensor of shape {@code s}. */
    private double[] apply(double[] x, int[] s, int axis, Taps taps, int otherLen, boolean transpose) {
        int outer = Shapes.product(s, 0, axis), inner = Shapes.product(s, axis + 1, s.length);
        int fromLen = s[axis], toLen = otherLen;
        double[] r = new double[outer * toLen * inner];
        for (int o = 0; o < outer; o++) {
            int tapCount = transpose ? fromLen : toLen;
            for (int k = 0; k < tapCount; k++) {
                int[] idx = taps.index[k];
                double[] w = taps.weight[k];
                for (int t = 0; t < idx.length; t++) {
                    int from = transpose ? k : idx[t], to = transpose ? idx[t] : k;
                    int fb = (o * fromLen + from) * inner, tb = (o * toLen + to) * inner;
                    for (int i = 0; i < inner; i++) {
                        r[tb + i] += w[t] * x[fb + i];
                    }
                }
                if (!transpose && idx.length == 0) {
                    Arrays.fill(r, (o * toLen + k) * inner, (o * toLen + k + 1) * inner, extrapolationValue);
                }
            }
        }
        return r;
    }

    private Taps[] allTaps(Tensor[] in, int[] out, double[] scale) {
        int[] s = in[0].shape();
        Tensor roi = optional(in, 1);
        double[] roiV = roi == null ? null : roi.toDoubles();
        Taps[] taps = new Taps[s.length];
        for (int d = 0; d < s.length; d++) {
            double start = roiV == null ? 0 : roiV[d], end = roiV == null ? 1 : roiV[d + s.length];
            taps[d] = taps(s[d], out[d], scale[d], start, end);
        }
        return taps;
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return i >= 1;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        double[][] geo = geometry(in);
        int[] s = in[0].shape();
        int[] out = Arrays.stream(geo[0]).mapToInt(v -> (int) v).toArray();
        Taps[] taps = allTaps(in, out, geo[1]);
        double[] x = in[0].toDoubles();
        int[] cur = s.clone();
        for (int d = 0; d < s.length; d++) {
            x = apply(x, cur, d, taps[d], out[d], false);
            cur[d] = out[d];
        }
        double[] v = x;
        return new Tensor[] {Tensor.generate(in[0].dtype(), out, i -> v[i])};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] outs, Tensor[] g, boolean[] wanted) {
        Tensor[] r = new Tensor[in.length];
        if (!wanted[0]) {
            return r;
        }
        double[][] geo = geometry(in);
        int[] s = in[0].shape();
        int[] out = Arrays.stream(geo[0]).mapToInt(v -> (int) v).toArray();
        Taps[] taps = allTaps(in, out, geo[1]);
        double[] x = g[0].toDoubles();
        int[] cur = out.clone();
        for (int d = s.length - 1; d >= 0; d--) {
            x = apply(x, cur, d, taps[d], s[d], true);
            cur[d] = s[d];
        }
        double[] v = x;
        r[0] = Tensor.generate(g[0].dtype(), s, i -> v[i]);
        return r;
    }
}
