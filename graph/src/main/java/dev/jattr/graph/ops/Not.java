package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/** ONNX Not: elementwise negation of a boolean tensor. It has no gradient. */
public record Not() implements Op {
    @Override
    public String type() {
        return "Not";
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        boolean[] a = in[0].bools(), r = new boolean[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = !a[i];
        }
        return new Tensor[] {Tensor.of(r, in[0].shape())};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
