package dev.jattr.graph;

import java.util.Arrays;

/** Shape arithmetic: sizes, strides, broadcasting and axis normalisation. */
public final class Shapes {
    private Shapes() {}

    /** The number of elements of a shape (1 for a scalar); fails when a dimension is negative or there are 2^31 or more. */
    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.min(n * d, 1L << 31); // both factors stay below 2^32, so the product cannot overflow
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31 elements");
        }
        return (int) n;
    }

    /**
     * The number of elements of a shape given as longs, {@link Long#MAX_VALUE} when the product
     * overflows; fails naming the shape when a dimension is negative.
     */
    public static long elements(long[] dims) {
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            }
        }
        long n = 1;
        for (long d : dims) {
            if (d == 0) {
                return 0;
            }
            n = n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
        }
        return n;
    }

    /**
     * The shape {@code dims} as ints for a tensor about to be allocated: fails naming the shape
     * when a dimension is negative or the tensor would pass {@link Limits#maxTensorElements()}.
     */
    public static int[] allocatable(long[] dims) {
        Limits.checkAllocation(dims);
        return fromLongs(dims);
    }

    /** Row-major strides of a shape. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** The numpy-style broadcast of two shapes; fails naming both when they are incompatible. */
    public static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Strides that read a tensor of shape {@code from} as if it had the broadcast shape {@code to}:
     * broadcast dimensions get stride 0.
     */
    public static int[] broadcastStrides(int[] from, int[] to) {
        int[] s = strides(from);
        int[] out = new int[to.length];
        int off = to.length - from.length;
        for (int i = 0; i < from.length; i++) {
            out[i + off] = from[i] == 1 && to[i + off] != 1 ? 0 : s[i];
        }
        return out;
    }

    /** An axis in [-rank, rank) made non-negative; fails naming the axis and rank. */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /** {@code shape} with dimension 0 replaced. */
    public static int[] withBatch(int[] shape, int batch) {
        int[] s = shape.clone();
        s[0] = batch;
        return s;
    }

    /**
     * Steps the row-major multi-index {@code idx} over the first {@code idx.length} dimensions of
     * {@code shape} to its successor (wrapping to zeros after the last) and returns the flat
     * position {@code at} moved by the matching {@code strides}.
     *
     * @param idx     the multi-index, updated in place
     * @param shape   the extents (at least idx.length of them)
     * @param strides per dimension, the step of the position
     * @param at      the position of the current multi-index
     * @return the position of the next multi-index
     */
    public static int advance(int[] idx, int[] shape, int[] strides, int at) {
        for (int d = idx.length - 1; d >= 0; d--) {
            idx[d]++;
            at += strides[d];
            if (idx[d] < shape[d]) {
                return at;
            }
            at -= strides[d] * shape[d];
            idx[d] = 0;
        }
        return at;
    }

    /** Product of dimensions in [from, to). */
    public static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }

    /** The shape as ints, failing when a dimension does not fit or is negative. */
    public static int[] fromLongs(long[] dims) {
        int[] s = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("invalid dimension " + dims[i] + " in " + Arrays.toString(dims));
            }
            s[i] = (int) dims[i];
        }
        return s;
    }
}
