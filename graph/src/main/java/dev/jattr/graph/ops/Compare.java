package dev.jattr.graph.ops;

import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/** A comparison of two tensors of one type with numpy broadcasting, giving a boolean tensor. It has no gradient. */
public record Compare(CompareKind kind) implements Op {
    @Override
    public String type() {
        return kind.onnxName();
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor a = in[0], b = in[1];
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(type() + " operands have different types: " + a.dtype() + " and " + b.dtype());
        }
        int[] shape = Shapes.broadcast(a.shape(), b.shape());
        int[] ia = IndexMap.broadcast(a.shape(), shape).source(), ib = IndexMap.broadcast(b.shape(), shape).source();
        boolean[] r = new boolean[ia.length];
        boolean longs = a.dtype() == DType.I64;
        for (int i = 0; i < r.length; i++) {
            if (longs) {
                r[i] = kind.holds(Long.compare(a.getLong(ia[i]), b.getLong(ib[i])));
            } else {
                double x = a.getDouble(ia[i]), y = b.getDouble(ib[i]);
                r[i] = !Double.isNaN(x) && !Double.isNaN(y) && kind.holds(x < y ? -1 : x > y ? 1 : 0);
            }
        }
        return new Tensor[] {Tensor.of(r, shape)};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
