package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.BatchNormalization;
import dev.jattr.graph.ops.InstanceNormalization;
import dev.jattr.graph.ops.LayerNormalization;
import dev.jattr.graph.ops.Lrn;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/**
 * InstanceNormalization, LayerNormalization (every axis, negative too; scale and bias broadcast;
 * the Mean and InvStdDev outputs carrying gradient), LRN (odd and even sizes) and
 * BatchNormalization with per-activation parameters (spatial = 0 before opset 9).
 */
class NormalizationGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.longs()).as((kind, seed) -> {
            Random r = new Random(seed);
            int rank = 3 + r.nextInt(2);
            int[] s = new int[rank];
            for (int d = 0; d < rank; d++) {
                s[d] = 1 + r.nextInt(3);
            }
            s[rank - 1] = 2 + r.nextInt(2); // at least two elements per normalised block
            Tensor x = random(s, r, -2, 2);
            return switch (kind) {
                case 0 -> {
                    Statistics.label("op").collect("InstanceNormalization");
                    yield new OpCase(new InstanceNormalization(1e-5), x, random(new int[] {s[1]}, r, 0.5, 2),
                            random(new int[] {s[1]}, r, -1, 1));
                }
                case 1 -> {
                    int axis = 1 + r.nextInt(rank - 1);
                    int signed = r.nextBoolean() ? axis - rank : axis;
                    Statistics.label("op").collect("LayerNormalization axis " + signed);
                    int[] ns = Arrays.copyOfRange(s, axis, rank);
                    int[] scaleShape = Arrays.copyOfRange(ns, r.nextInt(ns.length), ns.length);
                    if (r.nextBoolean()) {
                        scaleShape[0] = 1;
                    }
                    Tensor bias = r.nextBoolean() ? random(ns, r, -1, 1) : null;
                    yield new OpCase(new LayerNormalization(signed, 1e-5), x, random(scaleShape, r, 0.5, 2), bias);
                }
                case 2 -> {
                    int size = 1 + r.nextInt(4);
                    Statistics.label("op").collect("LRN size " + size);
                    yield new OpCase(new Lrn(1e-1 + r.nextDouble(), 0.5 + r.nextDouble() * 0.5, 1 + r.nextDouble(), size), x);
                }
                default -> {
                    Statistics.label("op").collect("BatchNormalization per activation");
                    int[] ps = {x.size() / s[0]};
                    yield new OpCase(new BatchNormalization(1e-5), x, random(ps, r, 0.5, 2), random(ps, r, -1, 1),
                            random(ps, r, -1, 1), random(ps, r, 0.1, 2));
                }
            };
        });
    }

    private static Tensor random(int[] shape, Random r, double lo, double hi) {
        return Tensor.generate(DType.F64, shape, i -> lo + (hi - lo) * r.nextDouble());
    }
}
