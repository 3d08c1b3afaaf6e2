package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Shared generators for shapes and tensors. */
public final class Gen {
    private Gen() {}

    /** Shapes of the given rank with dimensions in [1, maxDim]. */
    public static Arbitrary<int[]> shape(int rank, int maxDim) {
        return Arbitraries.integers().between(1, maxDim).array(int[].class).ofSize(rank);
    }

    /** A float64 tensor of {@code shape} with values uniform in [lo, hi], from a generated seed. */
    public static Arbitrary<Tensor> tensor(int[] shape, double lo, double hi) {
        return Arbitraries.longs().map(seed -> {
            java.util.Random r = new java.util.Random(seed);
            return Tensor.generate(DType.F64, shape, i -> lo + (hi - lo) * r.nextDouble());
        });
    }

    /** A float64 tensor of {@code shape} whose values keep at least {@code gap} away from each of {@code kinks}. */
    public static Arbitrary<Tensor> tensorAvoiding(int[] shape, double lo, double hi, double gap, double... kinks) {
        return tensor(shape, lo, hi).map(t -> {
            for (int i = 0; i < t.size(); i++) {
                for (double k : kinks) {
                    double v = t.getDouble(i);
                    if (Math.abs(v - k) < gap) {
                        t.setDouble(i, v < k ? k - gap : k + gap);
                    }
                }
            }
            return t;
        });
    }

    /** A float64 tensor of a shape drawn from {@code shapes}. */
    public static Arbitrary<Tensor> tensor(Arbitrary<int[]> shapes, double lo, double hi) {
        return shapes.flatMap(s -> tensor(s, lo, hi));
    }

    /** Pairs of tensors whose shapes broadcast against each other (rank ≤ 3). */
    public static Arbitrary<Tensor[]> broadcastPair(double lo, double hi) {
        return Combinators.combine(shape(3, 3), Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 3))
                .as((full, mask, drop) -> {
                    int[] b = full.clone();
                    for (int d = 0; d < 3; d++) {
                        if ((mask >> d & 1) == 1) {
                            b[d] = 1;
                        }
                    }
                    return new int[][] {full, java.util.Arrays.copyOfRange(b, Math.min(drop, 2), 3)};
                })
                .flatMap(s -> Combinators.combine(tensor(s[0], lo, hi), tensor(s[1], lo, hi)).as((x, y) -> new Tensor[] {x, y}));
    }
}
