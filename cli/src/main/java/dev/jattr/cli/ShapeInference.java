package dev.jattr.cli;

import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Trace;
import dev.jattr.graph.ValueInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shapes of a graph's values, found by running it on zeros: once with every symbolic input
 * dimension 1 and, when the inputs have a symbolic dimension 0, once more with batch 2, so that
 * the dimensions that follow the batch print as its symbol ({@code [batch, 16, 4, 4]}).
 *
 * @param shapes  value name → shape text, for every value the run computed
 * @param problem why no shapes were found ("" when they were)
 */
record ShapeInference(Map<String, String> shapes, String problem) {
    /** Runs {@code graph} on zeros and reads the shapes of all its values. */
    static ShapeInference of(Graph graph) {
        Trace one;
        try {
            one = run(graph, 1);
        } catch (RuntimeException e) {
            return new ShapeInference(Map.of(), "the model does not run on zero inputs: " + Main.oneLine(String.valueOf(e.getMessage())));
        }
        Trace two = null;
        if (graph.inputs().stream().anyMatch(i -> i.dims().length > 0 && i.dims()[0] < 0)) {
            try {
                two = run(graph, 2);
            } catch (RuntimeException e) {
                two = null; // a model that hard-codes batch 1 somewhere: print batch-1 shapes
            }
        }
        String symbol = batchSymbol(graph);
        Map<String, String> shapes = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            for (String v : n.outputs()) {
                if (!v.isEmpty() && one.has(v)) {
                    shapes.put(v, text(one.value(v).shape(), two != null && two.has(v) ? two.value(v).shape() : null, symbol));
                }
            }
        }
        return new ShapeInference(shapes, "");
    }

    /** The shape of {@code value}, or "?" when it is unknown. */
    String shape(String value) {
        return shapes.getOrDefault(value, "?");
    }

    private static Trace run(Graph graph, int batch) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (ValueInfo vi : graph.inputs()) {
            int[] dims = vi.dims().clone();
            for (int d = 0; d < dims.length; d++) {
                if (dims[d] < 0) {
                    dims[d] = d == 0 ? batch : 1;
                }
            }
            feeds.put(vi.name(), Tensor.zeros(vi.dtype(), dims));
        }
        List<String> all = graph.nodes().stream().flatMap(n -> n.outputs().stream()).filter(v -> !v.isEmpty()).toList();
        return new Executor(graph).run(feeds, all);
    }

    private static String batchSymbol(Graph graph) {
        for (ValueInfo vi : graph.inputs()) {
            if (vi.dims().length > 0 && vi.dims()[0] < 0 && !vi.dimNames().getFirst().isEmpty()) {
                return vi.dimNames().getFirst();
            }
        }
        return "batch";
    }

    /** The shape from batch 1 ({@code one}), with the dimensions that doubled at batch 2 ({@code two}) written by symbol. */
    static String text(int[] one, int[] two, String symbol) {
        StringBuilder b = new StringBuilder("[");
        for (int d = 0; d < one.length; d++) {
            b.append(d == 0 ? "" : ", ");
            if (two == null || two.length != one.length || two[d] == one[d]) {
                b.append(one[d]);
            } else if (two[d] == 2 * one[d]) {
                b.append(one[d] == 1 ? symbol : symbol + "*" + one[d]);
            } else {
                b.append('?');
            }
        }
        return b.append(']').toString();
    }
}
