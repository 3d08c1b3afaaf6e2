package dev.jattr.attr;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.Trace;
import java.util.List;

/** Convergence deltas shared by the methods that satisfy completeness. */
final class Deltas {
    private Deltas() {}

    /**
     * Σ attributions (over all layers and elements of each example) − (f(x)_target − f(x′)_target),
     * one per example, as a float64 tensor of shape [batch].
     */
    static Tensor completeness(List<Tensor> attributions, ModelRunner runner, Trace inputs, Trace baselines, Target target, int n) {
        double[] end = target.select(inputs.value(runner.output()), n);
        double[] start = target.select(baselines.value(runner.output()), n);
        return completeness(attributions, end, start);
    }

    /** Σ attributions per example − (end − start), from the selected outputs at both ends of the path. */
    static Tensor completeness(List<Tensor> attributions, double[] end, double[] start) {
        int n = end.length;
        double[] d = new double[n];
        for (Tensor a : attributions) {
            double[] rows = Tensors.sumPerRow(a);
            for (int i = 0; i < n; i++) {
                d[i] += rows[i];
            }
        }
        for (int i = 0; i < n; i++) {
            d[i] -= end[i] - start[i];
        }
        return Tensor.of(d, n);
    }
}
