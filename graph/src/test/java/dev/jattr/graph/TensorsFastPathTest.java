package dev.jattr.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.kernels.Arithmetic;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The float32 broadcast fast paths of {@link Tensors} against the generic strided path. */
class TensorsFastPathTest {
    /** Pairs of shapes: same, scalar, per-channel, per-sample channel, trailing row, and two that need the generic path. */
    private static final int[][][] PAIRS = {
        {{2, 3, 4, 5}, {2, 3, 4, 5}}, {{2, 3, 4, 5}, {}}, {{2, 3, 4, 5}, {1}}, {{2, 8, 5, 5}, {1, 8, 1, 1}},
        {{2, 8, 5, 5}, {8, 1, 1}}, {{2, 8, 5, 5}, {2, 8, 1, 1}}, {{6, 7}, {7}}, {{3, 6, 7}, {1, 1, 7}},
        {{1, 8, 1, 1}, {2, 8, 5, 5}}, {{4, 1}, {1, 5}}, {{2, 3, 4}, {2, 1, 4}}, {{2, 3, 4}, {3, 1}},
    };

    private static Tensor random(Random r, int[] shape) {
        float[] a = new float[Shapes.size(shape)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return Tensor.of(a, shape);
    }

    @Test
    void arithmeticMatchesGenericZipExactly() {
        Random r = new Random(11);
        int fast = 0;
        for (int[][] p : PAIRS) {
            Tensor a = random(r, p[0]), b = random(r, p[1]);
            for (Arithmetic op : Arithmetic.values()) {
                var got = Tensors.arithF32(op, a, b);
                Tensor want = Tensors.zip(a, b, switch (op) {
                    case ADD -> Double::sum;
                    case SUB -> (x, y) -> x - y;
                    case MUL -> (x, y) -> x * y;
                    case DIV -> (x, y) -> x / y;
                });
                if (got.isPresent()) {
                    fast++;
                    assertArrayEquals(want.shape(), got.get().shape());
                    assertArrayEquals(want.floats(), got.get().floats(), op + " " + java.util.Arrays.deepToString(p));
                }
            }
            Tensor viaAdd = Tensors.add(a, b);
            assertArrayEquals(Tensors.zip(a, b, Double::sum).floats(), viaAdd.floats());
        }
        assertEquals(4 * 10, fast, "pairs that take the fast path");
    }

    @Test
    void unbroadcastMatchesGenericPath() {
        Random r = new Random(12);
        for (int[][] p : PAIRS) {
            int[] full = Shapes.broadcast(p[0], p[1]);
            Tensor g = random(r, full);
            for (int[] target : p) {
                Tensor got = Tensors.unbroadcast(g, target);
                Tensor want = Tensors.unbroadcast(g.cast(DType.F64), target);
                assertArrayEquals(target, got.shape());
                for (int i = 0; i < want.size(); i++) {
                    double e = want.getDouble(i);
                    assertTrue(Math.abs(e - got.getDouble(i)) <= 1e-5 * Math.max(1, Math.abs(e)),
                            java.util.Arrays.toString(target) + " element " + i + ": " + e + " vs " + got.getDouble(i));
                }
            }
        }
    }
}
