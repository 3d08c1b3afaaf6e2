package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * An elementwise function of one tensor.
 *
 * @param kind  which function
 * @param alpha its first attribute (LeakyRelu, Elu, Selu, Celu, ThresholdedRelu, HardSigmoid), else 0
 * @param beta  its second attribute (HardSigmoid's beta, Selu's gamma), else 0
 */
public record Unary(UnaryKind kind, double alpha, double beta) implements Op {
    /** A function without attributes. */
    public static Unary of(UnaryKind kind) {
        return new Unary(kind, 0, 0);
    }

    @Override
    public String type() {
        return kind.onnxName();
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        if (kind == UnaryKind.IDENTITY) {
            return new Tensor[] {x};
        }
        if (!x.dtype().isFloating()) {
            if (!kind.keepsIntegers()) {
                throw new IllegalArgumentException(type() + " is not defined on " + x.dtype() + " tensors");
            }
            return new Tensor[] {Tensor.generate(x.dtype(), x.shape(), i -> kind.apply(x.getDouble(i), alpha, beta))};
        }
        if (kind == UnaryKind.RELU && x.dtype() == dev.jattr.graph.DType.F32) {
            float[] o = new float[x.size()];
            dev.jattr.kernels.cpu.VectorOps.relu(x.floats(), o, o.length);
            return new Tensor[] {Tensor.of(o, x.shape())};
        }
        return new Tensor[] {x.map(v -> kind.apply(v, alpha, beta))};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0], y = out[0], gy = g[0];
        return new Tensor[] {Tensor.generate(x.dtype(), x.shape(),
                i -> gy.getDouble(i) * kind.derivative(x.getDouble(i), y.getDouble(i), alpha, beta))};
    }
}
