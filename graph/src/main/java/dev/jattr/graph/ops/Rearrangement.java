package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
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

    @Override
    default Tensor[] forward(Tensor[] inputs) {
        StridedView v = view(inputs);
        if (v != null) {
            return new Tensor[] {v.take(inputs[0])};
        }
        return new Tensor[] {indexMap(inputs).take(inputs[0])};
    }

    @Override
    default BackwardReads backwardReads(boolean[] mayWant) {
        return new BackwardReads(~1L, 0); // the index inputs, never the data
    }

    @Override
    default Tensor[] backward(Tensor[] inputs, Tensor[] outputs, Tensor[] gradOutputs, boolean[] wanted) {
        Tensor[] r = new Tensor[inputs.length];
        if (wanted[0]) {
            r[0] = indexMap(inputs).scatterAdd(gradOutputs[0], inputs[0].shape());
        }
        return r;
    }
}
