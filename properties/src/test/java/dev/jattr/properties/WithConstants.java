package dev.jattr.properties;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * An op with all inputs but the first bound to constants, for ops whose other floating inputs
 * are parameters without a gradient (Resize's roi and scales): the check then covers the first input only.
 *
 * @param op    the op under test
 * @param fixed its inputs 1… (null where left out)
 */
record WithConstants(Op op, Tensor... fixed) implements Op {
    @Override
    public String type() {
        return op.type();
    }

    private Tensor[] all(Tensor x) {
        Tensor[] in = new Tensor[fixed.length + 1];
        in[0] = x;
        System.arraycopy(fixed, 0, in, 1, fixed.length);
        return in;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        return op.forward(all(in[0]));
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        boolean[] w = new boolean[fixed.length + 1];
        w[0] = wanted[0];
        return new Tensor[] {op.backward(all(in[0]), out, g, w)[0]};
    }
}
