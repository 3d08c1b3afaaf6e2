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
 * The shapes of a graph's values, found by {@link dev.jattr.graph.ShapeInference} (shape rules and
 * folded shape arithmetic, without running the model): once with every symbolic input dimension 1
 * and, when the inputs have a symbolic dimension 0, once more with batch 2, so that the dimensions
 * that follow the batch print as its symbol ({@code [batch, 16, 4, 4]}). Only where inference
 * cannot decide a value is the model run on zeros to learn it.
 *
 * @param shapes  value name → shape text, for every value whose shape is known
 * @param problem why some shapes are unknown ("" when none is)
 */
record ShapeInference(Map<String, String> shapes, String problem) {
    /** Infers the shapes of all of {@code graph}'s values, running it on zeros only if that leaves some unknown. */
    static ShapeInference of(Graph graph) {
        boolean symbolicBatch = graph.inputs().stream().anyMatch(i -> i.dims().length > 0 && i.dims()[0] < 0);
        Map<String, int[]> one = infer(graph, 1), two = symbolicBatch ? infer(graph, 2) : new LinkedHashMap<>();
        String problem = "";
        if (graph.nodes().stream().flatMap(n -> n.outputs().stream()).anyMatch(v -> !v.isEmpty() && !one.containsKey(v))) {
            try {
                fromRun(run(graph, 1), one);
            } catch (RuntimeException e) {
                problem = "the model does not run on zero inputs: " + Main.oneLine(String.valueOf(e.getMessage()));
            }
            if (symbolicBatch && problem.isEmpty()) {
                try {
                    fromRun(run(graph, 2), two);
                } catch (RuntimeException e) {
                    // a model that hard-codes batch 1 somewhere: those values print their batch-1 shapes
                }
            }
        }
        String symbol = batchSymbol(graph);
        Map<String, String> shapes = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            for (String v : n.outputs()) {
                if (!v.isEmpty() && one.containsKey(v)) {
                    shapes.put(v, text(one.get(v), two.get(v), symbol));
                }
            }
        }
        return new ShapeInference(shapes, problem);
    }

    /** The shape of {@code value}, or "?" when it is unknown. */
    String shape(String value) {
        return shapes.getOrDefault(value, "?");
    }

    private static Map<String, int[]> infer(Graph graph, int batch) {
        Map<String, int[]> known = new LinkedHashMap<>();
        graph.inputs().forEach(vi -> known.put(vi.name(), dims(vi, batch)));
        Map<String, int[]> shapes = new LinkedHashMap<>();
        dev.jattr.graph.ShapeInference.infer(graph, known).forEach((v, t) -> shapes.put(v, t.shape()));
        return shapes;
    }

    /** Adds the shapes {@code run} found for the values {@code shapes} lacks. */
    private static void fromRun(Trace run, Map<String, int[]> shapes) {
        for (Node n : run.executed()) {
            for (String v : n.outputs()) {
                if (!v.isEmpty() && run.has(v)) {
                    shapes.putIfAbsent(v, run.value(v).shape());
                }
            }
        }
    }

    private static int[] dims(ValueInfo vi, int batch) {
        int[] dims = vi.dims().clone();
        for (int d = 0; d < dims.length; d++) {
            if (dims[d] < 0) {
                dims[d] = d == 0 ? batch : 1;
            }
        }
        return dims;
    }

    private static Trace run(Graph graph, int batch) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (ValueInfo vi : graph.inputs()) {
            feeds.put(vi.name(), Tensor.zeros(vi.dtype(), dims(vi, batch)));
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
