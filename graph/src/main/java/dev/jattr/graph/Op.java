package dev.jattr.graph;

/**
 * A primitive operation of the IR: its forward and its vector-Jacobian product live together.
 *
 * <p>Implementations are records holding the op's validated attributes. {@link #forward} must not
 * write into its inputs.
 */
public interface Op {
    /** The op's name as users know it (the ONNX op type). */
    String type();

    /** Computes the outputs from the inputs (optional inputs left out by the model are {@code null}). */
    Tensor[] forward(Tensor[] inputs);

    /**
     * The vector-Jacobian product: given the forward's inputs and outputs and the gradient of a
     * scalar objective with respect to each output, the gradient with respect to each input.
     * Floating outputs that no gradient reached get zeros, so {@code gradOutputs} holds
     * {@code null} only for integer outputs. {@code wanted[i]} says whether input {@code i}'s
     * gradient is needed; an op may return {@code null} for the others, and returns {@code null}
     * for inputs that are not differentiable (integer shapes, indices).
     *
     * <p>The default declares that the op has no gradient: an attribution whose path crosses it
     * fails with {@link NoGradientException}.
     */
    default Tensor[] backward(Tensor[] inputs, Tensor[] outputs, Tensor[] gradOutputs, boolean[] wanted) {
        throw new NoGradientException(type());
    }

    /** Whether {@link #backward} is defined. */
    default boolean differentiable() {
        return true;
    }
}
