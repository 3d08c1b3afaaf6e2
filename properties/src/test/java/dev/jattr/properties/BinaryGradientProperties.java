package dev.jattr.properties;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.Binary;
import dev.jattr.graph.ops.BinaryKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/**
 * Every binary op with numpy broadcasting (either operand broadcast, rank 1 to 3): the VJP sums
 * over broadcast dimensions. Mod's operands keep a/b off integers (where it jumps), PRelu's input
 * keeps off 0.
 */
class BinaryGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        return Combinators.combine(Arbitraries.of(BinaryKind.values()), Gen.broadcastPair(0.3, 2.0), Arbitraries.of(false, true),
                        Arbitraries.doubles().between(0.5, 2))
                .as((k, p, swap, divisor) -> {
                    Statistics.label("kind").collect(k);
                    Tensor a = p[swap ? 1 : 0], b = p[swap ? 0 : 1];
                    switch (k) {
                        case SUB, MUL, ADD, MIN, MAX -> a = a.map(v -> v * 2 - 2.3);
                        case PRELU -> a = a.map(v -> (v - 1.15) * 2 + Math.copySign(0.05, v - 1.15));
                        case MOD, FMOD -> {
                            // b ≡ divisor·(±1) everywhere, a = divisor·(n + f) with f in [0.1, 0.9]: a/b stays off integers.
                            double d = swap ? -divisor : divisor;
                            b = b.map(v -> d);
                            a = a.map(v -> {
                                double t = (v - 1.15) * 3;
                                return divisor * (Math.floor(t) + 0.1 + 0.8 * (t - Math.floor(t)));
                            });
                        }
                        default -> { }
                    }
                    return new OpCase(new Binary(k), a, b);
                });
    }
}
