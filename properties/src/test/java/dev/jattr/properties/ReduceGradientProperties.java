package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.GlobalMaxPool;
import dev.jattr.graph.ops.Hardmax;
import dev.jattr.graph.ops.LogSoftmax;
import dev.jattr.graph.ops.LpPool;
import dev.jattr.graph.ops.AutoPad;
import dev.jattr.graph.ops.Reduce;
import dev.jattr.graph.ops.ReduceKind;
import dev.jattr.graph.ops.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/**
 * Every Reduce* over random axis sets (negative too, given as attribute or as input), with and
 * without keepdims, and the empty-axes cases; LogSoftmax on both axis semantics; GlobalMaxPool,
 * LpPool (strides, pads, dilations, ceil mode, p = 1…3) and GlobalLpPool. Max/Min inputs are
 * distinct so no tie straddles a finite-difference step; L1 and p = 1 inputs stay off 0.
 */
class ReduceGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        return Combinators.combine(Arbitraries.integers().between(0, ReduceKind.values().length + 3), Arbitraries.longs())
                .as((kind, seed) -> {
                    Random r = new Random(seed);
                    int[] s = {1 + r.nextInt(3), 1 + r.nextInt(3), 2 + r.nextInt(3)};
                    if (kind < ReduceKind.values().length) {
                        return reduce(ReduceKind.values()[kind], s, r);
                    }
                    Tensor x = PoolGradientProperties.distinct(new int[] {s[0], s[1], s[2] + 1, 3}, r).map(v -> v + 0.005);
                    return switch (kind - ReduceKind.values().length) {
                        case 0 -> {
                            boolean coerced = r.nextBoolean();
                            int axis = r.nextInt(6) - 3;
                            Statistics.label("op").collect("LogSoftmax" + (coerced ? " <13" : ""));
                            yield new OpCase(new LogSoftmax(axis, coerced), x);
                        }
                        case 1 -> {
                            Statistics.label("op").collect("GlobalMaxPool");
                            yield new OpCase(new GlobalMaxPool(), x);
                        }
                        case 2 -> {
                            Statistics.label("op").collect("GlobalLpPool");
                            yield new OpCase(LpPool.global(1 + r.nextInt(3)), x);
                        }
                        default -> {
                            int k = 1 + r.nextInt(2), stride = 1 + r.nextInt(2), dil = 1 + r.nextInt(2), pad = r.nextInt(k);
                            Window w = new Window(new int[] {k, k}, new int[] {stride, stride}, new int[] {pad, 0, 0, pad},
                                    new int[] {dil, 1}, AutoPad.NOTSET, r.nextBoolean());
                            Statistics.label("op").collect("LpPool");
                            yield new OpCase(new LpPool(w, 1 + r.nextInt(3), false), x);
                        }
                    };
                });
    }

    private static OpCase reduce(ReduceKind k, int[] s, Random r) {
        Statistics.label("op").collect(k);
        Tensor x = switch (k) {
            case MAX, MIN -> PoolGradientProperties.distinct(s, r);
            case LOG_SUM -> Tensor.generate(DType.F64, s, i -> 0.2 + r.nextDouble());
            case PROD, L1 -> Tensor.generate(DType.F64, s, i -> (0.5 + r.nextDouble()) * (r.nextBoolean() ? 1 : -1));
            default -> Tensor.generate(DType.F64, s, i -> r.nextDouble() * 4 - 2);
        };
        List<Integer> axes = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            if (r.nextInt(3) == 0) {
                axes.add(r.nextBoolean() ? d - 3 : d);
            }
        }
        boolean keep = r.nextBoolean(), noop = r.nextInt(4) == 0, asInput = r.nextBoolean();
        Statistics.label("axes").collect(axes.isEmpty() ? noop ? "none, noop" : "none, all" : "some");
        if (asInput) {
            Tensor ax = Tensor.of(axes.stream().mapToLong(Integer::longValue).toArray(), axes.size());
            return new OpCase(new Reduce(k, List.of(), keep, noop), x, ax);
        }
        return new OpCase(new Reduce(k, axes, keep, noop), x);
    }

    /** Hardmax is piecewise constant and says so. */
    @net.jqwik.api.Example
    void hardmaxDeclaresNoGradient() {
        if (new Hardmax(-1, false).differentiable()) {
            throw new AssertionError("Hardmax claims a gradient");
        }
    }
}
