package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/**
 * ONNX NegativeLogLikelihoodLoss: for scores x of shape [N, C, d1…], integer targets t of shape
 * [N, d1…] and optional class weights w of shape [C], the loss at (n, d) is −x[n, t, d]·w[t]; a
 * target equal to {@code ignoreIndex} contributes neither loss nor weight. Differentiable with
 * respect to the scores and the weights.
 *
 * @param reduction   none, sum, or the mean weighted by the weights used
 * @param ignoreIndex the target value to ignore, or null when the attribute is absent
 */
public record NegativeLogLikelihoodLoss(LossReduction reduction, Long ignoreIndex) implements Op {
    @Override
    public String type() {
        return "NegativeLogLikelihoodLoss";
    }

    /** Where each loss reads its score and weight: per (n, d), the score index and the class, −1 when ignored. */
    private record Picks(int[] score, int[] cls, double[] weight, double weightSum) {}

    private Picks picks(Tensor x, Tensor t, Tensor w) {
        Linalg.requireFloating(x, type(), "input");
        int[] xs = x.shape(), ts = t.shape();
        if (xs.length < 2 || ts.length != xs.length - 1 || ts[0] != xs[0]
                || !Arrays.equals(Arrays.copyOfRange(xs, 2, xs.length), Arrays.copyOfRange(ts, 1, ts.length))) {
            throw new IllegalArgumentException(type() + ": target shape " + Arrays.toString(ts) + " does not fit input shape "
                    + Arrays.toString(xs));
        }
        int c = xs[1], d = Shapes.product(xs, 2, xs.length), n = t.size();
        int[] score = new int[n], cls = new int[n];
        double[] weight = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            long k = t.getLong(i);
            if (ignoreIndex != null && k == ignoreIndex) {
                cls[i] = -1;
                continue;
            }
            if (k < 0 || k >= c) {
                throw new IllegalArgumentException(type() + ": target " + k + " at " + i + " is outside [0, " + c + ")");
            }
            cls[i] = (int) k;
            score[i] = ((i / d) * c + (int) k) * d + i % d;
            weight[i] = w == null ? 1 : w.getDouble((int) k);
            sum += weight[i];
        }
        return new Picks(score, cls, weight, sum);
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        Picks p = picks(x, in[1], in.length > 2 ? in[2] : null);
        int n = p.cls.length;
        if (reduction == LossReduction.NONE) {
            Tensor y = Tensor.zeros(x.dtype(), in[1].shape());
            for (int i = 0; i < n; i++) {
                if (p.cls[i] >= 0) {
                    y.setDouble(i, -x.getDouble(p.score[i]) * p.weight[i]);
                }
            }
            return new Tensor[] {y};
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (p.cls[i] >= 0) {
                total -= x.getDouble(p.score[i]) * p.weight[i];
            }
        }
        Tensor y = Tensor.zeros(x.dtype());
        y.setDouble(0, reduction == LossReduction.SUM ? total : total / p.weightSum);
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0], w = in.length > 2 ? in[2] : null;
        Picks p = picks(x, in[1], w);
        int n = p.cls.length;
        Tensor gx = Tensor.zeros(x.dtype(), x.shape());
        Tensor gw = w == null ? null : Tensor.zeros(w.dtype(), w.shape());
        // d loss_i / d x = −w_i and d loss_i / d w_c = −x_i; the mean adds −mean/W per weight used.
        double mean = reduction == LossReduction.MEAN ? out[0].getDouble(0) : 0;
        for (int i = 0; i < n; i++) {
            if (p.cls[i] < 0) {
                continue;
            }
            double gi = switch (reduction) {
                case NONE -> g[0].getDouble(i);
                case SUM -> g[0].getDouble(0);
                case MEAN -> g[0].getDouble(0) / p.weightSum;
            };
            gx.setDouble(p.score[i], gx.getDouble(p.score[i]) - p.weight[i] * gi);
            if (gw != null) {
                gw.setDouble(p.cls[i], gw.getDouble(p.cls[i]) - (x.getDouble(p.score[i]) + mean) * gi);
            }
        }
        return new Tensor[] {gx, null, gw};
    }
}
