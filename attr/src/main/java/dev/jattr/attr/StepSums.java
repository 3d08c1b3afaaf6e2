package dev.jattr.attr;

import dev.jattr.graph.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * Per layer value, the weighted sum over path steps of per-step tensors (gradients), in double
 * precision. Each added tensor stacks several steps along dimension 0, step-major.
 */
final class StepSums {
    private final Map<String, double[]> sums = new HashMap<>();

    /** Adds Σₛ {@code weights[first + s]} · (block s of {@code g}), {@code g} holding {@code blocks} equal blocks. */
    void add(String value, Tensor g, int blocks, double[] weights, int first) {
        int per = g.size() / blocks;
        double[] acc = sums.computeIfAbsent(value, x -> new double[per]);
        for (int s = 0; s < blocks; s++) {
            double w = weights[first + s];
            int off = s * per;
            switch (g.dtype()) {
                case F32 -> {
                    float[] x = g.floats();
                    for (int i = 0; i < per; i++) {
                        acc[i] += w * x[off + i];
                    }
                }
                case F64 -> {
                    double[] x = g.doubles();
                    for (int i = 0; i < per; i++) {
                        acc[i] += w * x[off + i];
                    }
                }
                default -> throw new IllegalArgumentException("gradients are floating, got " + g.dtype());
            }
        }
    }

    /** The sum for {@code value}, one entry per element of one block. */
    double[] get(String value) {
        double[] s = sums.get(value);
        if (s == null) {
            throw new IllegalStateException("no steps were added for '" + value + "'");
        }
        return s;
    }
}
