package dev.jattr.attr;

import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ValueInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small float64 graphs node by node for the attribution tests. */
final class SmallGraphs {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final ValueInfo input;

    /** A graph whose input {@code name} has {@code rank} dimensions, the first being the batch. */
    SmallGraphs(String name, int... dims) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            names.add(i == 0 ? "batch" : "");
        }
        this.input = new ValueInfo(name, DType.F64, dims, names);
    }

    /** Adds a constant. */
    SmallGraphs constant(String name, Tensor value) {
        constants.put(name, value);
        return this;
    }

    /** Adds a node with one output named after it ({@code name + "_out"}). */
    SmallGraphs node(String name, Op op, String... inputs) {
        nodes.add(new Node(name, op, Arrays.asList(inputs), List.of(name + "_out")));
        return this;
    }

    /** The graph, its output being the last node's. */
    Graph build() {
        String out = nodes.getLast().outputs().getFirst();
        return new Graph(nodes, List.of(input), List.of(new ValueInfo(out, DType.F64, new int[] {-1, -1}, List.of("batch", ""))),
                constants);
    }

    /** A row-major float64 tensor. */
    static Tensor t(double[] values, int... shape) {
        return Tensor.of(values, shape);
    }
}
