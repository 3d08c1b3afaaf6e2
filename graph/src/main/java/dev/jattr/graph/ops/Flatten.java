package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX Flatten: reshapes to 2-d, [d0·…·d(axis−1), d(axis)·…].
 *
 * @param axis where the second dimension starts (negative counts from the end)
 */
public record Flatten(int axis) implements Op {
    @Override
    public String type() {
        return "Flatten";
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        int[] s = x.shape();
        int a = axis < 0 ? axis + s.length : axis;
        if (a < 0 || a > s.length) {
            throw new IllegalArgumentException("Flatten axis " + axis + " is out of range for rank " + s.length);
        }
        return new Tensor[] {x.reshape(Shapes.product(s, 0, a), Shapes.product(s, a, s.length))};
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return true; // a view
    }

    @Override
    public boolean backwardRunsOnDevice(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        return true; // a view of the gradient
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return BackwardReads.NONE;
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        return new Tensor[] {g[0].reshape(in[0].shape())};
    }
}
