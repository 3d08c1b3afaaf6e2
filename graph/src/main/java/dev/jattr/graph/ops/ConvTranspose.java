package dev.jattr.graph.ops;

import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.kernels.WindowGeometry;
import java.util.Arrays;

/**
 * ONNX ConvTranspose over 1 to 3 spatial dimensions: the adjoint of the convolution whose input
 * has this op's output shape, so its forward is {@link Conv#backwardData} and its data gradient
 * is {@link Conv#forward}. Weights are [C, M/group, k…]; the output is [N, M, …].
 *
 * <p>Output size and padding follow the ONNX reference: with SAME auto_pad the output is
 * output_shape (default input·stride) and the total padding is split as SAME_UPPER/SAME_LOWER
 * say; otherwise the pads are as given (default 0) and the output is output_shape when given,
 * else stride·(in − 1) + output_padding + (k − 1)·dilation + 1 − pads.
 *
 * @param window        kernel_shape, strides, pads, dilations, auto_pad
 * @param group         the number of groups
 * @param outputPadding output_padding (empty: zeros)
 * @param outputShape   output_shape, spatial part (empty: not given)
 */
public record ConvTranspose(Window window, int group, int[] outputPadding, int[] outputShape) implements Op {
    /** Copies the arrays. */
    public ConvTranspose {
        outputPadding = outputPadding.clone();
        outputShape = outputShape.clone();
    }

    @Override
    public String type() {
        return "ConvTranspose";
    }

    /** The equivalent convolution's geometry and this op's output spatial size. */
    private record Plan(WindowGeometry geometry, int[] ys) {}

    private Plan plan(Tensor x, Tensor w) {
        if (x.rank() < 3 || x.rank() > 5 || w.rank() != x.rank()) {
            throw new IllegalArgumentException("ConvTranspose needs input and weight of equal rank 3 to 5, got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
        }
        if (x.dim(1) != w.dim(0) || x.dim(1) % group != 0) {
            throw new IllegalArgumentException("ConvTranspose input " + Arrays.toString(x.shape()) + " has " + x.dim(1)
                    + " channels; weight " + Arrays.toString(w.shape()) + " with group=" + group + " expects " + w.dim(0));
        }
        int r = x.rank() - 2;
        int[] in = Window.spatial(x.shape());
        int[] k = window.kernel().length > 0 ? window.kernel() : Window.spatial(w.shape());
        int[] s = orOnes(window.strides(), r), d = orOnes(window.dilations(), r);
        int[] op = outputPadding.length > 0 ? outputPadding : new int[r];
        int[] pads = new int[2 * r], out = new int[r];
        boolean same = window.autoPad() == AutoPad.SAME_UPPER || window.autoPad() == AutoPad.SAME_LOWER;
        for (int i = 0; i < r; i++) {
            int full = s[i] * (in[i] - 1) + op[i] + (k[i] - 1) * d[i] + 1;
            if (same) {
                out[i] = outputShape.length > 0 ? outputShape[i] : in[i] * s[i];
                int total = full - out[i], half = Math.floorDiv(total, 2);
                pads[i] = window.autoPad() == AutoPad.SAME_UPPER ? half : total - half;
                pads[i + r] = Math.max(0, total - pads[i]);
            } else {
                if (window.autoPad() == AutoPad.NOTSET && window.pads().length > 0) {
                    pads[i] = window.pads()[i];
                    pads[i + r] = window.pads()[i + r];
                }
                out[i] = outputShape.length > 0 ? outputShape[i] : full - pads[i] - pads[i + r];
            }
            if (out[i] < 1 || pads[i] < 0) {
                throw new IllegalArgumentException("ConvTranspose output size " + out[i] + " with begin padding " + pads[i]
                        + " in spatial dimension " + i + " is invalid for input " + Arrays.toString(x.shape()));
            }
        }
        return new Plan(new WindowGeometry(k, s, pads, d), Window.join(x.dim(0), w.dim(1) * group, out));
    }

    private static int[] orOnes(int[] a, int r) {
        if (a.length > 0) {
            return a;
        }
        int[] o = new int[r];
        Arrays.fill(o, 1);
        return o;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0], w = in[1], b = in.length > 2 ? in[2] : null;
        Linalg.requireFloating(x, "ConvTranspose", "input X");
        Plan p = plan(x, w);
        Tensor y;
        if (x.dtype() == DType.F32) {
            y = Tensor.zeros(DType.F32, p.ys);
            CurrentBackend.get().conv().backwardData(x.floats(), x.shape(), w.cast(DType.F32).floats(), w.shape(),
                    p.geometry, group, y.floats(), p.ys);
        } else {
            y = Tensor.zeros(DType.F64, p.ys);
            CurrentBackend.get().conv().backwardData(x.cast(DType.F64).doubles(), x.shape(), w.cast(DType.F64).doubles(),
                    w.shape(), p.geometry, group, y.doubles(), p.ys);
        }
        if (b != null) {
            int m = p.ys[1], plane = y.size() / (p.ys[0] * m);
            for (int i = 0, n = y.size(); i < n; i++) {
                y.setDouble(i, y.getDouble(i) + b.getDouble((i / plane) % m));
            }
        }
        return new Tensor[] {y.cast(x.dtype())};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] grads, boolean[] wanted) {
        Tensor x = in[0], w = in[1], gy = grads[0];
        Plan p = plan(x, w);
        Tensor[] r = new Tensor[in.length];
        boolean f32 = x.dtype() == DType.F32;
        if (wanted[0]) {
            if (f32) {
                float[] gx = new float[x.size()];
                CurrentBackend.get().conv().forward(gy.floats(), p.ys, w.cast(DType.F32).floats(), w.shape(), null,
                        p.geometry, group, gx, x.shape());
                r[0] = Tensor.of(gx, x.shape());
            } else {
                double[] gx = new double[x.size()];
                CurrentBackend.get().conv().forward(gy.cast(DType.F64).doubles(), p.ys, w.cast(DType.F64).doubles(),
                        w.shape(), null, p.geometry, group, gx, x.shape());
                r[0] = Tensor.of(gx, x.shape()).cast(x.dtype());
            }
        }
        if (wanted[1]) {
            if (f32) {
                float[] gw = new float[w.size()];
                CurrentBackend.get().conv().backwardWeight(x.floats(), x.shape(), gy.floats(), p.ys, p.geometry, group,
                        gw, w.shape());
                r[1] = Tensor.of(gw, w.shape()).cast(w.dtype());
            } else {
                double[] gw = new double[w.size()];
                CurrentBackend.get().conv().backwardWeight(x.cast(DType.F64).doubles(), x.shape(),
                        gy.cast(DType.F64).doubles(), p.ys, p.geometry, group, gw, w.shape());
                r[1] = Tensor.of(gw, w.shape()).cast(w.dtype());
            }
        }
        if (in.length > 2 && in[2] != null && wanted[2]) {
            int m = p.ys[1], plane = gy.size() / (p.ys[0] * m);
            double[] gb = new double[m];
            for (int i = 0, n = gy.size(); i < n; i++) {
                gb[(i / plane) % m] += gy.getDouble(i);
            }
            r[2] = Tensor.generate(in[2].dtype(), in[2].shape(), i -> gb[i]);
        }
        return r;
    }
}
