package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.kernels.GemmKernels;
import java.util.Arrays;

/**
 * ONNX MatMul with numpy semantics: the last two dimensions multiply, leading (batch)
 * dimensions broadcast, and a 1-d operand is a row (left) or column (right) vector whose
 * dimension is dropped from the result. Each batch runs on the matrix-product kernel.
 */
public record MatMul() implements Op {
    @Override
    public String type() {
        return "MatMul";
    }

    /** The operands viewed as ≥2-d, the broadcast batch shape, m, k, n, and the true output shape. */
    private record Plan(Tensor a, Tensor b, int[] batch, int m, int k, int n, int[] viewShape, int[] outShape) {
        int[] aOffsets() {
            return offsets(a.shape(), batch, m * k);
        }

        int[] bOffsets() {
            return offsets(b.shape(), batch, k * n);
        }

        /** The offset of each batch's m×n block in the output. */
        int[] outOffsets() {
            int[] o = new int[Shapes.size(batch)];
            for (int i = 0; i < o.length; i++) {
                o[i] = i * m * n;
            }
            return o;
        }

        private static int[] offsets(int[] s, int[] batch, int block) {
            int[] o = Broadcast.offsets(Arrays.copyOf(s, s.length - 2), batch);
            for (int i = 0; i < o.length; i++) {
                o[i] *= block;
            }
            return o;
        }
    }

    private static Plan plan(Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("MatMul operands must have rank ≥ 1, got " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(b.shape()));
        }
        Tensor a2 = a.rank() == 1 ? a.reshape(1, a.dim(0)) : a;
        Tensor b2 = b.rank() == 1 ? b.reshape(b.dim(0), 1) : b;
        int m = a2.dim(-2), k = a2.dim(-1), kb = b2.dim(-2), n = b2.dim(-1);
        if (k != kb) {
            throw new IllegalArgumentException("MatMul inner dimensions differ: " + Arrays.toString(a.shape()) + " × "
                    + Arrays.toString(b.shape()));
        }
        int[] batch = Shapes.broadcast(Arrays.copyOf(a2.shape(), a2.rank() - 2), Arrays.copyOf(b2.shape(), b2.rank() - 2));
        int[] view = Arrays.copyOf(batch, batch.length + 2);
        view[batch.length] = m;
        view[batch.length + 1] = n;
        int[] out = view;
        if (a.rank() == 1 && b.rank() == 1) {
            out = batch;
        } else if (a.rank() == 1) {
            out = remove(view, view.length - 2);
        } else if (b.rank() == 1) {
            out = remove(view, view.length - 1);
        }
        return new Plan(a2, b2, batch, m, k, n, view, out);
    }

    private static int[] remove(int[] s, int d) {
        int[] r = new int[s.length - 1];
        System.arraycopy(s, 0, r, 0, d);
        System.arraycopy(s, d + 1, r, d, s.length - d - 1);
        return r;
    }

    private static DType work(Tensor a) {
        return a.dtype() == DType.F32 ? DType.F32 : DType.F64;
    }

    @Override
    public Tensor[] outputShapes(Tensor[] in) {
        return new Tensor[] {Tensor.shapeOnly(in[0].dtype(), plan(in[0], in[1]).outShape)};
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Plan p = plan(in[0], in[1]);
        DType t = work(in[0]);
        Tensor a = p.a.cast(t), b = p.b.cast(t), y = Tensor.zeros(t, p.viewShape);
        int[] ao = p.aOffsets(), bo = p.bOffsets(), yo = p.outOffsets();
        GemmKernels gemm = CurrentBackend.get().gemm();
        if (t == DType.F32) {
            gemm.multiplyBatched(a.floats(), ao, false, b.floats(), bo, false, y.floats(), yo, p.m, p.k, p.n, false);
        } else {
            gemm.multiplyBatched(a.doubles(), ao, false, b.doubles(), bo, false, y.doubles(), yo, p.m, p.k, p.n,
                    false);
        }
        return new Tensor[] {y.cast(in[0].dtype()).reshape(p.outShape)};
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return Tensors.allF32(in);
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        // each operand's gradient reads the other operand only
        return new BackwardReads((mayWant[1] ? 1L : 0) | (mayWant[0] ? 2L : 0), 0);
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Plan p = plan(in[0], in[1]);
        DType t = work(in[0]);
        Tensor a = p.a.cast(t), b = p.b.cast(t), gy = g[0].cast(t).reshape(p.viewShape);
        Tensor ga = wanted[0] ? Tensor.zeros(t, p.a.shape()) : null, gb = wanted[1] ? Tensor.zeros(t, p.b.shape()) : null;
        int[] ao = p.aOffsets(), bo = p.bOffsets(), yo = p.outOffsets();
        GemmKernels gemm = CurrentBackend.get().gemm();
        // Offsets repeat where an operand is broadcast, so accumulating sums over the broadcast batches.
        if (t == DType.F32) {
            if (ga != null) {
                gemm.multiplyBatched(gy.floats(), yo, false, b.floats(), bo, true, ga.floats(), ao, p.m, p.n, p.k, true);
            }
            if (gb != null) {
                gemm.multiplyBatched(a.floats(), ao, true, gy.floats(), yo, false, gb.floats(), bo, p.k, p.m, p.n, true);
            }
        } else {
            if (ga != null) {
                gemm.multiplyBatched(gy.doubles(), yo, false, b.doubles(), bo, true, ga.doubles(), ao, p.m, p.n, p.k,
                        true);
            }
            if (gb != null) {
                gemm.multiplyBatched(a.doubles(), ao, true, gy.doubles(), yo, false, gb.doubles(), bo, p.k, p.m, p.n,
                        true);
            }
        }
        return new Tensor[] {
            ga == null ? null : ga.cast(in[0].dtype()).reshape(in[0].shape()),
            gb == null ? null : gb.cast(in[1].dtype()).reshape(in[1].shape())};
    }
}
