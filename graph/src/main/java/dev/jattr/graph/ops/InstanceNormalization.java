package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * ONNX InstanceNormalization: each (sample, channel) plane of x[N, C, …] normalised to zero mean
 * and unit variance, then y = scale[c]·x̂ + bias[c].
 *
 * @param epsilon the variance stabiliser
 */
public record InstanceNormalization(double epsilon) implements Op {
    @Override
    public String type() {
        return "InstanceNormalization";
    }

    private static int plane(Tensor x) {
        if (x.rank() < 3) {
            throw new IllegalArgumentException("InstanceNormalization needs an input of rank ≥ 3, got rank " + x.rank());
        }
        return x.size() / (x.dim(0) * x.dim(1));
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0], scale = in[1], bias = in[2];
        Linalg.requireFloating(x, "InstanceNormalization", "input");
        int plane = plane(x), c = x.dim(1);
        Moments m = Moments.of(x, plane, epsilon);
        return new Tensor[] {Tensor.generate(x.dtype(), x.shape(), i -> {
            int ch = (i / plane) % c;
            return scale.getDouble(ch) * m.normalized(x, i) + bias.getDouble(ch);
        })};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0], scale = in[1], gy = g[0];
        int plane = plane(x), c = x.dim(1);
        Moments m = Moments.of(x, plane, epsilon);
        Tensor[] r = new Tensor[3];
        if (wanted[0]) {
            r[0] = m.backward(x, i -> gy.getDouble(i) * scale.getDouble((i / plane) % c), null, null);
        }
        double[] gs = new double[c], gb = new double[c];
        for (int i = 0, n = x.size(); i < n; i++) {
            int ch = (i / plane) % c;
            gs[ch] += gy.getDouble(i) * m.normalized(x, i);
            gb[ch] += gy.getDouble(i);
        }
        r[1] = wanted[1] ? Tensor.generate(in[1].dtype(), in[1].shape(), i -> gs[i]) : null;
        r[2] = wanted[2] ? Tensor.generate(in[2].dtype(), in[2].shape(), i -> gb[i]) : null;
        return r;
    }
}
