package dev.jattr.graph;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The types and shapes of a graph's values for given input shapes, found without running the
 * model: node by node, in order, each node's outputs come from
 * <ol>
 *   <li>running it, when all its inputs' elements are known and small (constants and the shape
 *       arithmetic computed from {@code Shape} nodes: constant folding, which is how Reshape's
 *       and Expand's target shapes become known);</li>
 *   <li>else its op's shape rule ({@link Op#outputShapes});</li>
 *   <li>else running the op on zeros of its input shapes, where a rule cannot decide, unless
 *       its output shapes depend on elements it lacks ({@link Op#shapeNeedsElements}).</li>
 * </ol>
 * A node whose inputs' shapes are unknown, that needs elements nobody knows, or that fails, leaves
 * its outputs unknown.
 */
public final class ShapeInference {
    /** Elements up to this many are folded and kept as values. */
    static final int FOLD_LIMIT = 1 << 12;

    private ShapeInference() {}

    /**
     * The type and shape of every value the graph computes that can be decided from the inputs'
     * {@code known} shapes (input name → shape; the type is the declared one), as tensors without
     * elements, by value name. Constants and known inputs are included.
     */
    public static Map<String, Tensor> infer(Graph graph, Map<String, int[]> known) {
        Map<String, Tensor> values = new HashMap<>(graph.constants());
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (ValueInfo vi : graph.inputs()) {
            int[] shape = known.get(vi.name());
            if (shape != null) {
                values.put(vi.name(), Tensor.shapeOnly(vi.dtype(), shape));
            }
        }
        for (Node n : graph.nodes()) {
            Tensor[] in = new Tensor[n.inputs().size()];
            boolean shapesKnown = true, elementsKnown = true;
            for (int i = 0; i < in.length; i++) {
                String v = n.inputs().get(i);
                if (v.isEmpty()) {
                    continue;
                }
                in[i] = values.get(v);
                shapesKnown &= in[i] != null;
                elementsKnown &= in[i] != null && in[i].hasElements() && in[i].size() <= FOLD_LIMIT;
            }
            if (!shapesKnown) {
                continue;
            }
            // elements found on zeros are not the real ones: only their shapes are kept
            Tensor[] out = elementsKnown ? run(n, in) : rule(n, in);
            boolean exact = out != null;
            if (out == null && zerosDecide(n, in)) {
                out = run(n, zeros(in));
            }
            if (out == null) {
                continue;
            }
            for (int k = 0; k < Math.min(out.length, n.outputs().size()); k++) {
                String v = n.outputs().get(k);
                if (!v.isEmpty() && out[k] != null) {
                    boolean fold = exact && out[k].hasElements() && out[k].size() <= FOLD_LIMIT;
                    values.put(v, fold ? out[k] : Tensor.shapeOnly(out[k].dtype(), out[k].shape()));
                }
            }
        }
        values.forEach((k, v) -> result.put(k, Tensor.shapeOnly(v.dtype(), v.shape())));
        return result;
    }

    /** The node's outputs on these inputs, or null when it fails on them. */
    private static Tensor[] run(Node n, Tensor[] in) {
        try {
            return n.op().forward(in);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The op's shape rule, or null when it has none or it fails (the node would fail too). */
    private static Tensor[] rule(Node n, Tensor[] in) {
        try {
            return n.op().outputShapes(in);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether running on zeros gives the node's output shapes: no input whose elements they depend on lacks them, and the zeros are not too many. */
    private static boolean zerosDecide(Node n, Tensor[] in) {
        long elements = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] != null && !in[i].hasElements()) {
                if (n.op().shapeNeedsElements(i)) {
                    return false;
                }
                elements += in[i].size();
            }
        }
        return elements <= Limits.maxTensorElements();
    }

    /** The inputs, zeros of their shapes where their elements are unknown. */
    private static Tensor[] zeros(Tensor[] in) {
        Tensor[] z = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            if (in[i] != null) {
                z[i] = in[i].hasElements() ? in[i] : Tensor.zeros(in[i].dtype(), in[i].shape());
            }
        }
        return z;
    }
}
