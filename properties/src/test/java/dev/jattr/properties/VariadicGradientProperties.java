package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.Clip;
import dev.jattr.graph.ops.Variadic;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/** Sum, Mean, Min and Max over one to four mutually broadcast operands, and Clip with either bound optional. */
class VariadicGradientProperties implements OpContract {
    @Override
    public Arbitrary<OpCase> cases() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(1, 4), Arbitraries.longs())
                .as((kind, count, seed) -> {
                    Random r = new Random(seed);
                    if (kind == 4) {
                        return clip(r);
                    }
                    Variadic.Kind k = Variadic.Kind.values()[kind];
                    Statistics.label("kind").collect(k);
                    Statistics.label("operands").collect(count);
                    int[] full = {1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(3)};
                    Tensor[] in = new Tensor[count];
                    for (int i = 0; i < count; i++) {
                        int drop = r.nextInt(3);
                        int[] s = java.util.Arrays.copyOfRange(full, drop, 3);
                        for (int d = 0; d < s.length; d++) {
                            if (r.nextInt(3) == 0) {
                                s[d] = 1;
                            }
                        }
                        in[i] = Tensor.generate(DType.F64, s, j -> r.nextDouble() * 4 - 2);
                    }
                    return new OpCase(new Variadic(k), in);
                });
    }

    private static OpCase clip(Random r) {
        int[] s = {1 + r.nextInt(4), 1 + r.nextInt(4)};
        double lo = r.nextDouble() * 2 - 1.5, hi = lo + r.nextDouble() * 2;
        Tensor x = Tensor.generate(DType.F64, s, j -> {
            double v = r.nextDouble() * 6 - 3;
            return Math.abs(v - lo) < 1e-3 || Math.abs(v - hi) < 1e-3 ? v + 3e-3 : v;
        });
        int which = r.nextInt(4);
        Statistics.label("kind").collect("Clip" + which);
        Tensor tlo = which % 2 == 0 ? Tensor.of(new double[] {lo}) : null;
        Tensor thi = which < 2 ? Tensor.of(new double[] {hi}) : null;
        return new OpCase(new Clip(), x, tlo, thi);
    }
}
