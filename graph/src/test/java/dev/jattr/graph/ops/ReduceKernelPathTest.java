package dev.jattr.graph.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Float ReduceSum and ReduceMean over one contiguous run of axes run on the backend's kernels;
 * their values and gradients must match the generic path (the same op on double input).
 */
class ReduceKernelPathTest {
    private record Case(int[] shape, List<Integer> axes, boolean onKernels) {}

    private static final Case[] CASES = {
        new Case(new int[] {3, 8, 3, 3}, List.of(2, 3), true), // ShuffleNet's global mean
        new Case(new int[] {3, 8, 3, 3}, List.of(-1), true),
        new Case(new int[] {3, 8, 5, 2}, List.of(1), true), // a middle axis: inner > 1
        new Case(new int[] {3, 8, 5}, List.of(0, 1), true),
        new Case(new int[] {3, 1, 5, 4}, List.of(0, 2), true), // a size-1 axis inside the run
        new Case(new int[] {3, 4, 5, 2}, List.of(1, 3), false), // two runs: generic
        new Case(new int[] {4, 5}, List.of(), true), // every axis
    };

    private static Tensor random(Random r, int[] shape) {
        return Tensor.generate(DType.F32, shape, i -> r.nextDouble() * 4 - 2);
    }

    @Test
    void matchesTheGenericPath() {
        Random r = new Random(5);
        for (Case c : CASES) {
            for (ReduceKind kind : new ReduceKind[] {ReduceKind.SUM, ReduceKind.MEAN}) {
                for (boolean keep : new boolean[] {true, false}) {
                    Reduce op = new Reduce(kind, c.axes(), keep, false);
                    String what = kind + " " + Arrays.toString(c.shape()) + " axes " + c.axes() + " keepdims " + keep;
                    Tensor x = random(r, c.shape());
                    Tensor xd = x.cast(DType.F64);
                    assertEquals(c.onKernels(), op.runsOnDevice(new Tensor[] {x}), what);
                    Tensor y = op.forward(new Tensor[] {x})[0];
                    Tensor yd = op.forward(new Tensor[] {xd})[0];
                    assertArrayEquals(yd.shape(), y.shape(), what);
                    assertClose(yd, y, what);
                    Tensor gy = random(r, y.shape());
                    Tensor gx = op.backward(new Tensor[] {x}, new Tensor[] {y}, new Tensor[] {gy}, new boolean[] {true})[0];
                    Tensor gxd = op.backward(new Tensor[] {xd}, new Tensor[] {yd}, new Tensor[] {gy.cast(DType.F64)},
                            new boolean[] {true})[0];
                    assertArrayEquals(x.shape(), gx.shape(), what);
                    assertClose(gxd, gx, "gradient " + what);
                }
            }
        }
    }

    private static void assertClose(Tensor want, Tensor got, String what) {
        assertEquals(want.size(), got.size(), what);
        assertTrue(got.size() > 0, what);
        for (int i = 0; i < want.size(); i++) {
            double w = want.getDouble(i);
            assertEquals(w, got.getDouble(i), 1e-5 * Math.max(1, Math.abs(w)), what + " at " + i);
        }
    }
}
