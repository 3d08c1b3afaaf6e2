package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;

/**
 * A Conv and the activation that alone reads its output, fused by the plan
 * ({@code Plan.fuseConvActivation}): on float32 the backend applies the activation to each output
 * block as the convolution produces it, so the pre-activation value is never written out. Its
 * gradient exists only for activations whose derivative reads their output (Relu), the one kind
 * the plan fuses where a backward pass follows.
 *
 * @param conv the convolution
 * @param activation the activation, a {@link Unary} with a backend kernel
 */
public record ConvActivation(Conv conv, Unary activation) implements Op {
    /**
     * Checks that the activation has a backend kernel.
     *
     * @throws IllegalArgumentException when it has none
     */
    public ConvActivation {
        if (activation.activation().isEmpty()) {
            throw new IllegalArgumentException(activation.type() + " has no kernel to fuse into a Conv");
        }
    }

    @Override
    public String type() {
        return "Conv·" + activation.type();
    }

    @Override
    public Tensor[] outputShapes(Tensor[] in) {
        return conv.outputShapes(in);
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return conv.runsOnDevice(in);
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        if (!Tensors.allF32(in)) {
            return activation.forward(conv.forward(in));
        }
        return new Tensor[] {conv.forward(in, activation.activation().orElseThrow(), (float) activation.alpha(),
                (float) activation.beta())};
    }

    /** The fused forward written into channels [channel, channel + M) of y (see {@link Conv#forwardInto}). */
    void forwardInto(Tensor[] in, Tensor y, int channel) {
        conv.forwardInto(in, activation.activation().orElseThrow(), (float) activation.alpha(), (float) activation.beta(), y,
                channel);
    }

    /** Whether the gradient can be taken from the fused output alone (Relu: y > 0 exactly where x > 0). */
    @Override
    public boolean differentiable() {
        return activation.kind() == UnaryKind.RELU;
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return new BackwardReads(conv.backwardReads(mayWant).inputs(), 1L); // and its output, for the Relu
    }

    @Override
    public boolean backwardRunsOnDevice(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        return differentiable() && out[0] != null && out[0].dtype() == DType.F32 && out[0].hasElements()
                && conv.backwardRunsOnDevice(in, out, g, wanted);
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] grads, boolean[] wanted) {
        if (!differentiable()) {
            throw new dev.jattr.graph.NoGradientException(type());
        }
        Tensor y = out[0];
        Tensor[] g = activation.backward(new Tensor[] {y}, new Tensor[] {y}, grads, new boolean[] {true});
        return conv.backward(in, null, g, wanted);
    }
}
