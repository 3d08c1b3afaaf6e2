package dev.jattr.properties;

import dev.jattr.graph.ops.Gemm;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Gemm with every transpose combination, scales and a broadcast C. */
class GemmGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        var dims = Arbitraries.integers().between(1, 4).array(int[].class).ofSize(3);
        return Combinators.combine(dims, Arbitraries.of(false, true), Arbitraries.of(false, true),
                        Arbitraries.of(1.0, 0.5, -2.0), Arbitraries.of(1.0, 0.0, 1.5), Arbitraries.integers().between(0, 3))
                .flatAs((d, ta, tb, alpha, beta, cKind) -> {
                    int m = d[0], k = d[1], n = d[2];
                    int[] as = ta ? new int[] {k, m} : new int[] {m, k};
                    int[] bs = tb ? new int[] {n, k} : new int[] {k, n};
                    int[] cs = switch (cKind) {
                        case 0 -> new int[] {n};
                        case 1 -> new int[] {1, n};
                        case 2 -> new int[] {m, n};
                        default -> new int[] {m, 1};
                    };
                    return Combinators.combine(Gen.tensor(as, -2, 2), Gen.tensor(bs, -2, 2), Gen.tensor(cs, -2, 2))
                            .as((a, b, c) -> new OpCase(new Gemm(alpha, beta, ta, tb), a, b, c));
                });
    }
}
