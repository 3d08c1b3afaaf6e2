package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.WindowGeometry;
import java.util.Arrays;

/**
 * ONNX Conv (cross-correlation) over 1, 2 or 3 spatial dimensions, with groups.
 *
 * @param window the window attributes
 * @param group  the number of groups
 */
public record Conv(Window window, int group) implements Op {
    @Override
    public String type() {
        return "Conv";
    }

    WindowGeometry geometry(Tensor x, Tensor w) {
        if (x.rank() < 3 || x.rank() > 5 || w.rank() != x.rank()) {
            throw new IllegalArgumentException("Conv needs input and weight of equal rank 3 to 5, got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
        }
        if (x.dim(1) != w.dim(1) * group || w.dim(0) % group != 0) {
            throw new IllegalArgumentException("Conv input " + Arrays.toString(x.shape()) + " has " + x.dim(1)
                    + " channels; weight " + Arrays.toString(w.shape()) + " with group=" + group + " expects "
                    + w.dim(1) * group);
        }
        return window.resolve(Window.spatial(x.shape()), Window.spatial(w.shape()));
    }

    @Override
    public Tensor[] outputShapes(Tensor[] in) {
        Tensor x = in[0], w = in[1];
        WindowGeometry g = geometry(x, w);
        return new Tensor[] {Tensor.shapeOnly(x.dtype(), outputShape(x, w, g))};
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        Linalg.requireFloating(x, "Conv", "input X");
        if (x.dtype() == DType.F32) {
            return new Tensor[] {forward(in, null, 0f, 0f)};
        }
        Tensor w = in[1], b = in.length > 2 ? in[2] : null;
        WindowGeometry g = geometry(x, w);
        int[] ys = outputShape(x, w, g);
        Tensor yd = Tensor.zeros(DType.F64, ys);
        CurrentBackend.get().conv().forward(x.cast(DType.F64).doubles(), x.shape(), w.cast(DType.F64).doubles(),
                w.shape(), b == null ? null : b.cast(DType.F64).doubles(), g, group, yd.doubles(), ys);
        return new Tensor[] {yd.cast(x.dtype())};
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return Tensors.allF32(in);
    }

    /**
     * y = f(conv(x, w) + b) for a float32 input, the activation (none when {@code f} is null)
     * applied by the backend's fused kernel.
     */
    Tensor forward(Tensor[] in, dev.jattr.kernels.Activation f, float alpha, float beta) {
        Tensor x = in[0], w = in[1].cast(DType.F32), b = in.length > 2 && in[2] != null ? in[2].cast(DType.F32) : null;
        WindowGeometry g = geometry(x, w);
        int[] ys = outputShape(x, w, g);
        Tensor y = Tensor.empty(DType.F32, ys); // the kernel overwrites it
        float[] bias = b == null ? null : b.floats();
        if (f == null) {
            CurrentBackend.get().conv().forward(x.floats(), x.shape(), w.floats(), w.shape(), bias, g, group, y.floats(), ys);
        } else {
            CurrentBackend.get().conv().forward(x.floats(), x.shape(), w.floats(), w.shape(), bias, g, group, f, alpha, beta,
                    y.floats(), ys);
        }
        return y;
    }

    /**
     * {@link #forward(Tensor[], dev.jattr.kernels.Activation, float, float)} written into channels
     * [channel, channel + M) of {@code y}, a float32 [N, channels, out...] (the output of a
     * concatenation along the channel axis); the other channels are left as they are.
     */
    void forwardInto(Tensor[] in, dev.jattr.kernels.Activation f, float alpha, float beta, Tensor y, int channel) {
        Tensor x = in[0], w = in[1].cast(DType.F32), b = in.length > 2 && in[2] != null ? in[2].cast(DType.F32) : null;
        WindowGeometry g = geometry(x, w);
        CurrentBackend.get().conv().forwardInto(x.floats(), x.shape(), w.floats(), w.shape(), b == null ? null : b.floats(),
                g, group, f, alpha, beta, y.floats(), y.shape(), channel);
    }

    static int[] outputShape(Tensor x, Tensor w, WindowGeometry g) {
        return Window.join(x.dim(0), w.dim(0), Window.outputSize(g, Window.spatial(x.shape()), false));
    }

    @Override
    public boolean backwardRunsOnDevice(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        // the data gradient only: weight and bias gradients are not asked for in attributions
        return in[0] != null && in[0].dtype() == DType.F32 && in[1] != null && Tensors.allF32(new Tensor[] {in[1], g[0]})
                && !(wanted.length > 1 && wanted[1]) && !(wanted.length > 2 && wanted[2]);
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        // each operand's gradient reads the other operand only
        return new BackwardReads((mayWant[1] ? 1L : 0) | (mayWant[0] ? 2L : 0), 0);
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] grads, boolean[] wanted) {
        Tensor x = in[0], w = in[1], gy = grads[0];
        WindowGeometry g = geometry(x, w);
        Tensor[] r = new Tensor[in.length];
        boolean f32 = x.dtype() == DType.F32;
        int[] ys = gy.shape();
        if (wanted[0]) {
            Tensor gx = Tensor.empty(f32 ? DType.F32 : DType.F64, x.shape()); // overwritten
            if (f32) {
                CurrentBackend.get().conv().backwardData(gy.floats(), ys, w.cast(DType.F32).floats(), w.shape(), g,
                        group, gx.floats(), x.shape());
            } else {
                CurrentBackend.get().conv().backwardData(gy.cast(DType.F64).doubles(), ys, w.cast(DType.F64).doubles(),
                        w.shape(), g, group, gx.doubles(), x.shape());
            }
            r[0] = gx.cast(x.dtype());
        }
        if (wanted[1]) {
            Tensor gw = Tensor.zeros(f32 ? DType.F32 : DType.F64, w.shape());
            if (f32) {
                CurrentBackend.get().conv().backwardWeight(gy.floats(), ys, x.floats(), x.shape(), g, group,
                        gw.floats(), w.shape());
            } else {
                CurrentBackend.get().conv().backwardWeight(gy.cast(DType.F64).doubles(), ys,
                        x.cast(DType.F64).doubles(), x.shape(), g, group, gw.doubles(), w.shape());
            }
            r[1] = gw.cast(w.dtype());
        }
        if (in.length > 2 && in[2] != null && wanted[2]) {
            int n = ys[0], m = ys[1], inner = gy.size() / Math.max(1, n * m);
            if (gy.dtype() == DType.F32 && in[2].dtype() == DType.F32) {
                float[] gb = new float[m];
                CurrentBackend.get().reduce().sumToAxis(gy.floats(), new AxisView(n, m, inner), gb);
                r[2] = Tensor.of(gb, m);
                return r;
            }
            Tensor gb = Tensor.zeros(in[2].dtype(), m);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < m; c++) {
                    double s = 0;
                    for (int j = 0; j < inner; j++) {
                        s += gy.getDouble((i * m + c) * inner + j);
                    }
                    gb.setDouble(c, gb.getDouble(c) + s);
                }
            }
            r[2] = gb;
        }
        return r;
    }
}
