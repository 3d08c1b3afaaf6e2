package dev.jattr.graph.ops;

import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/**
 * A strided view of a row-major tensor: output element at multi-index {@code idx} reads input
 * element {@code offset + Σ idx[d]·strides[d]} (stride 0 repeats, negative strides reverse).
 * Transpose and Slice are such views; {@link #take} copies one without building its
 * {@link IndexMap}, in whole contiguous runs where the innermost dimensions are contiguous (for
 * float32, on the backend's strided-copy kernel, which the CPU splits over its threads).
 *
 * @param shape   the output shape
 * @param offset  flat input index of the first output element
 * @param strides per output dimension, the input step
 */
public record StridedView(int[] shape, int offset, int[] strides) {
    /** Body called per outer multi-index in row-major order. */
    @FunctionalInterface
    private interface RowBody {
        void at(int row, int inputIndex);
    }

    /** Copies the arrays and checks that they have the same rank. */
    public StridedView {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("strided view of shape " + Arrays.toString(shape) + " has strides " + Arrays.toString(strides));
        }
        shape = shape.clone();
        strides = strides.clone();
    }

    /** The view's index map: per output element, the flat input index it reads. */
    public IndexMap indexMap() {
        int[] src = new int[Shapes.size(shape)];
        int rank = shape.length;
        int lastDim = rank == 0 ? 1 : shape[rank - 1], lastStride = rank == 0 ? 0 : strides[rank - 1];
        walk(Math.max(0, rank - 1), (row, at) -> {
            int i = row * lastDim;
            for (int j = 0; j < lastDim; j++) {
                src[i + j] = at + j * lastStride;
            }
        });
        return new IndexMap(shape, src);
    }

    /** The highest rank the backends' strided-copy kernel takes on every backend. */
    static final int KERNEL_RANK = 8;

    /** The output: the float32 view of {@code x} copied by a backend's strided-copy kernel. */
    Tensor copy(dev.jattr.kernels.CopyKernels kernels, Tensor x) {
        Tensor r = Tensor.empty(DType.F32, shape); // the kernel overwrites it
        if (r.size() > 0) {
            kernels.copy(x.floats(), offset, strides, shape, r.floats(), 0);
        }
        return r;
    }

    /** The output: the view of {@code x} copied into a new tensor of {@link #shape}. */
    public Tensor take(Tensor x) {
        int rank = shape.length;
        int inner = rank;
        long run = 1;
        // merge the trailing dimensions that are contiguous in the input into one run
        while (inner > 0 && (strides[inner - 1] == run || shape[inner - 1] == 1)) {
            run *= shape[inner - 1];
            inner--;
        }
        if (run < 4 || Shapes.size(shape) == 0) {
            return indexMap().take(x);
        }
        Tensor r = Tensor.empty(x.dtype(), shape); // the runs cover it
        int len = (int) run;
        if (x.dtype() == DType.F32 && inner + 1 <= KERNEL_RANK) {
            // the outer dimensions and one run of adjacent elements, on the backend's copy kernel
            int[] runs = Arrays.copyOf(shape, inner + 1);
            int[] steps = Arrays.copyOf(strides, inner + 1);
            runs[inner] = len;
            steps[inner] = 1;
            CurrentBackend.get().copy().copy(x.floats(), offset, steps, runs, r.floats(), 0);
            return r;
        }
        walk(inner, (row, at) -> Blocks.copy(x, at, r, row * len, len));
        return r;
    }

    /**
     * The adjoint of this view of an x of shape {@code xShape} on the backend's copy kernels, or
     * null where it has no such form: {@code gx[offset + Σ i·strides] = gy[i]}, zero elsewhere, for
     * a float32 {@code gy} of this view's shape. Two forms: a permutation of x's elements (a
     * Transpose), whose adjoint is the inverse permutation, a strided view of gy; and a view whose
     * elements are rows of x at one distance (a Slice along one axis, say), copied into a zeroed gx.
     * Either way each element of x takes at most one of gy, so the adjoint copies and never adds.
     *
     * @param gy the gradient of the view, of this view's shape
     * @param xShape the shape of the viewed tensor
     * @return gx, or null
     */
    public Tensor adjointOnKernels(Tensor gy, int[] xShape) {
        int[] inverse = inverseStrides(xShape);
        if (inverse != null) {
            return new StridedView(xShape, 0, inverse).copy(CurrentBackend.get().copy(), gy);
        }
        int[] rows = rows();
        if (rows == null) {
            return null;
        }
        Tensor gx = Tensor.zeros(DType.F32, xShape);
        if (rows[0] > 0 && rows[1] > 0) {
            CurrentBackend.get().copy().copyRows(gy.floats(), 0, rows[1], gx.floats(), offset, rows[2], rows[0], rows[1]);
        }
        return gx;
    }

    /** Whether {@link #adjointOnKernels} has a form for an x of shape {@code xShape}. */
    public boolean adjointOnKernels(int[] xShape) {
        return shape.length <= KERNEL_RANK && (inverseStrides(xShape) != null || rows() != null);
    }

    /**
     * Where this view is a permutation of all of x's elements, the strides of gy (contiguous, of
     * this view's shape) that read gx in order; else null.
     */
    private int[] inverseStrides(int[] xShape) {
        int rank = xShape.length;
        if (offset != 0 || shape.length != rank || Shapes.size(shape) != Shapes.size(xShape)) {
            return null;
        }
        int[] xStrides = Shapes.strides(xShape), gyStrides = Shapes.strides(shape), inverse = new int[rank];
        boolean[] used = new boolean[rank];
        for (int k = 0; k < rank; k++) { // the x dimension each view dimension walks
            int found = -1;
            for (int d = 0; d < rank && found < 0; d++) {
                if (!used[d] && xShape[d] == shape[k] && (xStrides[d] == strides[k] || shape[k] == 1)) {
                    found = d;
                }
            }
            if (found < 0) {
                return null;
            }
            used[found] = true;
            inverse[found] = gyStrides[k];
        }
        return inverse;
    }

    /**
     * Where this view's elements are rows of x at one distance ({rows, row length, distance}),
     * else null: trailing dimensions contiguous in x make the row, the others must step through
     * x evenly.
     */
    private int[] rows() {
        int k = shape.length;
        long len = 1;
        while (k > 0 && (shape[k - 1] == 1 || strides[k - 1] == len)) {
            len *= shape[k - 1];
            k--;
        }
        long rows = 1;
        int step = 0;
        for (int d = k - 1; d >= 0; d--) {
            if (shape[d] == 1) {
                continue;
            }
            if (rows == 1) {
                step = strides[d];
            } else if (strides[d] != (long) step * rows) {
                return null;
            }
            rows *= shape[d];
        }
        if (rows > 1 && step < len) {
            return null; // rows that overlap or run backwards
        }
        return new int[] {(int) rows, (int) len, rows == 1 ? (int) len : step};
    }

    /** Calls {@code body} for each multi-index over the first {@code outer} dimensions, with its ordinal and input index. */
    private void walk(int outer, RowBody body) {
        int rows = 1;
        for (int d = 0; d < outer; d++) {
            rows *= shape[d];
        }
        if (rows == 0 || Shapes.size(shape) == 0) {
            return;
        }
        int[] idx = new int[outer];
        int at = offset;
        for (int row = 0; row < rows; row++) {
            body.at(row, at);
            at = Shapes.advance(idx, shape, strides, at);
        }
    }
}
