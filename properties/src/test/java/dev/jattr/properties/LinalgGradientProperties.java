package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.Einsum;
import dev.jattr.graph.ops.MatMul;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/**
 * MatMul with 1-d operands and broadcast batch dimensions (either side, ranks 1 to 4), and Einsum
 * over equations covering batch matmul, transposes, reductions, outer and inner products,
 * diagonals, implicit outputs and a broadcast ellipsis.
 */
class LinalgGradientProperties implements OpContract {
    static final List<String> EQUATIONS = List.of("ij,jk->ik", "bij,bjk->bik", "ij->ji", "ij->", "i,j->ij", "i,i->",
            "ij,ij->i", "ijk->kj", "ii->i", "bii->b", "ij,jk", "ba", "...ij,...jk->...ik", "...i->...", "bhqd,bhkd->bhqk",
            "ij,jk,kl->il");

    @Override
    public Arbitrary<OpCase> cases() {
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(EQUATIONS), Arbitraries.longs())
                .as((matmul, eq, seed) -> matmul ? matmul(new Random(seed)) : einsum(eq, new Random(seed)));
    }

    private static OpCase matmul(Random r) {
        int m = 1 + r.nextInt(3), k = 1 + r.nextInt(3), n = 1 + r.nextInt(3);
        int[] batch = {1 + r.nextInt(3), 1 + r.nextInt(3)};
        int[] as = operand(r, batch, m, k, true), bs = operand(r, batch, k, n, false);
        Statistics.label("ranks").collect(as.length + "x" + bs.length);
        return new OpCase(new MatMul(), tensor(as, r), tensor(bs, r));
    }

    /** A shape [batch…, rows, cols], its batch part dropped or broadcast at random, or a vector. */
    private static int[] operand(Random r, int[] batch, int rows, int cols, boolean left) {
        if (r.nextInt(5) == 0) {
            return new int[] {left ? cols : rows};
        }
        int keep = r.nextInt(3);
        int[] s = new int[keep + 2];
        for (int d = 0; d < keep; d++) {
            s[d] = r.nextInt(3) == 0 ? 1 : batch[2 - keep + d];
        }
        s[keep] = rows;
        s[keep + 1] = cols;
        return s;
    }

    private static OpCase einsum(String eq, Random r) {
        Statistics.label("equation").collect(eq);
        Map<Character, Integer> size = new HashMap<>();
        int[] ellipsis = {1 + r.nextInt(2), 1 + r.nextInt(3)};
        String lhs = eq.contains("->") ? eq.substring(0, eq.indexOf("->")) : eq;
        List<Tensor> in = new ArrayList<>();
        for (String term : lhs.split(",")) {
            List<Integer> s = new ArrayList<>();
            if (term.startsWith("...")) {
                int keep = r.nextInt(3);
                for (int d = 2 - keep; d < 2; d++) {
                    s.add(r.nextInt(3) == 0 ? 1 : ellipsis[d]);
                }
                term = term.substring(3);
            }
            for (char c : term.toCharArray()) {
                s.add(size.computeIfAbsent(c, x -> 1 + r.nextInt(3)));
            }
            in.add(tensor(s.stream().mapToInt(Integer::intValue).toArray(), r));
        }
        return new OpCase(new Einsum(eq), in.toArray(Tensor[]::new));
    }

    private static Tensor tensor(int[] shape, Random r) {
        return Tensor.generate(DType.F64, shape, i -> r.nextDouble() * 4 - 2);
    }
}
