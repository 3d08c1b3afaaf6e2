package dev.jattr.graph;

import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.Arithmetic;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleBinaryOperator;

/** Whole-tensor helpers shared by ops and attribution methods: broadcasting arithmetic, batch slicing and reductions. */
public final class Tensors {
    private Tensors() {}

    /** Elementwise {@code f(a, b)} with numpy broadcasting; the result has {@code a}'s floating type (or F64 if neither is F32). */
    public static Tensor zip(Tensor a, Tensor b, DoubleBinaryOperator f) {
        DType t = resultType(a, b);
        int[] shape = Shapes.broadcast(a.shape(), b.shape());
        Tensor r = Tensor.zeros(t, shape);
        int n = r.size();
        if (Arrays.equals(a.shape(), shape) && Arrays.equals(b.shape(), shape)) {
            if (t == DType.F32 && a.dtype() == DType.F32 && b.dtype() == DType.F32) {
                float[] x = a.floats(), y = b.floats(), o = r.floats();
                for (int i = 0; i < n; i++) o[i] = (float) f.applyAsDouble(x[i], y[i]);
            } else {
                for (int i = 0; i < n; i++) r.setDouble(i, f.applyAsDouble(a.getDouble(i), b.getDouble(i)));
            }
            return r;
        }
        int[] sa = Shapes.broadcastStrides(a.shape(), shape), sb = Shapes.broadcastStrides(b.shape(), shape);
        int rank = shape.length;
        int[] idx = new int[rank];
        int ia = 0, ib = 0;
        for (int i = 0; i < n; i++) {
            r.setDouble(i, f.applyAsDouble(a.getDouble(ia), b.getDouble(ib)));
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                ia += sa[d];
                ib += sb[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                ia -= sa[d] * shape[d];
                ib -= sb[d] * shape[d];
                idx[d] = 0;
            }
        }
        return r;
    }

    private static DType resultType(Tensor a, Tensor b) {
        if (a.dtype() == b.dtype()) {
            return a.dtype();
        }
        if (a.dtype().isFloating()) {
            return a.dtype();
        }
        return b.dtype();
    }

    /** a + b with broadcasting. */
    public static Tensor add(Tensor a, Tensor b) {
        return arithF32(Arithmetic.ADD, a, b).orElseGet(() -> zip(a, b, Double::sum));
    }

    /** a − b with broadcasting. */
    public static Tensor sub(Tensor a, Tensor b) {
        return arithF32(Arithmetic.SUB, a, b).orElseGet(() -> zip(a, b, (x, y) -> x - y));
    }

    /** a · b with broadcasting. */
    public static Tensor mul(Tensor a, Tensor b) {
        return arithF32(Arithmetic.MUL, a, b).orElseGet(() -> zip(a, b, (x, y) -> x * y));
    }

    /**
     * A broadcast of an operand of shape {@code small} to {@code full} seen as [outer, mid, inner]:
     * the operand's non-unit dimensions form one contiguous run equal to {@code full}'s there.
     */
    private static Optional<AxisView> view(int[] small, int[] full) {
        int r = full.length, off = r - small.length;
        if (off < 0) {
            return Optional.empty();
        }
        int first = -1, last = -1;
        for (int d = 0; d < small.length; d++) {
            if (small[d] != 1) {
                first = first < 0 ? d + off : first;
                last = d + off;
            }
        }
        if (first < 0) {
            return Optional.of(new AxisView(1, 1, Shapes.size(full)));
        }
        for (int d = first; d <= last; d++) {
            if (small[d - off] != full[d]) {
                return Optional.empty();
            }
        }
        return Optional.of(new AxisView(Shapes.product(full, 0, first), Shapes.product(full, first, last + 1),
                Shapes.product(full, last + 1, r)));
    }

    /**
     * a op b on the Vector API when both are float32 and one operand has the broadcast shape while
     * the other broadcasts along one contiguous run of dimensions (same shape, scalar,
     * per-channel, trailing row); empty otherwise.
     */
    public static Optional<Tensor> arithF32(Arithmetic op, Tensor a, Tensor b) {
        if (a.dtype() != DType.F32 || b.dtype() != DType.F32) {
            return Optional.empty();
        }
        int[] as = a.shape(), bs = b.shape(), shape = Shapes.broadcast(as, bs);
        boolean aFull = Arrays.equals(as, shape);
        Tensor full = aFull ? a : b, small = aFull ? b : a;
        if (!Arrays.equals(full.shape(), shape)) {
            return Optional.empty();
        }
        return view(small.shape(), shape).map(v -> {
            float[] o = Tensor.empty(DType.F32, shape).floats(); // the kernel overwrites it
            CurrentBackend.get().elementwise().binary(op, full.floats(), small.floats(), !aFull, v, o);
            return Tensor.of(o, shape);
        });
    }

