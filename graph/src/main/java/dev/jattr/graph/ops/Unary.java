package dev.jattr.graph.ops;

import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.kernels.Activation;
import java.util.Optional;

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
        Optional<Activation> f = activation();
        if (f.isPresent() && x.dtype() == DType.F32) {
            float[] o = new float[x.size()];
            CurrentBackend.get().elementwise().unary(f.get(), x.floats(), (float) alpha, (float) beta, o, o.length);
            return new Tensor[] {Tensor.of(o, x.shape())};
        }
        return new Tensor[] {x.map(v -> kind.apply(v, alpha, beta))};
    }

    /** The vectorised float kernel of this function, if it has one. */
    private Optional<Activation> activation() {
        return switch (kind) {
            case RELU -> Optional.of(Activation.RELU);
            case SIGMOID -> Optional.of(Activation.SIGMOID);
            case TANH -> Optional.of(Activation.TANH);
            case HARD_SIGMOID -> Optional.of(Activation.HARD_SIGMOID);
            default -> Optional.empty();
        };
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0], y = out[0], gy = g[0];
        Optional<Activation> f = activation();
        if (f.isPresent() && x.dtype() == DType.F32 && y.dtype() == DType.F32 && gy.dtype() == DType.F32) {
            float[] gx = new float[x.size()];
            CurrentBackend.get().elementwise().unaryBackward(f.get(), x.floats(), y.floats(), gy.floats(), (float) alpha,
                    (float) beta, gx, gx.length);
            return new Tensor[] {Tensor.of(gx, x.shape())};
        }
        return new Tensor[] {Tensor.generate(x.dtype(), x.shape(),
                i -> gy.getDouble(i) * kind.derivative(x.getDouble(i), y.getDouble(i), alpha, beta))};
    }
}
