package dev.jattr.properties;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.BatchNormalization;
import dev.jattr.graph.ops.Flatten;
import dev.jattr.graph.ops.Pad;
import dev.jattr.graph.ops.Reshape;
import dev.jattr.graph.ops.Softmax;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** BatchNormalization, Flatten, Reshape, Softmax (both axis semantics) and Pad (every mode, negative pads). */
class LayoutGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        var shape = Gen.shape(3, 4);
        return Combinators.combine(Arbitraries.integers().between(0, 4), shape, Arbitraries.integers().between(-3, 2),
                        Arbitraries.of(Pad.PadMode.values()), Arbitraries.integers().between(-1, 2))
                .flatAs((kind, s, axis, mode, p) -> {
                    int ax = Math.floorMod(axis, 3);
                    return switch (kind) {
                        case 0 -> Combinators.combine(Gen.tensor(s, -2, 2), Gen.tensor(new int[] {s[1]}, 0.5, 2),
                                        Gen.tensor(new int[] {s[1]}, -1, 1), Gen.tensor(new int[] {s[1]}, -1, 1),
                                        Gen.tensor(new int[] {s[1]}, 0.1, 2))
                                .as((x, sc, b, m, v) -> new OpCase(new BatchNormalization(1e-5), x, sc, b, m, v));
                        case 1 -> Gen.tensor(s, -2, 2).map(x -> new OpCase(new Flatten(ax), x));
                        case 2 -> Gen.tensor(s, -2, 2).map(x -> new OpCase(new Reshape(false), x,
                                Tensor.of(new long[] {0, -1}, 2)));
                        case 3 -> Gen.tensor(s, -2, 2).map(x -> new OpCase(new Softmax(axis, p > 0), x));
                        default -> Gen.tensor(s, -2, 2).map(x -> {
                            int pb = mode == Pad.PadMode.CONSTANT ? p : Math.max(0, Math.min(p, s[2] - 1));
                            long[] pads = {0, 0, pb, 0, 1, Math.max(pb, 0)};
                            if (mode == Pad.PadMode.REFLECT || mode == Pad.PadMode.EDGE || mode == Pad.PadMode.WRAP) {
                                pads[4] = 0;
                            }
                            return new OpCase(new Pad(mode), x, Tensor.of(pads, 6), Tensor.of(new double[] {0.5}));
                        });
                    };
                });
    }
}
