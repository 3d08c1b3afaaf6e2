package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Cases built procedurally from a generated seed: shapes, axes (negative ones too) and index tensors drawn together, as ops with many coupled attributes need. */
final class RandomCases {
    private RandomCases() {}

    /** One of {@code builders}, applied to a Random seeded by jqwik. */
    static Arbitrary<OpCase> of(List<Function<Random, OpCase>> builders) {
        return Combinators.combine(Arbitraries.integers().between(0, builders.size() - 1), Arbitraries.longs())
                .as((k, seed) -> builders.get(k).apply(new Random(seed)));
    }

    /** A shape of the given rank with dimensions in [1, max]. */
    static int[] shape(Random r, int rank, int max) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = 1 + r.nextInt(max);
        }
        return s;
    }

    /** A float64 tensor with values uniform in [−2, 2]. */
    static Tensor values(Random r, int... shape) {
        return Tensor.generate(DType.F64, shape, i -> 4 * r.nextDouble() - 2);
    }

    /** An int64 tensor with values in [−dim, dim) (negative indices count from the end). */
    static Tensor indices(Random r, int dim, int... shape) {
        return Tensor.generate(DType.I64, shape, i -> r.nextInt(2 * dim) - dim);
    }

    /** An axis of a rank-{@code rank} tensor, negative half the time. */
    static int axis(Random r, int rank) {
        int a = r.nextInt(rank);
        return r.nextBoolean() ? a - rank : a;
    }

    /** An int64 vector. */
    static Tensor longs(long... v) {
        return Tensor.of(v, v.length);
    }
}
