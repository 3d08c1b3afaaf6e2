package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import dev.jattr.kernels.WindowGeometry;

/**
 * ONNX LpPool and GlobalLpPool: y = (Σ |x|^p)^(1/p) over each window, padding contributing
 * nothing; the global form's window is the whole spatial extent.
 *
 * @param window the window attributes (ignored when global)
 * @param p      the norm's order
 * @param global whether this is GlobalLpPool
 */
public record LpPool(Window window, double p, boolean global) implements Op {
    /** GlobalLpPool of order {@code p}. */
    public static LpPool global(double p) {
        return new LpPool(new Window(new int[0], new int[0], new int[0], new int[0], AutoPad.NOTSET, false), p, true);
    }

    @Override
    public String type() {
        return global ? "GlobalLpPool" : "LpPool";
    }

    /** For each output element, the flat input index of each window tap (−1 in the padding). */
    private int[][] taps(int[] xs, int[][] outShape) {
        int[] in = Window.spatial(xs);
        WindowGeometry g = global ? new WindowGeometry(in, null, null, null) : window.resolve(in, window.kernel());
        int[] out = Window.outputSize(g, in, !global && window.ceilMode());
        int[] ys = Window.join(xs[0], xs[1], out);
        outShape[0] = ys;
        int r = in.length, planes = xs[0] * xs[1], inS = Shapes.size(in), outS = Shapes.size(out);
        int k = Shapes.size(g.kernel());
        int[] outStr = Shapes.strides(out), kStr = Shapes.strides(g.kernel()), inStr = Shapes.strides(in);
        int[][] t = new int[planes * outS][k];
        for (int o = 0; o < outS; o++) {
            for (int j = 0; j < k; j++) {
                int at = 0;
                for (int d = 0; d < r; d++) {
                    int od = o / outStr[d] % out[d], kd = j / kStr[d] % g.kernel(d);
                    int id = od * g.stride(d) - g.padBegin(d) + kd * g.dilation(d);
                    if (id < 0 || id >= in[d]) {
                        at = -1;
                        break;
                    }
                    at += id * inStr[d];
                }
                for (int pl = 0; pl < planes; pl++) {
                    t[pl * outS + o][j] = at < 0 ? -1 : pl * inS + at;
                }
            }
        }
        return t;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        Linalg.requireFloating(x, type(), "input X");
        int[][] ys = new int[1][];
        int[][] t = taps(x.shape(), ys);
        return new Tensor[] {Tensor.generate(x.dtype(), ys[0], o -> {
            double s = 0;
            for (int i : t[o]) {
                if (i >= 0) {
                    s += Math.pow(Math.abs(x.getDouble(i)), p);
                }
            }
            return Math.pow(s, 1 / p);
        })};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        // ∂y/∂x_i = |x_i|^(p−1)·sign(x_i)·y^(1−p)
        Tensor x = in[0], y = out[0], gy = g[0];
        int[][] t = taps(x.shape(), new int[1][]);
        Tensor gx = Tensor.zeros(x.dtype(), x.shape());
        for (int o = 0; o < t.length; o++) {
            double yo = y.getDouble(o);
            if (yo == 0) {
                continue;
            }
            double f = gy.getDouble(o) * Math.pow(yo, 1 - p);
            for (int i : t[o]) {
                if (i >= 0) {
                    double v = x.getDouble(i);
                    gx.setDouble(i, gx.getDouble(i) + f * Math.signum(v) * Math.pow(Math.abs(v), p - 1));
                }
            }
        }
        return new Tensor[] {gx};
    }
}
