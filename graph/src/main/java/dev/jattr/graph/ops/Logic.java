package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/** A binary logic op on boolean tensors with numpy broadcasting. It has no gradient. */
public record Logic(LogicKind kind) implements Op {
    @Override
    public String type() {
        return kind.onnxName();
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        boolean[] a = in[0].bools(), b = in[1].bools();
        int[] shape = Shapes.broadcast(in[0].shape(), in[1].shape());
        int[] ia = IndexMap.broadcast(in[0].shape(), shape).source(), ib = IndexMap.broadcast(in[1].shape(), shape).source();
        boolean[] r = new boolean[ia.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = kind.apply(a[ia[i]], b[ib[i]]);
        }
        return new Tensor[] {Tensor.of(r, shape)};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
