package dev.jattr.graph.ops;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.ValueInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Slicing a tensor into steps along an axis and stacking steps back, for Loop and Scan. */
final class Stacking {
    private Stacking() {}

    /** Element {@code index} of {@code t} along {@code axis} (that axis removed). */
    static Tensor slice(Tensor t, int axis, int index) {
        int rank = t.rank();
        int[] perm = new int[rank];
        perm[0] = axis;
        for (int q = 1; q < rank; q++) {
            perm[q] = q <= axis ? q - 1 : q;
        }
        Tensor front = axis == 0 ? t : IndexMap.permuted(t.shape(), perm).take(t);
        int[] rest = Arrays.copyOfRange(front.shape(), 1, rank);
        return Tensors.rows(front, index, index + 1).reshape(rest);
    }

    /** {@code steps} stacked along a new axis {@code axis} of the result. */
    static Tensor stack(List<Tensor> steps, int axis) {
        List<Tensor> rows = new ArrayList<>(steps.size());
        for (Tensor s : steps) {
            if (!Arrays.equals(s.shape(), steps.getFirst().shape())) {
                throw new IllegalArgumentException("steps have different shapes: " + Arrays.toString(s.shape()) + " and "
                        + Arrays.toString(steps.getFirst().shape()));
            }
            int[] one = new int[s.rank() + 1];
            one[0] = 1;
            System.arraycopy(s.shape(), 0, one, 1, s.rank());
            rows.add(s.reshape(one));
        }
        Tensor front = Tensors.concat0(rows);
        if (axis == 0) {
            return front;
        }
        int rank = front.rank();
        int[] perm = new int[rank];
        for (int q = 0; q < rank; q++) {
            perm[q] = q < axis ? q + 1 : q == axis ? 0 : q;
        }
        return IndexMap.permuted(front.shape(), perm).take(front);
    }

    /** The empty stack of zero steps, shaped from what the body declares about one step (unknown dimensions 0). */
    static Tensor empty(ValueInfo step) {
        int[] dims = step.dims();
        int[] shape = new int[dims.length + 1];
        for (int q = 0; q < dims.length; q++) {
            shape[q + 1] = Math.max(dims[q], 0);
        }
        DType type = step.dtype();
        return Tensor.zeros(type, shape);
    }
}
