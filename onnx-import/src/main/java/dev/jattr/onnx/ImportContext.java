package dev.jattr.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.jattr.graph.Node;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.Subgraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What an {@link OpImporter} sees of the node it imports and of the graph being built. */
public final class ImportContext {
    private final NodeProto node;
    private final int opset;
    private final Attributes attributes;
    private final List<Node> nodes;
    private final Map<String, Tensor> constants;
    private final Path baseDir;
    private final OpRegistry registry;
    private final int depth;

    /** A context for {@code node}, in a graph nested {@code depth} control-flow bodies deep (0 for the model's graph). */
    ImportContext(NodeProto node, int opset, Path baseDir, OpRegistry registry, List<Node> nodes, Map<String, Tensor> constants,
            int depth) {
        this.depth = depth;
        this.node = node;
        this.opset = opset;
        this.baseDir = baseDir;
        this.registry = registry;
        this.attributes = new Attributes(node, baseDir);
        this.nodes = nodes;
        this.constants = constants;
    }

    /** The ONNX node. */
    public NodeProto node() {
        return node;
    }

    /** The default-domain opset the model imports. */
    public int opset() {
        return opset;
    }

    /** The node's attributes. */
    public Attributes attributes() {
        return attributes;
    }

    /** Input {@code i}'s value name, "" when absent or left out. */
    public String input(int i) {
        return i < node.getInputCount() ? node.getInput(i) : "";
    }

    /** The number of inputs the node names (including empty ones). */
    public int inputCount() {
        return node.getInputCount();
    }

    /** The constant value of input {@code i}, or null if it is not a constant. */
    public Tensor constantInput(int i) {
        String v = input(i);
        return v.isEmpty() ? null : constants.get(v);
    }

    /** Adds the node as one IR node applying {@code op} to the node's inputs and outputs. */
    public void emit(Op op) {
        nodes.add(new Node(node.getName(), op, node.getInputList(), node.getOutputList()));
    }

    /** Adds the node with the given inputs (for importers that move attributes into inputs). */
    public void emit(Op op, List<String> inputs) {
        nodes.add(new Node(node.getName(), op, inputs, node.getOutputList()));
    }

    /**
     * Adds the lowering's last IR node, under the node's name, writing only {@code outputs} (for a
     * lowering whose other outputs come from earlier parts).
     */
    public void emit(Op op, List<String> inputs, List<String> outputs) {
        nodes.add(new Node(node.getName(), op, inputs, outputs));
    }

    /**
     * Adds one intermediate IR node of a node lowered onto several primitives, named
     * {@code <node>::<part>}; it writes {@code outputs} (names from {@link #fresh}), and the
     * lowering's last node is added with {@link #emit(Op, List)} so the node's outputs keep their names.
     */
    public void emitPart(String part, Op op, List<String> inputs, List<String> outputs) {
        String base = node.getName().isEmpty() ? node.getOutput(0) : node.getName();
        nodes.add(new Node(base + "::" + part, op, inputs, outputs));
    }

    /** Registers a constant value (a folded {@code Constant}, or an attribute turned into an input). */
    public void constant(String name, Tensor value) {
        constants.put(name, value);
    }

    /** A fresh value name derived from the node's name, for constants and intermediates it creates. */
    public String fresh(String suffix) {
        String base = (node.getName().isEmpty() ? node.getOutput(0) : node.getName()) + "::" + suffix;
        String name = base;
        for (int i = 1; constants.containsKey(name); i++) {
            name = base + i;
        }
        return name;
    }

    /**
     * Imports the graph held by attribute {@code name} (a control-flow body) with the same
     * registry; it sees this graph's constants, and the other values it reads from this graph
     * are its captures.
     */
    public Subgraph subgraph(String name) {
        var a = attributes.raw(name);
        if (a == null || !a.hasG()) {
            throw error("graph attribute '" + name + "' is missing");
        }
        return OnnxModel.importSubgraph(a.getG(), opset, baseDir, registry, constants, depth + 1);
    }

    /** An error naming this node. */
    public UnsupportedModelException error(String what) {
        return new UnsupportedModelException(attributes.where() + ": " + what);
    }
}
