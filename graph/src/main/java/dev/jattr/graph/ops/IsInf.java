package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * ONNX IsInf: a boolean tensor marking the infinite elements, of either sign as chosen. It has no gradient.
 *
 * @param positive whether +∞ counts
 * @param negative whether −∞ counts
 */
public record IsInf(boolean positive, boolean negative) implements Op {
    @Override
    public String type() {
        return "IsInf";
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        boolean[] r = new boolean[x.size()];
        for (int i = 0; i < r.length; i++) {
            double v = x.getDouble(i);
            r[i] = v == Double.POSITIVE_INFINITY ? positive : v == Double.NEGATIVE_INFINITY && negative;
        }
        return new Tensor[] {Tensor.of(r, x.shape())};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
