package dev.jattr.graph.ops;

import dev.jattr.graph.DType;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * Where each element of an output comes from: {@code source[i]} is the flat index of output
 * element {@code i} in the input, or −1 for an element that is zero (or {@code fill}). Ops that
 * only move data (Transpose, Slice, Gather, Tile…) are an index map: the forward takes through
 * it, and the vector-Jacobian product is its adjoint, a scatter-add.
 *
 * @param shape  the output shape
 * @param source per output element, the input element it copies, or −1
 */
public record IndexMap(int[] shape, int[] source) {
    /** Checks that the map covers the shape. */
    public IndexMap {
        if (source.length != Shapes.size(shape)) {
            throw new IllegalArgumentException("index map of " + source.length + " entries for shape " + java.util.Arrays.toString(shape));
        }
    }

    /**
     * The map of a strided view: output element at multi-index {@code idx} reads input element
     * {@code offset + Σ idx[d]·strides[d]} (stride 0 repeats, negative strides reverse).
     */
    public static IndexMap strided(int[] shape, int offset, int[] strides) {
        return new StridedView(shape, offset, strides).indexMap();
    }

    /** The map that transposes a row-major tensor of shape {@code in}: output dimension d is input dimension {@code perm[d]}. */
    public static IndexMap permuted(int[] in, int[] perm) {
        return permutedView(in, perm).indexMap();
    }

    /** The strided view that transposes a row-major tensor of shape {@code in} by {@code perm}. */
    static StridedView permutedView(int[] in, int[] perm) {
        int[] st = Shapes.strides(in);
        int[] shape = new int[perm.length], strides = new int[perm.length];
        for (int d = 0; d < perm.length; d++) {
            shape[d] = in[perm[d]];
            strides[d] = st[perm[d]];
        }
        return new StridedView(shape, 0, strides);
    }

    /** The map that reads a tensor of shape {@code from} broadcast to shape {@code to}. */
    public static IndexMap broadcast(int[] from, int[] to) {
        return strided(to, 0, Shapes.broadcastStrides(from, to));
    }

    /** The output: element i is {@code x[source[i]]}, or zero (false) where source is −1. */
    public Tensor take(Tensor x) {
        Tensor r = Tensor.zeros(x.dtype(), shape);
        int n = source.length;
        switch (x.dtype()) {
            case F32 -> {
                float[] a = x.floats(), o = r.floats();
                for (int i = 0; i < n; i++) if (source[i] >= 0) o[i] = a[source[i]];
            }
            case F64 -> {
                double[] a = x.doubles(), o = r.doubles();
                for (int i = 0; i < n; i++) if (source[i] >= 0) o[i] = a[source[i]];
            }
            case I64 -> {
                long[] a = x.longs(), o = r.longs();
                for (int i = 0; i < n; i++) if (source[i] >= 0) o[i] = a[source[i]];
            }
            case I32 -> {
                int[] a = x.ints(), o = r.ints();
                for (int i = 0; i < n; i++) if (source[i] >= 0) o[i] = a[source[i]];
            }
            case BOOL -> {
                boolean[] a = x.bools(), o = r.bools();
                for (int i = 0; i < n; i++) if (source[i] >= 0) o[i] = a[source[i]];
            }
        }
        return r;
    }

    /** The adjoint of {@link #take} for a floating gradient: a tensor of {@code inputShape} where each input element sums the gradients of the outputs that copied it. */
    public Tensor scatterAdd(Tensor g, int[] inputShape) {
        Tensor r = Tensor.zeros(g.dtype(), inputShape);
        int n = source.length;
        if (g.dtype() == DType.F32) {
            float[] a = g.floats(), o = r.floats();
            for (int i = 0; i < n; i++) if (source[i] >= 0) o[source[i]] += a[i];
        } else {
            double[] a = g.doubles(), o = r.doubles();
            for (int i = 0; i < n; i++) if (source[i] >= 0) o[source[i]] += a[i];
        }
        return r;
    }
}
