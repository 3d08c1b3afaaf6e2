package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.kernels.Backend;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * An op whose output copies elements of its first input without arithmetic (Transpose, Slice,
 * Gather, Tile…): it only says where each output element comes from, and gets its forward and
 * its vector-Jacobian product (the scatter-add adjoint) from that. Its other inputs (indices,
 * shapes, masks) take no gradient.
 */
public interface Rearrangement extends Op {
    /** Where each output element comes from, for these inputs. */
    IndexMap indexMap(Tensor[] inputs);

    /**
     * The same data movement as a strided view where the op is one (then {@link #forward} copies
     * through it without an index map), or null.
     */
    default StridedView view(Tensor[] inputs) {
        return null;
    }

    /** A float32 strided view of rank at most 8, which the backend's copy kernel moves on its device. */
    @Override
    default boolean runsOnDevice(Tensor[] inputs) {
        Tensor x = inputs[0];
        if (x == null || x.dtype() != DType.F32 || !x.hasElements()) {
            return false;
        }
        StridedView v = view(inputs);
        return v != null && v.shape().length <= StridedView.KERNEL_RANK;
    }

    @Override
    default Tensor[] forward(Tensor[] inputs) {
        StridedView v = view(inputs);
        if (v != null) {
            Backend b = CurrentBackend.get();
            if (b.keepsDeviceCopies() && runsOnDevice(inputs)) {
                return new Tensor[] {v.copy(b.copy(), inputs[0])}; // leaves the values on the device
            }
            return new Tensor[] {v.take(inputs[0])};
        }
        return new Tensor[] {indexMap(inputs).take(inputs[0])};
    }

    @Override
    default BackwardReads backwardReads(boolean[] mayWant) {
        return new BackwardReads(~1L, 0); // the index inputs, never the data
    }

    /** The adjoint of a float32 strided view that copies each element at most once ({@link StridedView#adjointOnKernels}). */
    @Override
    default boolean backwardRunsOnDevice(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        if (!wanted[0] || in[0] == null || g[0] == null || g[0].dtype() != DType.F32 || in[0].dtype() != DType.F32) {
            return false;
        }
        StridedView v = view(in);
        return v != null && v.adjointOnKernels(in[0].shape());
    }

    @Override
    default Tensor[] backward(Tensor[] inputs, Tensor[] outputs, Tensor[] gradOutputs, boolean[] wanted) {
        Tensor[] r = new Tensor[inputs.length];
        if (wanted[0]) {
            Tensor gy = gradOutputs[0];
            StridedView v = gy.dtype() == DType.F32 && inputs[0].dtype() == DType.F32 ? view(inputs) : null;
            Tensor gx = v == null ? null : v.adjointOnKernels(gy, inputs[0].shape());
            r[0] = gx != null ? gx : indexMap(inputs).scatterAdd(gy, inputs[0].shape());
        }
        return r;
    }
}
