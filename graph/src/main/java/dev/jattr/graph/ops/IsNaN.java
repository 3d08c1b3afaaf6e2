package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/** ONNX IsNaN: a boolean tensor marking the elements that are not a number. It has no gradient. */
public record IsNaN() implements Op {
    @Override
    public String type() {
        return "IsNaN";
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        boolean[] r = new boolean[x.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = Double.isNaN(x.getDouble(i));
        }
        return new Tensor[] {Tensor.of(r, x.shape())};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
