package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import java.util.List;

/**
 * ONNX If: runs one of two branches on a boolean condition. Inputs: the condition, then the
 * outer values either branch captures ({@code captures}, in order). The gradient is that of the
 * branch that ran, with respect to the captured values it reads (zeros for those only the other
 * branch reads); the condition gets none.
 *
 * @param thenBranch the branch run when the condition is true
 * @param elseBranch the branch run otherwise
 * @param captures   the outer-scope values the node reads after the condition
 */
public record If(Subgraph thenBranch, Subgraph elseBranch, List<String> captures) implements Op {
    /** Checks the branches agree on the number of outputs and freezes the list. */
    public If {
        captures = List.copyOf(captures);
        if (thenBranch.outputCount() != elseBranch.outputCount()) {
            throw new IllegalArgumentException("If branches have " + thenBranch.outputCount() + " and "
                    + elseBranch.outputCount() + " outputs");
        }
    }

    @Override
    public String type() {
        return "If";
    }

    private Subgraph branch(Tensor[] in) {
        if (in[0] == null || in[0].size() != 1) {
            throw new IllegalArgumentException("If needs a one-element condition");
        }
        return in[0].getDouble(0) != 0 ? thenBranch : elseBranch;
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return true;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        return branch(in).run(List.of(), Subgraph.captured(captures, in, 1));
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] gradOutputs, boolean[] wanted) {
        Subgraph branch = branch(in);
        var run = branch.trace(List.of(), Subgraph.captured(captures, in, 1));
        var g = branch.backward(run, gradOutputs, new boolean[0], Subgraph.wantedCaptures(captures, wanted, 1));
        Tensor[] result = new Tensor[in.length];
        Subgraph.putCaptureGradients(captures, in, wanted, 1, g.captures(), result);
        return result;
    }
}
