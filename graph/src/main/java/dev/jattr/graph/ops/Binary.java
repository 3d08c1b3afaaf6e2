package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.kernels.Arithmetic;
import java.util.Optional;

/** An elementwise function of two tensors with numpy broadcasting. */
public record Binary(BinaryKind kind) implements Op {
    @Override
    public String type() {
        return kind.onnxName();
    }

    @Override
    public Tensor[] outputShapes(Tensor[] in) {
        return new Tensor[] {Tensor.shapeOnly(in[0].dtype(), Shapes.broadcast(in[0].shape(), in[1].shape()))};
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return in[0].dtype() == DType.F32 && in[1].dtype() == DType.F32 && arith().isPresent()
                && Tensors.arithF32Applies(in[0], in[1]);
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor a = in[0], b = in[1];
        if (a.dtype() != b.dtype()) {
            // Pow's exponent may have its own type; the result has the base's. Floating operands of two
            // widths meet only where an importer lowers an op onto constants of a fixed type.
            if (kind == BinaryKind.POW || a.dtype().isFloating() && b.dtype().isFloating()) {
                b = b.cast(a.dtype());
            } else {
                throw new IllegalArgumentException(type() + " operands have different types: " + a.dtype() + " and " + b.dtype());
            }
        }
        if (a.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(type() + " is not defined on BOOL tensors");
        }
        if (!a.dtype().isFloating()) {
            return new Tensor[] {integer(a, b)};
        }
        Tensor x = a, y = b;
        Tensor r = arith().flatMap(op -> Tensors.arithF32(op, x, y)).orElseGet(() -> Tensors.zip(x, y, kind::apply));
        return new Tensor[] {r};
    }

    /** The vectorised arithmetic this kind is, if any. */
    private Optional<Arithmetic> arith() {
        return switch (kind) {
            case ADD -> Optional.of(Arithmetic.ADD);
            case SUB -> Optional.of(Arithmetic.SUB);
            case MUL -> Optional.of(Arithmetic.MUL);
            case DIV -> Optional.of(Arithmetic.DIV);
            default -> Optional.empty();
        };
    }

    private Tensor integer(Tensor a, Tensor b) {
        int[] shape = Shapes.broadcast(a.shape(), b.shape());
        int[] ia = Broadcast.offsets(a.shape(), shape), ib = Broadcast.offsets(b.shape(), shape);
        Tensor r = Tensor.zeros(a.dtype(), shape);
        if (a.dtype() == DType.I64) {
            long[] x = a.longs(), y = b.longs(), o = r.longs();
            for (int i = 0; i < o.length; i++) {
                o[i] = kind.applyLong(x[ia[i]], y[ib[i]]);
            }
        } else {
            int[] x = a.ints(), y = b.ints(), o = r.ints();
            for (int i = 0; i < o.length; i++) {
                o[i] = (int) kind.applyLong(x[ia[i]], y[ib[i]]);
            }
        }
        return r;
    }

    @Override
    public boolean backwardRunsOnDevice(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor a = in[0], b = in[1], gy = g[0];
        if (a == null || b == null || a.dtype() != DType.F32 || b.dtype() != DType.F32 || !Tensors.allF32(new Tensor[] {gy})) {
            return false;
        }
        if (kind == BinaryKind.ADD) {
            return (!wanted[0] || Tensors.unbroadcastF32Applies(gy.shape(), a.shape()))
                    && (!wanted[1] || Tensors.unbroadcastF32Applies(gy.shape(), b.shape()));
        }
        if (kind == BinaryKind.MUL) {
            return (!wanted[0] || b.hasElements() && Tensors.arithF32Applies(gy, b)
                            && Tensors.unbroadcastF32Applies(gy.shape(), a.shape()))
                    && (!wanted[1] || a.hasElements() && Tensors.arithF32Applies(gy, a)
                            && Tensors.unbroadcastF32Applies(gy.shape(), b.shape()));
        }
        return false;
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return switch (kind) {
            case ADD, SUB -> BackwardReads.NONE;
            case MUL -> new BackwardReads((mayWant[1] ? 1L : 0) | (mayWant[0] ? 2L : 0), 0);
            default -> BackwardReads.inputs(0, 1);
        };
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor a = in[0], b = in[1].cast(in[0].dtype()), gy = g[0];
        Tensor[] r = new Tensor[2];
        if (kind == BinaryKind.ADD || kind == BinaryKind.SUB) {
            r[0] = wanted[0] ? Tensors.unbroadcast(gy, a.shape()) : null;
            r[1] = wanted[1] ? Tensors.unbroadcast(kind == BinaryKind.SUB ? Tensors.scale(gy, -1) : gy, b.shape()) : null;
            return r;
        }
        if (kind == BinaryKind.MUL) {
            // ∂(a·b)/∂a = b and ∂(a·b)/∂b = a, read through broadcasting
            r[0] = wanted[0] ? Tensors.unbroadcastProduct(gy, b, a.shape()) : null;
            r[1] = wanted[1] ? Tensors.unbroadcastProduct(gy, a, b.shape()) : null;
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
