package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/**
 * ONNX GridSample on images: samples X [N, C, H, W] at the normalised locations of grid
 * [N, Hout, Wout, 2] ((x, y) in [−1, 1]) by nearest, bilinear or bicubic (Keys, a = −0.75)
 * interpolation, with zeros, border or reflection padding outside the image. Differentiable with
 * respect to X and, almost everywhere, to the grid (nearest sampling gives the grid zero gradient).
 *
 * @param mode         the interpolation
 * @param padding      the values outside the image
 * @param alignCorners −1 and 1 are the centres of the corner pixels rather than their outer edges
 */
public record GridSample(Mode mode, Padding padding, boolean alignCorners) implements Op {
    /** Interpolation modes (opset 20's names {@code linear} and {@code cubic} are accepted too). */
    public enum Mode {
        /** The nearest pixel, ties to even. */
        NEAREST,
        /** Bilinear interpolation of the 2×2 neighbours. */
        BILINEAR,
        /** Bicubic convolution over the 4×4 neighbours. */
        BICUBIC;

        /** The mode an ONNX attribute value names. */
        public static Mode parse(String s) {
            return switch (s) {
                case "nearest" -> NEAREST;
                case "bilinear", "linear" -> BILINEAR;
                case "bicubic", "cubic" -> BICUBIC;
                default -> throw new IllegalArgumentException("GridSample mode must be bilinear, nearest or bicubic, got \"" + s + "\"");
            };
        }
    }

    /** Padding modes. */
    public enum Padding {
        /** Zero outside the image. */
        ZEROS,
        /** The nearest border pixel. */
        BORDER,
        /** The image mirrored at its borders. */
        REFLECTION;

        /** The padding an ONNX attribute value names. */
        public static Padding parse(String s) {
            return switch (s) {
                case "zeros" -> ZEROS;
                case "border" -> BORDER;
                case "reflection" -> REFLECTION;
                default -> throw new IllegalArgumentException("GridSample padding_mode must be zeros, border or reflection, got \"" + s + "\"");
            };
        }
    }

    private static final double CUBIC_A = -0.75;

    @Override
    public String type() {
        return "GridSample";
    }

    /** One axis of the image: pixel coordinates from normalised ones, and pixel indices with padding. */
    private final class Axis {
        final int size;
        final double lo, hi;
        double pos, slope; // the last location and its derivative with respect to the normalised coordinate

        Axis(int size) {
            this.size = size;
            this.lo = alignCorners ? 0 : -0.5;
            this.hi = alignCorners ? size - 1 : size - 0.5;
        }

        void locate(double n) {
            pos = alignCorners ? (n + 1) / 2 * (size - 1) : ((n + 1) * size - 1) / 2;
            slope = alignCorners ? (size - 1) / 2.0 : size / 2.0;
            if (mode == Mode.NEAREST) {
                pos = Math.rint(pos);
                slope = 0;
            }
            if (pos < lo || pos > hi) {
                if (padding == Padding.BORDER) {
                    pos = Math.clamp(pos, 0, size - 1);
                    slope = 0;
                } else if (padding == Padding.REFLECTION) {
                    double before = pos;
                    pos = reflect(pos);
                    slope *= reflectedSign(before);
                }
            }
        }

        double reflect(double v) {
            double range = hi - lo;
            if (v < lo) {
                double d = lo - v, r = d - (int) (d / range) * range;
                return (int) (d / range) % 2 == 0 ? lo + r : hi - r;
            }
            if (v > hi) {
                double d = v - hi, r = d - (int) (d / range) * range;
                return (int) (d / range) % 2 == 0 ? hi - r : lo + r;
            }
            return v;
        }

        double reflectedSign(double v) {
            double range = hi - lo, d = v < lo ? lo - v : v - hi;
            return (int) (d / range) % 2 == 0 ? -1 : 1;
        }

        /** The pixel index for integer coordinate c, or −1 for a zero outside the image. */
        int index(int c) {
            return switch (padding) {
                case ZEROS -> c >= 0 && c < size ? c : -1;
                case BORDER -> Math.clamp(c, 0, size - 1);
                case REFLECTION -> Math.clamp((int) reflect(c), 0, size - 1);
            };
        }

        /** Fills the taps' pixel indices, weights and weight derivatives along this axis; returns how many. */
        int taps(int[] idx, double[] w, double[] dw) {
            switch (mode) {
                case NEAREST -> {
                    idx[0] = index((int) pos);
                    w[0] = 1;
                    dw[0] = 0;
                    return 1;
                }
                case BILINEAR -> {
                    int c = (int) Math.floor(pos);
                    double t = pos - c;
                    idx[0] = index(c);
                    idx[1] = index(c + 1);
                    w[0] = 1 - t;
                    w[1] = t;
                    dw[0] = -1;
                    dw[1] = 1;
                    return 2;
                }
                default -> {
                    int c = (int) Math.floor(pos);
                    double t = pos - c;
                    for (int k = 0; k < 4; k++) {
                        idx[k] = index(c - 1 + k);
                        double s = t + 1 - k; // distance from tap k, signed
                        w[k] = cubic(Math.abs(s));
                        dw[k] = Math.signum(s) * cubicSlope(Math.abs(s));
                    }
                    return 4;
                }
            }
        }
    }

