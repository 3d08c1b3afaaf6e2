package dev.jattr.attr;

import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A layer resolved in a graph: the values an attribution reads, replaces and differentiates.
 * Any node can be a layer; so can a PyTorch module, found from the exporter's scopes.
 *
 * @param name   the name the user gave
 * @param values the value names: the layer's outputs, or with {@code input} its non-constant inputs
 * @param input  whether these are the layer's inputs
 */
public record Layer(String name, List<String> values, boolean input) {
    /** Freezes the list. */
    public Layer {
        values = List.copyOf(values);
    }

    /**
     * Resolves {@code name} in {@code graph}: an ONNX node name, a tensor (value) name, or a PyTorch
     * module path ({@code block2.conv2}, matched against scopes such as {@code /block2/conv2/Conv}),
     * tried in that order; a prefix {@code node:}, {@code tensor:} or {@code module:} forces one
     * reading. A name that is both a node and another node's tensor is ambiguous and fails.
     * A module's outputs are the values its nodes produce that are used outside it; its inputs are
     * the non-constant values its nodes read from outside it. An unknown name fails listing
     * candidates.
     */
    public static Layer resolve(Graph graph, String name, boolean input) {
        if (name.startsWith("node:")) {
            String n = name.substring(5);
            return of(graph, name, List.of(graph.node(n).orElseThrow(() -> unknown(graph, n))), input);
        }
        if (name.startsWith("tensor:")) {
            String v = name.substring(7);
            if (!graph.hasValue(v) || graph.isConstant(v)) {
                throw unknown(graph, v);
            }
            return new Layer(name, List.of(v), input);
        }
        if (name.startsWith("module:")) {
            return module(graph, name.substring(7), input).orElseThrow(() -> unknown(graph, name.substring(7)));
        }
        var node = graph.node(name);
        boolean isValue = graph.hasValue(name) && !graph.isConstant(name);
        if (node.isPresent() && isValue && !node.get().outputs().contains(name)) {
            throw new IllegalArgumentException("layer name '" + name + "' is ambiguous: it names " + node.get().describe()
                    + " and a tensor written by " + graph.producer(name).map(Node::describe).orElse("the model's inputs")
                    + "; write node:" + name + " or tensor:" + name);
        }
        if (node.isPresent()) {
            return of(graph, name, List.of(node.get()), input);
        }
        if (isValue) {
            return new Layer(name, List.of(name), input);
        }
        return module(graph, name, input).orElseThrow(() -> unknown(graph, name));
    }

    private static java.util.Optional<Layer> module(Graph graph, String path, boolean input) {
        List<Node> scope = graph.nodes().stream()
                .filter(n -> n.modulePath().equals(path) || n.modulePath().startsWith(path + "."))
                .toList();
        return scope.isEmpty() || path.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(of(graph, path, scope, input));
    }

    /** How many close names an unknown-layer error suggests at most. */
    static final int MAX_SUGGESTIONS = 5;

    private static IllegalArgumentException unknown(Graph graph, String name) {
        List<String> close = suggestions(name, names(graph));
        return new IllegalArgumentException("no layer named '" + name + "' (neither a module path, a node name nor a tensor name of the model)"
                + (close.isEmpty() ? "" : "; did you mean " + close.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", ")) + "?")
                + "; 'jattr layers MODEL' lists every name");
    }

    /** Every name a layer can be given by: module paths (containers included), node names, tensor names. */
    static Set<String> names(Graph graph) {
        Set<String> names = new LinkedHashSet<>();
        for (Node n : graph.nodes()) {
            String p = n.modulePath();
            while (!p.isEmpty()) {
                names.add(p);
                p = p.contains(".") ? p.substring(0, p.lastIndexOf('.')) : "";
            }
        }
        for (Node n : graph.nodes()) {
            names.add(n.name());
            n.outputs().stream().filter(o -> !o.isEmpty()).forEach(names::add);
        }
        graph.inputs().forEach(i -> names.add(i.name()));
        return names;
    }

    /**
     * At most {@link #MAX_SUGGESTIONS} names close to {@code wanted}: those that end with it as a
     * whole path segment ({@code conv2} → {@code layer4.1.conv2}) or that it ends with, then those
     * within a small edit distance, nearest first.
     */
    static List<String> suggestions(String wanted, Set<String> names) {
        record Scored(String name, int rank, int distance) {}
        int limit = Math.max(1, wanted.length() / 4);
        List<Scored> scored = new ArrayList<>();
        for (String n : names) {
            boolean suffix = endsWithSegment(n, wanted) || endsWithSegment(wanted, n);
            int d = suffix ? Math.abs(n.length() - wanted.length()) : ClosestNames.distance(wanted, n);
            if (suffix || d <= limit) {
                scored.add(new Scored(n, suffix ? 0 : 1, d));
            }
        }
        return scored.stream()
                .sorted(java.util.Comparator.comparingInt(Scored::rank).thenComparingInt(Scored::distance).thenComparing(Scored::name))
                .limit(MAX_SUGGESTIONS).map(Scored::name).toList();
    }

    private static boolean endsWithSegment(String name, String tail) {
        if (tail.isEmpty() || name.length() <= tail.length() || !name.endsWith(tail)) {
            return false;
        }
        char before = name.charAt(name.length() - tail.length() - 1);
        return before == '.' || before == '/';
    }

    private static Layer of(Graph graph, String name, List<Node> scope, boolean input) {
        Set<Node> inScope = new java.util.HashSet<>(scope);
        Set<String> produced = new LinkedHashSet<>();
        scope.forEach(n -> n.outputs().stream().filter(o -> !o.isEmpty()).forEach(produced::add));
        List<String> values = new ArrayList<>();
        if (input) {
            Set<String> seen = new LinkedHashSet<>();
            for (Node n : scope) {
                for (String v : n.inputs()) {
                    if (!v.isEmpty() && !produced.contains(v) && !graph.isConstant(v)) {
                        seen.add(v);
                    }
                }
            }
            values.addAll(seen);
        } else {
            Set<String> graphOutputs = new java.util.HashSet<>();
            graph.outputs().forEach(o -> graphOutputs.add(o.name()));
            for (String v : produced) {
                boolean usedOutside = graphOutputs.contains(v)
                        || graph.consumers(v).stream().anyMatch(c -> !inScope.contains(c));
                if (usedOutside) {
                    values.add(v);
                }
            }
            if (values.isEmpty()) {
                values.add(scope.getLast().outputs().getFirst());
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("layer '" + name + "' has no non-constant " + (input ? "inputs" : "outputs"));
        }
        return new Layer(name, values, input);
    }
}
