package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
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
    public Tensor[] forward(Tensor[] in) {
        return new Tensor[] {Blocks.concat(in, axis, type())};
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
