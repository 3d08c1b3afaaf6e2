package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.DType;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX Concat: the inputs joined along {@code axis}.
 *
 * @param axis the joined axis (negative counts from the end)
 */
public record Concat(int axis) implements Op {
    @Override
    public String type() {
        return "Concat";
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return Tensors.allF32(in) && in.length > 0 && in[0].rank() > 0;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        return new Tensor[] {Blocks.concat(in, axis, type())}; // float rows move on the backend's copy kernel
    }

    @Override
    public boolean backwardRunsOnDevice(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        return g[0] != null && g[0].dtype() == DType.F32 && g[0].rank() > 0; // the parts' rows, copied out by the kernel
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return BackwardReads.NONE;
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        int a = Shapes.axis(axis, in[0].rank());
        int[] sizes = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            sizes[i] = in[i].dim(a);
        }
        Tensor[] parts = Blocks.split(g[0], a, sizes, type());
        for (int i = 0; i < in.length; i++) {
            if (!wanted[i]) {
                parts[i] = null;
            }
        }
        return parts;
    }
}
