package dev.jattr.graph;

/**
 * How gradient (or relevance) flows backward through one node. The plain gradient applies each
 * op's own {@link Op#backward}; attribution methods such as DeepLift and LRP substitute their own
 * rule at the nodes they treat specially, without copying the graph.
 */
@FunctionalInterface
public interface BackwardRule {
    /** Maps the gradients of the node's outputs to the gradients of its inputs (see {@link Op#backward}). */
    Tensor[] backward(Node node, Tensor[] inputs, Tensor[] outputs, Tensor[] gradOutputs, boolean[] wanted);

    /** The plain chain rule: the op's own vector-Jacobian product. */
    BackwardRule GRADIENT = (node, in, out, g, wanted) -> node.op().backward(in, out, g, wanted);
}
