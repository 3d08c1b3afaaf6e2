package dev.jattr.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable dataflow graph: nodes in topological order, the model's inputs and outputs, and
 * its constant tensors (initializers and folded {@code Constant} nodes).
 */
public final class Graph {
    private final List<Node> nodes;
    private final List<ValueInfo> inputs;
    private final List<ValueInfo> outputs;
    private final Map<String, Tensor> constants;
    private final Map<String, Node> producers = new HashMap<>();
    private final Map<String, List<Node>> consumers = new HashMap<>();
    private final Map<Node, Integer> order = new HashMap<>();

    /**
     * Builds a graph, sorting the nodes topologically. Fails naming the value when a node reads
     * a value that nothing produces, or two nodes write the same value.
     */
    public Graph(List<Node> nodes, List<ValueInfo> inputs, List<ValueInfo> outputs, Map<String, Tensor> constants) {
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.constants = Collections.unmodifiableMap(new LinkedHashMap<>(constants));
        for (Node n : nodes) {
            for (String o : n.outputs()) {
                if (o.isEmpty()) {
                    continue;
                }
                Node prev = producers.put(o, n);
                if (prev != null) {
                    throw new IllegalArgumentException("value '" + o + "' is written by both " + prev.describe()
                            + " and " + n.describe());
                }
            }
        }
        this.nodes = List.copyOf(topologicalOrder(nodes));
        for (int i = 0; i < this.nodes.size(); i++) {
            Node n = this.nodes.get(i);
            order.put(n, i);
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
        for (ValueInfo o : outputs) {
            if (!producers.containsKey(o.name()) && !constants.containsKey(o.name()) && !isInput(o.name())) {
                throw new IllegalArgumentException("graph output '" + o.name() + "' is produced by no node");
            }
        }
    }

    /**
     * Kahn's algorithm: a node becomes ready when the last value it waits for is written; among
     * ready nodes the earliest in model order runs first, so a sorted model keeps its order.
     * O(n log n) in the number of node inputs and outputs.
     */
    private List<Node> topologicalOrder(List<Node> all) {
        Set<String> available = new java.util.HashSet<>(constants.keySet());
        inputs.forEach(i -> available.add(i.name()));
        Map<String, List<Integer>> waiting = new HashMap<>();
        int[] missing = new int[all.size()];
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int i = 0; i < all.size(); i++) {
            Node n = all.get(i);
            for (String v : n.inputs()) {
                if (v.isEmpty() || available.contains(v)) {
                    continue;
                }
                if (!producers.containsKey(v)) {
                    throw new IllegalArgumentException(n.describe() + " reads value '" + v
                            + "', which no node, input or initializer provides");
                }
                missing[i]++;
                waiting.computeIfAbsent(v, k -> new ArrayList<>()).add(i);
            }
            if (missing[i] == 0) {
                ready.add(i);
            }
        }
        List<Node> sorted = new ArrayList<>(all.size());
        while (!ready.isEmpty()) {
            Node n = all.get(ready.poll());
            sorted.add(n);
            for (String o : n.outputs()) {
                for (int w : waiting.getOrDefault(o, List.of())) {
                    if (--missing[w] == 0) {
                        ready.add(w);
                    }
                }
            }
        }
        if (sorted.size() < all.size()) {
            int stuck = 0;
            while (missing[stuck] == 0) {
                stuck++;
            }
            throw new IllegalArgumentException("the graph has a cycle through " + all.get(stuck).describe());
        }
        return sorted;
    }

    /** The nodes in topological order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The inputs a caller must feed (initializers excluded). */
    public List<ValueInfo> inputs() {
        return inputs;
    }

    /** The model's outputs. */
    public List<ValueInfo> outputs() {
        return outputs;
    }

    /** Constant tensors by value name. */
    public Map<String, Tensor> constants() {
        return constants;
    }

    /** Whether {@code value} is a graph input a caller feeds. */
    public boolean isInput(String value) {
        return inputs.stream().anyMatch(i -> i.name().equals(value));
    }

    /** Whether {@code value} is a constant. */
    public boolean isConstant(String value) {
        return constants.containsKey(value);
    }

    /** The node that writes {@code value}, if any (inputs and constants have none). */
    public Optional<Node> producer(String value) {
        return Optional.ofNullable(producers.get(value));
    }

    /** The nodes that read {@code value}, in topological order. */
    public List<Node> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** The position of {@code node} in topological order. */
    public int position(Node node) {
        Integer p = order.get(node);
        if (p == null) {
            throw new IllegalArgumentException(node.describe() + " is not in this graph");
        }
        return p;
    }

    /** Whether some node, input or constant provides {@code value}. */
    public boolean hasValue(String value) {
        return producers.containsKey(value) || constants.containsKey(value) || isInput(value);
    }

    /** Every value name the graph knows, sorted (for messages listing candidates). */
    public Set<String> valueNames() {
        Set<String> s = new TreeSet<>(producers.keySet());
        inputs.forEach(i -> s.add(i.name()));
        return s;
    }

    /** The node with the given name, if any. */
    public Optional<Node> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** The values that depend on {@code roots} (the roots included), following data flow forward. */
    public Set<String> descendants(Set<String> roots) {
        Set<String> reached = new java.util.HashSet<>(roots);
        for (Node n : nodes) {
            if (n.inputs().stream().anyMatch(reached::contains)) {
                n.outputs().stream().filter(o -> !o.isEmpty()).forEach(reached::add);
            }
        }
        return reached;
    }
}
