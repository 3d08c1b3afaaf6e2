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

    /**
     * Whether this op, on these inputs, computes only through the backend's kernels: it reads no
     * float or double elements on the host but those of the inputs {@link #readsOnHost} names
     * (bounds, per-channel parameters, which the executor brings to the host first), and never
     * reads a kernel's output on the host. On a backend that keeps device copies ({@code Backend.keepsDeviceCopies}) such
     * an op leaves its values on the device; every other op runs with its inputs brought to the
     * host and each kernel call copying its operands. False by default.
     *
     * @param in the op's inputs (null where left out)
     * @return whether it runs on the device
     */
    default boolean runsOnDevice(Tensor[] in) {
        return false;
    }

    /**
     * Whether an op that {@link #runsOnDevice} reads the elements of its input {@code input} on the
     * host (a bound, a per-channel parameter): the executor brings just those inputs to the host
     * before it runs, and leaves the others where they are. False by default.
     *
     * @param input the input's position
     * @return whether the op reads it on the host
     */
    default boolean readsOnHost(int input) {
        return false;
    }

    /**
     * Whether {@link #backward} on these tensors computes only through the backend's kernels, in
     * the sense of {@link #runsOnDevice}: then, on a backend that keeps device copies, the backward
     * pass leaves its gradients on the device. False by default.
     *
     * @param in the forward inputs (null where left out or released)
     * @param out the forward outputs (null where released)
     * @param gradOutputs the outputs' gradients
     * @param wanted which inputs' gradients are asked for
     * @return whether the backward runs on the device
     */
    default boolean backwardRunsOnDevice(Tensor[] in, Tensor[] out, Tensor[] gradOutputs, boolean[] wanted) {
        return false;
    }

    /**
     * Which forward values {@link #backward} reads the elements of, when input {@code i}'s
     * gradient may be asked for only where {@code mayWant[i]} (it is false for constants and for
     * inputs the model left out). The backward pass keeps just these; the default keeps all.
     */
    default BackwardReads backwardReads(boolean[] mayWant) {
        return BackwardReads.ALL;
    }

    /**
     * The shape rule: the types and shapes of the outputs ({@link Tensor#shapeOnly}) from the
     * inputs, which are tensors with their elements where these are known (constants, folded shape
     * arithmetic), {@link Tensor#shapeOnly} otherwise, and {@code null} for inputs the model left
     * out. Returns {@code null} when the rule needs elements it was not given, and by default:
     * {@link ShapeInference} then runs the op on zeros of the input shapes.
     */
    default Tensor[] outputShapes(Tensor[] inputs) {
        return null;
    }

    /**
     * Whether the output shapes depend on the elements of input {@code i}, not just on its shape
     * (Reshape's target shape, NonZero's input, Range's bounds…). {@link ShapeInference} runs an op
     * without a rule on zeros only when no input it needs the elements of lacks them.
     */
    default boolean shapeNeedsElements(int i) {
        return false;
    }

    /** Whether {@link #backward} is defined. */
    default boolean differentiable() {
        return true;
    }
}
