package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/**
 * ONNX Pad (opset 11 form: pads, constant value and axes are inputs). Negative pads crop.
 *
 * @param mode constant, reflect, edge or wrap
 */
public record Pad(PadMode mode) implements Op {
    /** How Pad fills the border. */
    public enum PadMode {
        /** A constant value. */
        CONSTANT,
        /** Mirror without repeating the edge. */
        REFLECT,
        /** Repeat the edge. */
        EDGE,
        /** Wrap around. */
        WRAP;

        /** Parses ONNX's mode text. */
        public static PadMode parse(String s) {
            return switch (s) {
                case "", "constant" -> CONSTANT;
                case "reflect" -> REFLECT;
                case "edge" -> EDGE;
                case "wrap" -> WRAP;
                default -> throw new IllegalArgumentException("Pad mode must be constant, reflect, edge or wrap, got '" + s + "'");
            };
        }
    }

    @Override
    public String type() {
        return "Pad";
    }

    /** For each output element, the flat input index it copies, or −1 for the constant. */
    private int[] sources(int[] in, long[] pads, int[] out) {
        int r = in.length;
        int[] inStrides = Shapes.strides(in);
        int n = Shapes.size(out);
        int[] src = new int[n];
        int[] idx = new int[r];
        for (int i = 0; i < n; i++) {
            int off = 0;
            for (int d = 0; d < r; d++) {
                int p = idx[d] - (int) pads[d];
                int len = in[d];
                if (p < 0 || p >= len) {
                    if (mode == PadMode.CONSTANT || len == 0) {
                        off = -1;
                        break;
                    }
                    p = switch (mode) {
                        case EDGE -> p < 0 ? 0 : len - 1;
                        case WRAP -> Math.floorMod(p, len);
                        default -> reflect(p, len);
                    };
                }
                off += p * inStrides[d];
            }
            src[i] = off;
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < out[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return src;
    }

    private static int reflect(int p, int len) {
        if (len == 1) {
            return 0;
        }
        int period = 2 * (len - 1);
        int m = Math.floorMod(p, period);
        return m < len ? m : period - m;
    }

    private static long[] fullPads(Tensor x, Tensor padsT, Tensor axesT) {
        long[] p = padsT.toLongs();
        int r = x.rank();
        if (axesT == null) {
            if (p.length != 2 * r) {
                throw new IllegalArgumentException("Pad pads " + Arrays.toString(p) + " should have " + 2 * r + " values");
            }
            return p;
        }
        long[] axes = axesT.toLongs();
        if (p.length != 2 * axes.length) {
            throw new IllegalArgumentException("Pad pads " + Arrays.toString(p) + " should have 2 per axis " + Arrays.toString(axes));
        }
        long[] full = new long[2 * r];
        for (int i = 0; i < axes.length; i++) {
            int a = Shapes.axis((int) axes[i], r);
            full[a] = p[i];
            full[a + r] = p[i + axes.length];
        }
        return full;
    }

    private static int[] outShape(int[] in, long[] pads) {
        int r = in.length;
        long[] sizes = new long[r];
        for (int d = 0; d < r; d++) {
            long o;
            try {
                o = Math.addExact(Math.addExact(in[d], pads[d]), pads[d + r]);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("Pad pads " + Arrays.toString(pads) + " overflow dimension " + d);
            }
            if (o < 0) {
                throw new IllegalArgumentException("Pad pads " + Arrays.toString(pads) + " crop more than dimension " + d
                        + " of " + Arrays.toString(in));
            }
            sizes[d] = o;
        }
        return Shapes.allocatable(sizes);
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return i >= 1;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        long[] pads = fullPads(x, in[1], in.length > 3 ? in[3] : null);
        double value = in.length > 2 && in[2] != null && in[2].size() > 0 ? in[2].getDouble(0) : 0;
        int[] out = outShape(x.shape(), pads);
        int[] src = sources(x.shape(), pads, out);
        return new Tensor[] {Tensor.generate(x.dtype(), out, i -> src[i] >= 0 ? x.getDouble(src[i]) : value)};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] outs, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0], gy = g[0];
        long[] pads = fullPads(x, in[1], in.length > 3 ? in[3] : null);
        int[] src = sources(x.shape(), pads, gy.shape());
        Tensor gx = Tensor.zeros(x.dtype(), x.shape());
        for (int i = 0; i < src.length; i++) {
            if (src[i] >= 0) {
                gx.setDouble(src[i], gx.getDouble(src[i]) + gy.getDouble(i));
            }
        }
        Tensor[] r = new Tensor[in.length];
        r[0] = gx;
        if (in.length > 2 && in[2] != null && wanted[2]) {
            double s = 0;
            for (int i = 0; i < src.length; i++) {
                if (src[i] < 0) {
                    s += gy.getDouble(i);
                }
            }
            r[2] = Tensor.full(in[2].dtype(), s, in[2].shape());
        }
        return r;
    }
}