    private static double cubic(double s) {
        return s <= 1 ? ((CUBIC_A + 2) * s - (CUBIC_A + 3)) * s * s + 1
                : s < 2 ? ((CUBIC_A * s - 5 * CUBIC_A) * s + 8 * CUBIC_A) * s - 4 * CUBIC_A : 0;
    }

    private static double cubicSlope(double s) {
        return s <= 1 ? (3 * (CUBIC_A + 2) * s - 2 * (CUBIC_A + 3)) * s
                : s < 2 ? (3 * CUBIC_A * s - 10 * CUBIC_A) * s + 8 * CUBIC_A : 0;
    }

    private static void check(Tensor x, Tensor grid) {
        Linalg.requireFloating(x, "GridSample", "input");
        if (x.rank() != 4 || grid.rank() != 4 || grid.dim(0) != x.dim(0) || grid.dim(3) != 2) {
            throw new IllegalArgumentException("GridSample supports X [N, C, H, W] with grid [N, Hout, Wout, 2], got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(grid.shape()));
        }
    }

    /** Walks every output location; {@code visit} gets the taps along y and x for output (n, oy, ox). */
    private interface Visit {
        void at(int n, int o, Axis ay, int ny, int[] iy, double[] wy, double[] dy, Axis ax, int nx, int[] ix, double[] wx, double[] dx);
    }

    private void walk(Tensor x, Tensor grid, Visit visit) {
        Axis ay = new Axis(x.dim(2)), ax = new Axis(x.dim(3));
        int[] iy = new int[4], ix = new int[4];
        double[] wy = new double[4], wx = new double[4], dy = new double[4], dx = new double[4];
        int outs = grid.dim(1) * grid.dim(2);
        for (int n = 0; n < x.dim(0); n++) {
            for (int o = 0; o < outs; o++) {
                int g = (n * outs + o) * 2;
                ax.locate(grid.getDouble(g));
                ay.locate(grid.getDouble(g + 1));
                visit.at(n, o, ay, ay.taps(iy, wy, dy), iy, wy, dy, ax, ax.taps(ix, wx, dx), ix, wx, dx);
            }
        }
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0], grid = in[1];
        check(x, grid);
        int c = x.dim(1), h = x.dim(2), w = x.dim(3), outs = grid.dim(1) * grid.dim(2);
        Tensor y = Tensor.zeros(x.dtype(), x.dim(0), c, grid.dim(1), grid.dim(2));
        walk(x, grid, (n, o, ay, ny, iy, wy, dy, ax, nx, ix, wx, dx) -> {
            for (int ch = 0; ch < c; ch++) {
                int plane = (n * c + ch) * h * w;
                double v = 0;
                for (int a = 0; a < ny; a++) {
                    for (int b = 0; b < nx; b++) {
                        if (iy[a] >= 0 && ix[b] >= 0) {
                            v += wy[a] * wx[b] * x.getDouble(plane + iy[a] * w + ix[b]);
                        }
                    }
                }
                y.setDouble((n * c + ch) * outs + o, v);
            }
        });
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0], grid = in[1];
        check(x, grid);
        int c = x.dim(1), h = x.dim(2), w = x.dim(3), outs = grid.dim(1) * grid.dim(2);
        double[] gx = new double[x.size()], gg = new double[grid.size()];
        walk(x, grid, (n, o, ay, ny, iy, wy, dy, ax, nx, ix, wx, dx) -> {
            double sx = 0, sy = 0;
            for (int ch = 0; ch < c; ch++) {
                int plane = (n * c + ch) * h * w;
                double gy = g[0].getDouble((n * c + ch) * outs + o);
                for (int a = 0; a < ny; a++) {
                    for (int b = 0; b < nx; b++) {
                        if (iy[a] >= 0 && ix[b] >= 0) {
                            int p = plane + iy[a] * w + ix[b];
                            gx[p] += gy * wy[a] * wx[b];
                            double v = gy * x.getDouble(p);
                            sx += v * wy[a] * dx[b];
                            sy += v * dy[a] * wx[b];
                        }
                    }
                }
            }
            gg[(n * outs + o) * 2] = sx * ax.slope;
            gg[(n * outs + o) * 2 + 1] = sy * ay.slope;
        });
        return new Tensor[] {Tensor.of(gx, x.shape()).cast(x.dtype()), Tensor.of(gg, grid.shape()).cast(grid.dtype())};
    }
}
