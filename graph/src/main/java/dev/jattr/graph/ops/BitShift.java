package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Shapes;

/**
 * ONNX BitShift on unsigned integers (held as int32/int64) with broadcasting. Integer-valued: it
 * declares no gradient.
 *
 * @param left whether the direction is LEFT
 */
public record BitShift(boolean left) implements Op {
    @Override
    public String type() {
        return "BitShift";
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor a = in[0], b = in[1];
        if (a.dtype().isFloating() || a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("BitShift needs integer operands of one type, got " + a.dtype() + " and " + b.dtype());
        }
        int[] shape = Shapes.broadcast(a.shape(), b.shape());
        int[] ia = Broadcast.offsets(a.shape(), shape), ib = Broadcast.offsets(b.shape(), shape);
        Tensor y = Tensor.zeros(a.dtype(), shape);
        for (int i = 0; i < ia.length; i++) {
            long v = a.getLong(ia[i]), s = b.getLong(ib[i]);
            long r = s >= 64 ? 0 : left ? v << s : v >>> s;
            switch (a.dtype()) {
                case I64 -> y.longs()[i] = r;
                case I32 -> y.ints()[i] = (int) (s >= 32 ? 0 : left ? (int) v << s : (int) v >>> s);
                default -> throw new IllegalArgumentException("BitShift is not defined on " + a.dtype());
            }
        }
        return new Tensor[] {y};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
