package dev.jattr.graph.ops;

import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/** Bulk copies along one axis, for any element type: the forward of Concat and Split and each other's adjoint. */
final class Blocks {
    private Blocks() {}

    /**
     * Copies {@code rows} rows of {@code len} elements of {@code src}, {@code srcRow} apart from
     * {@code from} on, into {@code dst}, {@code dstRow} apart from {@code to} on; both have the same
     * type. Float rows go through the backend's copy kernel (which may split them over threads).
     */
    static void copyRows(Tensor src, int from, int srcRow, Tensor dst, int to, int dstRow, int rows, int len) {
        if (src.dtype() == DType.F32) {
            CurrentBackend.get().copy().copyRows(src.floats(), from, srcRow, dst.floats(), to, dstRow, rows, len);
            return;
        }
        for (int r = 0; r < rows; r++) {
            copy(src, from + r * srcRow, dst, to + r * dstRow, len);
        }
    }

    /** Copies {@code len} elements of {@code src} from {@code from} into {@code dst} at {@code to}; both have the same type. */
    static void copy(Tensor src, int from, Tensor dst, int to, int len) {
        switch (src.dtype()) {
            case F32 -> System.arraycopy(src.floats(), from, dst.floats(), to, len);
            case F64 -> System.arraycopy(src.doubles(), from, dst.doubles(), to, len);
            case I64 -> System.arraycopy(src.longs(), from, dst.longs(), to, len);
            case I32 -> System.arraycopy(src.ints(), from, dst.ints(), to, len);
            case BOOL -> System.arraycopy(src.bools(), from, dst.bools(), to, len);
        }
    }

    /** The parts joined along {@code axis}; they must agree in type and in every other dimension. */
    static Tensor concat(Tensor[] parts, int axis, String op) {
        Tensor first = parts[0];
        int rank = first.rank();
        int a = Shapes.axis(axis, rank);
        int[] out = first.shape();
        out[a] = 0;
        for (Tensor p : parts) {
            int[] s = p.shape();
            if (p.dtype() != first.dtype() || s.length != rank) {
                throw new IllegalArgumentException(op + " inputs differ in type or rank: " + first.dtype() + Arrays.toString(first.shape())
                        + " and " + p.dtype() + Arrays.toString(s));
            }
            for (int d = 0; d < rank; d++) {
                if (d != a && s[d] != out[d]) {
                    throw new IllegalArgumentException(op + " inputs differ in dimension " + d + ": " + Arrays.toString(first.shape())
                            + " and " + Arrays.toString(s));
                }
            }
            out[a] += s[a];
        }
        // the parts cover the output: it needs no zeroing, but where values live on a device a
        // zeroed output is zeroed there, where an unzeroed one would first be sent up whole
        Tensor r = first.dtype() == DType.F32 && CurrentBackend.get().keepsDeviceCopies()
                ? Tensor.zeros(first.dtype(), out) : Tensor.empty(first.dtype(), out);
        int outer = Shapes.product(out, 0, a), inner = Shapes.product(out, a + 1, rank), row = out[a] * inner;
        int at = 0;
        for (Tensor p : parts) {
            int chunk = p.dim(a) * inner;
            copyRows(p, 0, chunk, r, at, row, outer, chunk);
            at += chunk;
        }
        return r;
    }

    /** {@code x} cut along {@code axis} into parts of the given sizes (which must add up to the dimension). */
    static Tensor[] split(Tensor x, int axis, int[] sizes, String op) {
        int[] s = x.shape();
        int a = Shapes.axis(axis, s.length);
        if (Arrays.stream(sizes).sum() != s[a] || Arrays.stream(sizes).anyMatch(v -> v < 0)) {
            throw new IllegalArgumentException(op + " sizes " + Arrays.toString(sizes) + " do not split dimension " + a + " of "
                    + Arrays.toString(s));
        }
        int outer = Shapes.product(s, 0, a), inner = Shapes.product(s, a + 1, s.length), row = s[a] * inner;
        Tensor[] r = new Tensor[sizes.length];
        int at = 0;
        for (int k = 0; k < sizes.length; k++) {
            int[] ps = s.clone();
            ps[a] = sizes[k];
            r[k] = Tensor.empty(x.dtype(), ps);
            int chunk = sizes[k] * inner;
            copyRows(x, at, row, r[k], 0, chunk, outer, chunk);
            at += chunk;
        }
        return r;
    }
}
