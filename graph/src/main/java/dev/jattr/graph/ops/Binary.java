package dev.jattr.graph.ops;

import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;

/** An elementwise function of two tensors with numpy broadcasting. */
public record Binary(BinaryKind kind) implements Op {
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
        if (a.dtype() == DType.F32 && kind == BinaryKind.ADD && Tensors.sameShape(a, b)) {
            float[] o = new float[a.size()];
            dev.jattr.kernels.cpu.VectorOps.add(a.floats(), b.floats(), o, o.length);
            return new Tensor[] {Tensor.of(o, a.shape())};
        }
        if (a.dtype() == DType.F32 && kind == BinaryKind.MUL && Tensors.sameShape(a, b)) {
            float[] o = new float[a.size()];
            dev.jattr.kernels.cpu.VectorOps.mul(a.floats(), b.floats(), o, o.length);
            return new Tensor[] {Tensor.of(o, a.shape())};
        }
        if (kind == BinaryKind.DIV && !a.dtype().isFloating()) {
            return new Tensor[] {Tensors.zip(a, b, (x, y) -> {
                if (y == 0) {
                    throw new ArithmeticException("integer division by zero in Div");
                }
                return (double) ((long) x / (long) y);
            })};
        }
        return new Tensor[] {Tensors.zip(a, b, kind::apply)};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor a = in[0], b = in[1], gy = g[0];
        Tensor[] r = new Tensor[2];
        if (kind == BinaryKind.ADD) {
            r[0] = wanted[0] ? Tensors.unbroadcast(gy, a.shape()) : null;
            r[1] = wanted[1] ? Tensors.unbroadcast(gy, b.shape()) : null;
            return r;
        }
        if (wanted[0]) {
            r[0] = Tensors.unbroadcast(partial(a, b, gy, true), a.shape());
        }
        if (wanted[1]) {
            r[1] = Tensors.unbroadcast(partial(a, b, gy, false), b.shape());
        }
        return r;
    }

    private Tensor partial(Tensor a, Tensor b, Tensor gy, boolean first) {
        // gy has the broadcast shape; a and b are read through broadcasting.
        Tensor ab = Tensors.zip(a, b, (u, v) -> first ? kind.da(u, v, kind.apply(u, v)) : kind.db(u, v, kind.apply(u, v)));
        return Tensors.mul(gy, ab);
    }
}
