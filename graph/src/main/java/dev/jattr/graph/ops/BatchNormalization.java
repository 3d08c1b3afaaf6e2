package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.kernels.AxisView;

/**
 * ONNX BatchNormalization in inference mode: y = (x − mean)/√(var + ε)·scale + bias per channel
 * (dimension 1). Parameters with one value per activation (C·D1·…, what spatial = 0 meant before
 * opset 9) apply per element of a sample instead.
 *
 * @param epsilon the variance stabiliser
 */
public record BatchNormalization(double epsilon) implements Op {
    @Override
    public String type() {
        return "BatchNormalization";
    }

    /** Elements sharing one parameter: the spatial size for per-channel parameters, 1 for per-activation ones. */
    private static int inner(Tensor x, int params) {
        int perSample = x.rank() > 1 ? x.size() / x.dim(0) : 1;
        if (params == 0 || perSample % params != 0 || x.rank() > 1 && params != x.dim(1) && params != perSample) {
            throw new IllegalArgumentException("BatchNormalization parameters of " + params + " values do not fit input "
                    + java.util.Arrays.toString(x.shape()));
        }
        return perSample / params;
    }

    @Override
    public Tensor[] outputShapes(Tensor[] in) {
        return new Tensor[] {Tensor.shapeOnly(in[0].dtype(), in[0].shape())};
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0], scale = in[1], bias = in[2], mean = in[3], var = in[4];
        Linalg.requireFloating(x, "BatchNormalization", "input X");
        int c = scale.size(), inner = inner(x, c);
        double[] a = new double[c], b = new double[c];
        for (int ch = 0; ch < c; ch++) {
            a[ch] = scale.getDouble(ch) / Math.sqrt(var.getDouble(ch) + epsilon);
            b[ch] = bias.getDouble(ch) - mean.getDouble(ch) * a[ch];
        }
        if (x.dtype() == DType.F32) {
            float[] af = new float[c], bf = new float[c], o = Tensor.empty(DType.F32, x.shape()).floats();
            for (int ch = 0; ch < c; ch++) {
                af[ch] = (float) a[ch];
                bf[ch] = (float) b[ch];
            }
            AxisView v = new AxisView(x.size() / Math.max(1, c * inner), c, inner);
            CurrentBackend.get().elementwise().affine(x.floats(), af, bf, v, o);
            return new Tensor[] {Tensor.of(o, x.shape())};
        }
        return new Tensor[] {Tensor.generate(x.dtype(), x.shape(), i -> {
            int ch = (i / inner) % c;
            return x.getDouble(i) * a[ch] + b[ch];
        })};
    }

    @Override
    public boolean readsOnHost(int input) {
        return input > 0; // scale, bias, mean and variance
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return Tensors.allF32(in);
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        // the input's gradient reads scale and variance; the statistics' gradients read the input and mean too
        boolean stats = false;
        for (int k = 1; k < Math.min(5, mayWant.length); k++) {
            stats |= mayWant[k];
        }
        return stats ? BackwardReads.inputs(0, 1, 3, 4) : BackwardReads.inputs(1, 4);
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0], scale = in[1], mean = in[3], var = in[4], gy = g[0];
        int c = scale.size(), inner = inner(x, c);
        double[] inv = new double[c];
        for (int ch = 0; ch < c; ch++) {
            inv[ch] = 1 / Math.sqrt(var.getDouble(ch) + epsilon);
        }
        Tensor[] r = new Tensor[in.length];
        if (wanted[0] && x.dtype() == DType.F32 && gy.dtype() == DType.F32) {
            float[] k = new float[c], zero = new float[c], gx = Tensor.zeros(DType.F32, x.shape()).floats();
            for (int ch = 0; ch < c; ch++) {
                k[ch] = (float) (scale.getDouble(ch) * inv[ch]);
            }
            AxisView v = new AxisView(x.size() / Math.max(1, c * inner), c, inner);
            CurrentBackend.get().elementwise().affine(gy.floats(), k, zero, v, gx);
            r[0] = Tensor.of(gx, x.shape());
        } else if (wanted[0]) {
            r[0] = Tensor.generate(x.dtype(), x.shape(), i -> {
                int ch = (i / inner) % c;
                return gy.getDouble(i) * scale.getDouble(ch) * inv[ch];
            });
        }
        if (wanted[1] || wanted[2] || wanted[3] || wanted[4]) {
            double[] gs = new double[c], gb = new double[c], gm = new double[c], gv = new double[c];
            for (int i = 0, n = x.size(); i < n; i++) {
                int ch = (i / inner) % c;
                double gi = gy.getDouble(i), centred = x.getDouble(i) - mean.getDouble(ch);
                gs[ch] += gi * centred * inv[ch];
                gb[ch] += gi;
                gm[ch] -= gi * scale.getDouble(ch) * inv[ch];
                gv[ch] -= gi * centred * scale.getDouble(ch) * 0.5 * inv[ch] * inv[ch] * inv[ch];
            }
            double[][] per = {null, gs, gb, gm, gv};
            for (int k = 1; k < 5; k++) {
                double[] v = per[k];
                r[k] = wanted[k] ? Tensor.generate(in[k].dtype(), in[k].shape(), i -> v[i]) : null;
            }
        }
        return r;
    }
}