    /** Whether every input that is present is a float32 tensor with elements. */
    public static boolean allF32(Tensor[] in) {
        for (Tensor t : in) {
            if (t != null && (t.dtype() != DType.F32 || !t.hasElements())) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@link #arithF32} computes a op b with the backend's broadcast kernel. */
    public static boolean arithF32Applies(Tensor a, Tensor b) {
        if (a.dtype() != DType.F32 || b.dtype() != DType.F32) {
            return false;
        }
        int[] shape = Shapes.broadcast(a.shape(), b.shape());
        boolean aFull = Arrays.equals(a.shape(), shape);
        Tensor full = aFull ? a : b, small = aFull ? b : a;
        return Arrays.equals(full.shape(), shape) && view(small.shape(), shape).isPresent();
    }

    /** Whether {@link #unbroadcast} of a float32 gradient of shape {@code gs} to {@code target} runs on the backend. */
    public static boolean unbroadcastF32Applies(int[] gs, int[] target) {
        return Arrays.equals(gs, target) || view(target, gs).isPresent();
    }

    /** s · a. */
    public static Tensor scale(Tensor a, double s) {
        return a.map(x -> x * s);
    }

    /**
     * Sums a gradient of a broadcast shape back to the shape of the operand that was broadcast
     * (the adjoint of broadcasting).
     */
    public static Tensor unbroadcast(Tensor g, int[] target) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, target)) {
            return g;
        }
        Tensor r = Tensor.zeros(g.dtype(), target);
        Optional<AxisView> v = g.dtype() == DType.F32 ? view(target, gs) : Optional.empty();
        if (v.isPresent()) {
            CurrentBackend.get().reduce().sumToAxis(g.floats(), v.get(), r.floats());
            return r;
        }
        int[] st = Shapes.broadcastStrides(target, gs);
        int rank = gs.length;
        int[] idx = new int[rank];
        int it = 0;
        int n = g.size();
        boolean f32 = g.dtype() == DType.F32;
        float[] gf = f32 ? g.floats() : null, rf = f32 ? r.floats() : null;
        for (int i = 0; i < n; i++) {
            if (f32) {
                rf[it] += gf[i];
            } else {
                r.setDouble(it, r.getDouble(it) + g.getDouble(i));
            }
            it = Shapes.advance(idx, gs, st, it);
        }
        return r;
    }

    /**
     * unbroadcast(g · y, target): the gradient of a factor of shape {@code target} broadcast into
     * a product with {@code y}, given the product's gradient {@code g}. Where both are float32 of
     * the broadcast shape and {@code target} broadcasts along one contiguous run of it, the
     * backend sums the products onto {@code target} without storing them.
     */
    public static Tensor unbroadcastProduct(Tensor g, Tensor y, int[] target) {
        int[] gs = g.shape();
        if (g.dtype() == DType.F32 && y.dtype() == DType.F32 && Arrays.equals(gs, y.shape())
                && !Arrays.equals(gs, target)) {
            Optional<AxisView> v = view(target, gs);
            if (v.isPresent()) {
                float[] r = Tensor.empty(DType.F32, target).floats(); // the kernel overwrites it
                CurrentBackend.get().reduce().productToAxis(g.floats(), y.floats(), v.get(), r);
                return Tensor.of(r, target);
            }
        }
        return unbroadcast(mul(g, y), target);
    }

    /** Concatenates tensors of equal trailing shape along dimension 0. */
    public static Tensor concat0(List<Tensor> parts) {
        Tensor first = parts.getFirst();
        int[] shape = first.shape();
        int rows = 0;
        for (Tensor p : parts) {
            if (p.rank() != shape.length || !Arrays.equals(Arrays.copyOfRange(p.shape(), 1, p.rank()),
                    Arrays.copyOfRange(shape, 1, shape.length))) {
                throw new IllegalArgumentException("cannot concatenate " + Arrays.toString(p.shape()) + " with "
                        + Arrays.toString(shape) + " along dimension 0");
            }
            rows += p.dim(0);
        }
        Tensor r = Tensor.zeros(first.dtype(), Shapes.withBatch(shape, rows));
        int off = 0;
        for (Tensor p : parts) {
            Tensor q = p.cast(first.dtype());
            System.arraycopy(backing(q), 0, backing(r), off, q.size());
            off += q.size();
        }
        return r;
    }

    /** Rows [from, to) of dimension 0. */
    public static Tensor rows(Tensor t, int from, int to) {
        int[] s = t.shape();
        int inner = Shapes.product(s, 1, s.length);
        Tensor r = Tensor.zeros(t.dtype(), Shapes.withBatch(s, to - from));
        System.arraycopy(backing(t), from * inner, backing(r), 0, (to - from) * inner);
        return r;
    }

    /** {@code times} copies of {@code t} stacked along dimension 0 (copy-major, as Captum expands a batch per step). */
    public static Tensor repeat0(Tensor t, int times) {
        return concat0(java.util.Collections.nCopies(times, t));
    }

    /** Each row of dimension 0 repeated {@code times} times in place (row-major, like {@code repeat_interleave}). */
    public static Tensor repeatInterleave0(Tensor t, int times) {
        int[] s = t.shape();
        int inner = Shapes.product(s, 1, s.length);
        Tensor r = Tensor.zeros(t.dtype(), Shapes.withBatch(s, s[0] * times));
        Object src = backing(t), dst = backing(r);
        for (int i = 0; i < s[0]; i++) {
            for (int k = 0; k < times; k++) {
                System.arraycopy(src, i * inner, dst, (i * times + k) * inner, inner);
            }
        }
        return r;
    }

    /** Sum of every element, in double precision. */
    public static double sum(Tensor t) {
        double s = 0;
        for (int i = 0, n = t.size(); i < n; i++) {
            s += t.getDouble(i);
        }
        return s;
    }

    /** Per-row sums over all but dimension 0, in double precision. */
    public static double[] sumPerRow(Tensor t) {
        int rows = t.dim(0), inner = t.size() / Math.max(rows, 1);
        double[] r = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < inner; j++) {
                s += t.getDouble(i * inner + j);
            }
            r[i] = s;
        }
        return r;
    }

    /** The raw backing array (for bulk copies inside the engine). */
    static Object backing(Tensor t) {
        return switch (t.dtype()) {
            case F32 -> t.floats();
            case F64 -> t.doubles();
            case I64 -> t.longs();
            case I32 -> t.ints();
            case BOOL -> t.bools();
        };
    }

    /** Whether two tensors have equal shapes. */
    public static boolean sameShape(Tensor a, Tensor b) {
        return Arrays.equals(a.shape(), b.shape());
    }
}
