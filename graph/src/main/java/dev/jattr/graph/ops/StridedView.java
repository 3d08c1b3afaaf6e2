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
