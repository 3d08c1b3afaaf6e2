package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * ONNX LRN, local response normalisation across channels of x[N, C, …]:
 * y_c = x_c / (bias + alpha/size · Σ x_{c'}²)^beta, the sum over channels c' from
 * c − ⌊(size−1)/2⌋ to c + ⌈(size−1)/2⌉ inside [0, C).
 *
 * @param alpha scale of the sum of squares
 * @param beta  exponent
 * @param bias  offset
 * @param size  number of channels summed
 */
public record Lrn(double alpha, double beta, double bias, int size) implements Op {
    @Override
    public String type() {
        return "LRN";
    }

    /** s_c = bias + alpha/size · Σ x²: the denominator base at every element. */
    private double[] base(Tensor x) {
        int c = x.dim(1), plane = x.size() / (x.dim(0) * c);
        int before = (size - 1) / 2, after = size - 1 - before;
        double[] s = new double[x.size()];
        for (int i = 0; i < s.length; i++) {
            int ch = (i / plane) % c, start = i - ch * plane;
            double sum = 0;
            for (int k = Math.max(0, ch - before); k <= Math.min(c - 1, ch + after); k++) {
                double v = x.getDouble(start + k * plane);
                sum += v * v;
            }
            s[i] = bias + alpha / size * sum;
        }
        return s;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        Linalg.requireFloating(x, "LRN", "input");
        if (x.rank() < 3) {
            throw new IllegalArgumentException("LRN needs an input of rank ≥ 3, got rank " + x.rank());
        }
        double[] s = base(x);
        return new Tensor[] {Tensor.generate(x.dtype(), x.shape(), i -> x.getDouble(i) * Math.pow(s[i], -beta))};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        // gx_j = g_j s_j^−β − 2β·alpha/size · x_j · Σ_{c : j in window(c)} g_c x_c s_c^(−β−1)
        Tensor x = in[0], gy = g[0];
        double[] s = base(x);
        int c = x.dim(1), plane = x.size() / (x.dim(0) * c);
        int before = (size - 1) / 2, after = size - 1 - before;
        double[] t = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            t[i] = gy.getDouble(i) * x.getDouble(i) * Math.pow(s[i], -beta - 1);
        }
        return new Tensor[] {Tensor.generate(x.dtype(), x.shape(), i -> {
            int ch = (i / plane) % c, start = i - ch * plane;
            double sum = 0;
            for (int k = Math.max(0, ch - after); k <= Math.min(c - 1, ch + before); k++) {
                sum += t[start + k * plane];
            }
            return gy.getDouble(i) * Math.pow(s[i], -beta) - 2 * beta * alpha / size * x.getDouble(i) * sum;
        })};
    }
}
