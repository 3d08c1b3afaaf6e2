package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * A scatter op (inputs data, indices, updates): it only says where each update element lands,
 * and gets its forward and vector-Jacobian product from its {@link ScatterReduction}.
 */
public interface Scatter extends Op {
    /** How an update combines with the element it lands on. */
    ScatterReduction reduction();

    /** Per update element, the flat index of the data element it lands on. */
    int[] positions(Tensor[] inputs);

    @Override
    default Tensor[] forward(Tensor[] in) {
        return new Tensor[] {reduction().scatter(in[0], in[2], positions(in))};
    }

    @Override
    default Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor[] r = reduction().backward(in[0], in[2], positions(in), g[0], wanted[0], wanted[2]);
        return new Tensor[] {r[0], null, r[1]};
    }
}
