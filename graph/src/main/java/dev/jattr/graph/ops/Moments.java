package dev.jattr.graph.ops;

import dev.jattr.graph.Tensor;
import java.util.function.IntToDoubleFunction;

/**
 * Mean and inverse standard deviation of contiguous blocks of a tensor, and the adjoint of the
 * normalisation x̂ = (x − mean)·inv — what InstanceNormalization and LayerNormalization share.
 *
 * @param block elements per block
 * @param mean  per-block mean
 * @param inv   per-block 1/√(var + ε), the biased variance
 */
record Moments(int block, double[] mean, double[] inv) {
    static Moments of(Tensor x, int block, double epsilon) {
        int groups = block == 0 ? 0 : x.size() / block;
        double[] mean = new double[groups], inv = new double[groups];
        for (int gi = 0; gi < groups; gi++) {
            double s = 0;
            for (int j = 0; j < block; j++) {
                s += x.getDouble(gi * block + j);
            }
            double m = s / block, v = 0;
            for (int j = 0; j < block; j++) {
                double d = x.getDouble(gi * block + j) - m;
                v += d * d;
            }
            mean[gi] = m;
            inv[gi] = 1 / Math.sqrt(v / block + epsilon);
        }
        return new Moments(block, mean, inv);
    }

    /** x̂ at flat index i. */
    double normalized(Tensor x, int i) {
        int gi = i / block;
        return (x.getDouble(i) - mean[gi]) * inv[gi];
    }

    /**
     * ∂/∂x of Σ gHat·x̂ + Σ gMean·mean + Σ gInv·inv, where gHat is given per element and gMean,
     * gInv per block (either may be null).
     */
    Tensor backward(Tensor x, IntToDoubleFunction gHat, Tensor gMean, Tensor gInv) {
        int groups = mean.length;
        double[] sumG = new double[groups], sumGx = new double[groups];
        for (int i = 0, n = x.size(); i < n; i++) {
            double g = gHat.applyAsDouble(i);
            sumG[i / block] += g;
            sumGx[i / block] += g * normalized(x, i);
        }
        return Tensor.generate(x.dtype(), x.shape(), i -> {
            int gi = i / block;
            double xh = normalized(x, i);
            double r = inv[gi] * (gHat.applyAsDouble(i) - sumG[gi] / block - xh * sumGx[gi] / block);
            if (gMean != null) {
                r += gMean.getDouble(gi) / block;
            }
            if (gInv != null) {
                r -= gInv.getDouble(gi) * inv[gi] * inv[gi] * xh / block;
            }
            return r;
        });
    }
}
