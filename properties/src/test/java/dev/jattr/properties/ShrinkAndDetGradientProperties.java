package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.Det;
import dev.jattr.graph.ops.Shrink;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/**
 * Shrink (inputs kept away from ±lambd, where it jumps) and Det over batches of 1×1 to 4×4
 * matrices, some of them singular (a repeated row), where the gradient is the cofactor matrix.
 */
class ShrinkAndDetGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(0.0, 0.5, 1.5), Arbitraries.longs())
                .as((det, lambd, seed) -> det ? det(new Random(seed)) : shrink(lambd, new Random(seed)));
    }

    private static OpCase shrink(double lambd, Random r) {
        Tensor x = Tensor.generate(DType.F64, new int[] {2, 3, 1 + r.nextInt(4)}, i -> {
            double v = r.nextDouble() * 6 - 3;
            return Math.abs(Math.abs(v) - lambd) < 1e-3 ? v + 2e-3 : v;
        });
        Statistics.label("op").collect("Shrink");
        return new OpCase(new Shrink(lambd, r.nextDouble()), x);
    }

    private static OpCase det(Random r) {
        int m = 1 + r.nextInt(4), batch = r.nextInt(3);
        int[] shape = batch == 0 ? new int[] {m, m} : new int[] {batch, 2, m, m};
        Tensor a = Tensor.generate(DType.F64, shape, i -> r.nextDouble() * 4 - 2);
        boolean singular = m > 1 && r.nextInt(4) == 0;
        if (singular) {
            for (int j = 0; j < m; j++) {
                a.setDouble(m + j, a.getDouble(j));
            }
        }
        Statistics.label("op").collect(singular ? "Det singular" : "Det");
        return new OpCase(new Det(), a);
    }
}
