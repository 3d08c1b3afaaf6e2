package dev.jattr.graph.ops;

import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.kernels.GemmKernels;

/** Matrix products of whole tensors, dispatched to the float kernel or the double reference by type. */
final class Linalg {
    private Linalg() {}

    /** op(a)·op(b) as an m×n tensor of a's type, on the current backend's {@link GemmKernels}. */
    static Tensor matmul(Tensor a, boolean ta, Tensor b, boolean tb, int m, int k, int n) {
        GemmKernels gemm = CurrentBackend.get().gemm();
        if (a.dtype() == DType.F32) {
            float[] c = Tensor.empty(DType.F32, m, n).floats(); // the product overwrites it
            gemm.multiply(a.floats(), 0, ta, b.cast(DType.F32).floats(), 0, tb, c, 0, m, k, n, false);
            return Tensor.of(c, m, n);
        }
        double[] c = new double[m * n];
        gemm.multiply(a.cast(DType.F64).doubles(), 0, ta, b.cast(DType.F64).doubles(), 0, tb, c, 0, m, k, n, false);
        return Tensor.of(c, m, n).cast(a.dtype());
    }

    /** Fails unless {@code t} is floating, naming the op and the argument. */
    static void requireFloating(Tensor t, String op, String arg) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(op + " needs a floating " + arg + ", got " + t.dtype());
        }
    }
}
