package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/** ONNX Size: the input's element count as an int64 scalar. It has no gradient. */
public record Size() implements Op {
    @Override
    public String type() {
        return "Size";
    }

    @Override
    public Tensor[] outputShapes(Tensor[] in) {
        return forward(in); // reads the input's shape only
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return true; // reads the input's shape only
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        return new Tensor[] {Tensor.of(new long[] {in[0].size()})};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
