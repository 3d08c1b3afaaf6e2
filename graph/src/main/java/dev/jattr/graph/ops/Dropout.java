package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/** ONNX Dropout in inference mode: the input unchanged, and an all-true mask as the optional second output. */
public record Dropout() implements Op {
    @Override
    public String type() {
        return "Dropout";
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        return new Tensor[] {in[0], Tensor.full(dev.jattr.graph.DType.BOOL, 1, in[0].shape())};
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return BackwardReads.NONE;
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        return new Tensor[] {g[0]};
    }
}
