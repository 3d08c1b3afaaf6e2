package dev.jattr.graph.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StridedViewTest {

    /** A random view of an input of shape {@code in}: dimensions permuted, each sliced with a random start, step (±, or 0 to repeat) and count. */
    private static StridedView randomView(Random r, int[] in) {
        int rank = in.length;
        int[] st = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) {
            st[d] = s;
            s *= in[d];
        }
        int[] perm = new int[rank];
        for (int d = 0; d < rank; d++) {
            perm[d] = d;
        }
        if (r.nextBoolean()) {
            for (int d = rank - 1; d > 0; d--) {
                int j = r.nextInt(d + 1);
                int t = perm[d];
                perm[d] = perm[j];
                perm[j] = t;
            }
        }
        int[] shape = new int[rank], strides = new int[rank];
        int offset = 0;
        for (int d = 0; d < rank; d++) {
            int a = perm[d], n = in[a];
            int kind = r.nextInt(5);
            if (kind <= 1) { // whole dimension, contiguous runs stay possible
                shape[d] = n;
                strides[d] = st[a];
            } else if (kind == 2) { // forward slice with step 1 or 2
                int step = 1 + r.nextInt(2), start = r.nextInt(n);
                shape[d] = 1 + r.nextInt((n - start + step - 1) / step);
                strides[d] = step * st[a];
                offset += start * st[a];
            } else if (kind == 3) { // backward slice
                int start = r.nextInt(n);
                shape[d] = 1 + r.nextInt(start + 1);
                strides[d] = -st[a];
                offset += start * st[a];
            } else { // repeat one element
                shape[d] = 1 + r.nextInt(3);
                strides[d] = 0;
                offset += r.nextInt(n) * st[a];
            }
        }
        return new StridedView(shape, offset, strides);
    }

    /** The flat input index of every output element, by decoding each output index into its multi-index. */
    private static int[] naiveSources(StridedView v) {
        int[] shape = v.shape();
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        int[] src = new int[n];
        for (int i = 0; i < n; i++) {
            int rest = i, at = v.offset();
            for (int d = shape.length - 1; d >= 0; d--) {
                at += (rest % shape[d]) * v.strides()[d];
                rest /= shape[d];
            }
            src[i] = at;
        }
        return src;
    }

    @Test
    void takeAndIndexMapMatchTheDefinitionForEveryDType() {
        Random r = new Random(17);
        int runs = 0;
        for (int trial = 0; trial < 400; trial++) {
            int rank = r.nextInt(5);
            int[] in = new int[rank];
            int size = 1;
            for (int d = 0; d < rank; d++) {
                in[d] = 1 + r.nextInt(6);
                size *= in[d];
            }
            StridedView v = randomView(r, in);
            int[] expected = naiveSources(v);
            assertArrayEquals(expected, v.indexMap().source(), "index map " + trial);
            DType dtype = DType.values()[trial % DType.values().length];
            int total = size;
            Tensor x = Tensor.generate(dtype, in, i -> dtype == DType.BOOL ? i % 3 & 1 : i * 1.5 - total);
            Tensor y = v.take(x);
            assertArrayEquals(v.shape(), y.shape());
            assertEquals(dtype, y.dtype());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(x.getDouble(expected[i]), y.getDouble(i), 0.0, "element " + i + " of trial " + trial);
            }
            if (expected.length >= 4 && v.strides().length > 0 && v.strides()[v.strides().length - 1] == 1
                    && v.shape()[v.shape().length - 1] >= 4) {
                runs++;
            }
        }
        assertTrue(runs > 40, "too few views with contiguous runs: " + runs);
    }

    @Test
    void transposeAndSliceForwardThroughTheViewMatchTheirIndexMaps() {
        Random r = new Random(5);
        Tensor x = Tensor.generate(DType.F32, new int[] {2, 3, 4, 5}, i -> r.nextGaussian());
        Transpose t = new Transpose(new int[] {0, 2, 1, 3});
        Tensor[] in = {x};
        assertArrayEquals(t.indexMap(in).take(x).floats(), t.forward(in)[0].floats());
        Slice s = new Slice();
        Tensor[] sin = {x, Tensor.of(new long[] {1, 0}, 2), Tensor.of(new long[] {3, 4}, 2), Tensor.of(new long[] {1, 2}, 2)};
        Tensor viaView = s.forward(sin)[0];
        assertArrayEquals(new int[] {2, 2, 4, 5}, viaView.shape());
        assertArrayEquals(s.indexMap(sin).take(x).floats(), viaView.floats());
    }

    @Test
    void theAdjointOnTheCopyKernelsIsTheScatterAddWhereItHasAForm() {
        Random r = new Random(11);
        int permutations = 0, rows = 0, none = 0;
        for (int trial = 0; trial < 600; trial++) {
            int rank = 1 + r.nextInt(4);
            int[] in = new int[rank];
            for (int d = 0; d < rank; d++) {
                in[d] = 1 + r.nextInt(5);
            }
            StridedView v = randomView(r, in);
            Tensor gy = Tensor.generate(DType.F32, v.shape(), i -> r.nextGaussian());
            Tensor expected = v.indexMap().scatterAdd(gy, in);
            if (!v.adjointOnKernels(in)) {
                none++;
                continue;
            }
            Tensor gx = v.adjointOnKernels(gy, in);
            assertArrayEquals(expected.floats(), gx.floats(), "trial " + trial + ": " + v);
            if (v.offset() == 0 && gx.size() == gy.size()) {
                permutations++;
            } else {
                rows++;
            }
        }
        assertTrue(permutations > 20 && rows > 100 && none > 100, permutations + " permutations, " + rows
                + " row views, " + none + " without a form");

        // a view that repeats an element has no form: its adjoint adds
        assertTrue(!new StridedView(new int[] {3, 2}, 0, new int[] {0, 1}).adjointOnKernels(new int[] {2}));
        // a channel shuffle's transpose, and one half of a channel split
        Random g = new Random(3);
        Tensor x = Tensor.generate(DType.F32, new int[] {2, 2, 3, 2, 2}, i -> g.nextGaussian());
        Transpose t = new Transpose(new int[] {0, 2, 1, 3, 4});
        Tensor gy = Tensor.generate(DType.F32, new int[] {2, 3, 2, 2, 2}, i -> g.nextGaussian());
        assertTrue(t.backwardRunsOnDevice(new Tensor[] {x}, null, new Tensor[] {gy}, new boolean[] {true}));
        assertArrayEquals(t.indexMap(new Tensor[] {x}).scatterAdd(gy, x.shape()).floats(),
                t.backward(new Tensor[] {x}, null, new Tensor[] {gy}, new boolean[] {true})[0].floats());
    }
}
