package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.AutoPad;
import dev.jattr.graph.ops.AveragePool;
import dev.jattr.graph.ops.GlobalAveragePool;
import dev.jattr.graph.ops.MaxPool;
import dev.jattr.graph.ops.Window;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** MaxPool (values kept distinct so no tie straddles a finite-difference step), AveragePool and GlobalAveragePool. */
class PoolGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(1, 2), Arbitraries.integers().between(0, 1), Arbitraries.of(false, true),
                        Arbitraries.longs())
                .as((kind, k, stride, pad, flag, seed) -> {
                    int p = Math.min(pad, k - 1);
                    int[] xs = {2, 2, 5, 4};
                    Window w = new Window(new int[] {k, k}, new int[] {stride, stride}, new int[] {p, p, p, p},
                            new int[0], AutoPad.NOTSET, flag && kind == 0);
                    Tensor x = distinct(xs, new Random(seed));
                    return switch (kind) {
                        case 0 -> new OpCase(new MaxPool(w), x);
                        case 1 -> new OpCase(new AveragePool(w, flag), x);
                        default -> new OpCase(new GlobalAveragePool(), x);
                    };
                });
    }

    /** Values 0.01·(a permutation of 0..n−1), shuffled: every pair differs by at least 0.01. */
    static Tensor distinct(int[] shape, Random r) {
        int n = dev.jattr.graph.Shapes.size(shape);
        List<Integer> perm = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            perm.add(i);
        }
        Collections.shuffle(perm, r);
        return Tensor.generate(DType.F64, shape, i -> 0.01 * perm.get(i) - 0.2);
    }
}
