package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.LossReduction;
import dev.jattr.graph.ops.NegativeLogLikelihoodLoss;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/**
 * NegativeLogLikelihoodLoss with respect to the scores and the class weights: every reduction,
 * with and without weights, with an ignore index (inside or outside the classes) hit by some
 * targets, over [N, C] and [N, C, d1, d2] inputs. At least one target is kept so the mean is defined.
 */
class LossGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        return Combinators.combine(Arbitraries.of(LossReduction.values()), Arbitraries.of(false, true),
                        Arbitraries.of(false, true), Arbitraries.integers().between(0, 2), Arbitraries.longs())
                .as((reduction, weighted, ignoring, extraDims, seed) -> {
                    Random r = new Random(seed);
                    int n = 1 + r.nextInt(3), c = 1 + r.nextInt(4);
                    int[] xs = new int[2 + extraDims], ts = new int[1 + extraDims];
                    xs[0] = ts[0] = n;
                    xs[1] = c;
                    for (int d = 0; d < extraDims; d++) {
                        xs[2 + d] = ts[1 + d] = 1 + r.nextInt(3);
                    }
                    long ignore = r.nextBoolean() ? r.nextInt(c) : -1;
                    long[] targets = new long[dev.jattr.graph.Shapes.size(ts)];
                    for (int i = 0; i < targets.length; i++) {
                        targets[i] = ignoring && i > 0 && r.nextInt(3) == 0 ? ignore : r.nextInt(c);
                    }
                    if (ignoring && targets[0] == ignore) {
                        targets[0] = (ignore + 1) % c == ignore ? ignore : (ignore + 1) % c;
                    }
                    if (ignoring && c == 1 && ignore == 0) {
                        ignore = -1; // one class only: ignoring it would leave nothing to average
                    }
                    Statistics.label("reduction").collect(reduction);
                    Tensor x = Tensor.generate(DType.F64, xs, i -> r.nextDouble() * 4 - 2);
                    Tensor w = Tensor.generate(DType.F64, new int[] {c}, i -> 0.2 + 1.8 * r.nextDouble());
                    NegativeLogLikelihoodLoss op = new NegativeLogLikelihoodLoss(reduction, ignoring ? ignore : null);
                    Tensor t = Tensor.of(targets, ts);
                    return weighted ? new OpCase(op, x, t, w) : new OpCase(op, x, t);
                });
    }
}
