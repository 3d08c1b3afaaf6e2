package dev.jattr.properties;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.Binary;
import dev.jattr.graph.ops.BinaryKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Add, Sub, Mul, Div and Pow with numpy broadcasting: the VJP sums over broadcast dimensions. */
class BinaryGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        return Arbitraries.of(BinaryKind.values()).flatMap(k -> Gen.broadcastPair(0.3, 2.0).flatMap(p ->
                Arbitraries.of(false, true).map(swap -> {
                    Tensor a = p[swap ? 1 : 0], b = p[swap ? 0 : 1];
                    if (k == BinaryKind.SUB || k == BinaryKind.MUL || k == BinaryKind.ADD) {
                        a = a.map(v -> v * 2 - 2.3);
                    }
                    return new OpCase(new Binary(k), a, b);
                })));
    }
}
