package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
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
    public Tensor[] outputShapes(Tensor[] in) {
        return new Tensor[] {Tensor.shapeOnly(in[0].dtype(), in[0].shape())};
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return kind == UnaryKind.IDENTITY || in[0].dtype() == DType.F32 && activation().isPresent();
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
            Tensor y = Tensor.empty(DType.F32, x.shape()); // the kernel overwrites it
            float[] o = y.floats();
            CurrentBackend.get().elementwise().unary(f.get(), x.floats(), (float) alpha, (float) beta, o, o.length);
            return new Tensor[] {y};
        }
        return new Tensor[] {x.map(v -> kind.apply(v, alpha, beta))};
    }

    /**
     * The backend's kernel of this function, if it has one.
     *
     * @return the activation the backends' elementwise and fused convolution kernels compute
     */
    public Optional<Activation> activation() {
        return switch (kind) {
            case RELU -> Optional.of(Activation.RELU);
            case SIGMOID -> Optional.of(Activation.SIGMOID);
            case TANH -> Optional.of(Activation.TANH);
            case HARD_SIGMOID -> Optional.of(Activation.HARD_SIGMOID);
            case SILU -> Optional.of(Activation.SILU);
            case HARD_SWISH -> Optional.of(Activation.HARD_SWISH);
            default -> Optional.empty();
        };
    }

    @Override
    public boolean backwardRunsOnDevice(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = fromOutput() ? out[0] : in[0];
        return activation().isPresent() && x != null && Tensors.allF32(new Tensor[] {x, out[0], g[0]});
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return fromOutput() ? BackwardReads.OUTPUTS : BackwardReads.ALL;
    }

    /** Whether the derivative is a function of the output alone (Relu's x > 0 is y > 0). */
    private boolean fromOutput() {
        return kind == UnaryKind.RELU || kind == UnaryKind.SIGMOID || kind == UnaryKind.TANH;
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor y = out[0], gy = g[0];
        Tensor x = fromOutput() ? y : in[0]; // see backwardReads: the input may be released
        Optional<Activation> f = activation();
        if (f.isPresent() && x.dtype() == DType.F32 && y.dtype() == DType.F32 && gy.dtype() == DType.F32) {
            Tensor r = Tensor.empty(DType.F32, x.shape()); // the kernel overwrites it
            float[] gx = r.floats();
            CurrentBackend.get().elementwise().unaryBackward(f.get(), x.floats(), y.floats(), gy.floats(), (float) alpha,
                    (float) beta, gx, gx.length);
            return new Tensor[] {r};
        }
        return new Tensor[] {Tensor.generate(x.dtype(), x.shape(),
                i -> gy.getDouble(i) * kind.derivative(x.getDouble(i), y.getDouble(i), alpha, beta))};
    }
}
