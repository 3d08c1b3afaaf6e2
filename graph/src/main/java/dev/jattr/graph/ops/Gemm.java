package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.DType;
import dev.jattr.graph.Tensors;
import java.util.Arrays;

/**
 * ONNX Gemm: Y = alpha·op(A)·op(B) + beta·C, with C broadcast to Y and optional.
 *
 * @param alpha  scale of the product
 * @param beta   scale of C
 * @param transA whether A is stored transposed
 * @param transB whether B is stored transposed
 */
public record Gemm(double alpha, double beta, boolean transA, boolean transB) implements Op {
    @Override
    public String type() {
        return "Gemm";
    }

    @Override
    public Tensor[] outputShapes(Tensor[] in) {
        Tensor a = in[0], b = in[1];
        if (a.rank() != 2 || b.rank() != 2) {
            return null;
        }
        return new Tensor[] {Tensor.shapeOnly(a.dtype(), transA ? a.dim(1) : a.dim(0), transB ? b.dim(0) : b.dim(1))};
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor a = in[0], b = in[1], c = in.length > 2 ? in[2] : null;
        Linalg.requireFloating(a, "Gemm", "input A");
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("Gemm needs 2-d A and B, got " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()));
        }
        int m = transA ? a.dim(1) : a.dim(0), k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0), n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new IllegalArgumentException("Gemm inner dimensions differ: A " + Arrays.toString(a.shape()) + " (transA="
                    + transA + ") and B " + Arrays.toString(b.shape()) + " (transB=" + transB + ")");
        }
        Tensor y = Linalg.matmul(a, transA, b, transB, m, k, n);
        if (alpha != 1) {
            y = Tensors.scale(y, alpha);
        }
        if (c != null && beta != 0) {
            y = beta == 1 ? Tensors.add(y, c.cast(y.dtype())) : Tensors.add(y, Tensors.scale(c.cast(y.dtype()), beta));
        }
        return new Tensor[] {y};
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        Tensor c = in.length > 2 ? in[2] : null;
        return Tensors.allF32(in) && alpha == 1 && (c == null || beta == 0
                || beta == 1 && Tensors.arithF32Applies(Tensor.shapeOnly(DType.F32, rows(in[0]), cols(in[1])), c));
    }

    private int rows(Tensor a) {
        return a.rank() == 2 ? (transA ? a.dim(1) : a.dim(0)) : -1;
    }

    private int cols(Tensor b) {
        return b.rank() == 2 ? (transB ? b.dim(0) : b.dim(1)) : -1;
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        // each operand's gradient reads the other operand only
        return new BackwardReads((mayWant[1] ? 1L : 0) | (mayWant[0] ? 2L : 0), 0);
    }

    /** The operands' gradients are products on the backend's GEMM where all is float32 and neither C's nor α's gradient scaling is asked for. */
    @Override
    public boolean backwardRunsOnDevice(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        boolean c = in.length > 2 && in[2] != null && wanted.length > 2 && wanted[2];
        return alpha == 1 && !c && g[0] != null && g[0].dtype() == DType.F32
                && (!wanted[0] || f32Elements(in[1])) && (!wanted[1] || f32Elements(in[0]));
    }

    private static boolean f32Elements(Tensor t) {
        return t != null && t.dtype() == DType.F32 && t.hasElements();
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor a = in[0], b = in[1], gy = g[0];
        int m = transA ? a.dim(1) : a.dim(0), k = transA ? a.dim(0) : a.dim(1);
        int n = transB ? b.dim(0) : b.dim(1);
        Tensor[] r = new Tensor[in.length];
        if (wanted[0]) {
            Tensor ga = transA ? Linalg.matmul(b, transB, gy, true, k, n, m) : Linalg.matmul(gy, false, b, !transB, m, n, k);
            r[0] = alpha == 1 ? ga : Tensors.scale(ga, alpha);
        }
        if (wanted[1]) {
            Tensor gb = transB ? Linalg.matmul(gy, true, a, transA, n, m, k) : Linalg.matmul(a, !transA, gy, false, k, m, n);
            r[1] = alpha == 1 ? gb : Tensors.scale(gb, alpha);
        }
        if (in.length > 2 && in[2] != null && wanted[2]) {
            Tensor gc = Tensors.unbroadcast(gy, in[2].shape());
            r[2] = beta == 1 ? gc : Tensors.scale(gc, beta);
        }
        return r;
    }
}
