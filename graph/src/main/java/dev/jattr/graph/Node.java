package dev.jattr.graph;

import java.util.List;

/**
 * One operation in a {@link Graph}: a named application of an {@link Op} to named values.
 * An empty input name stands for an optional input the model leaves out.
 *
 * @param name    the node's name (the ONNX node name, unique in the graph)
 * @param op      the primitive it applies
 * @param inputs  names of the values it reads
 * @param outputs names of the values it writes
 */
public record Node(String name, Op op, List<String> inputs, List<String> outputs) {
    /** Validates and freezes the lists. */
    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("node " + name + " (" + op.type() + ") has no outputs");
        }
    }

    /**
     * The PyTorch module path of the node, read from the exporter's scope in its name:
     * {@code /block2/conv2/Conv} → {@code block2.conv2}; a top-level node gives {@code ""}.
     */
    public String modulePath() {
        if (!name.startsWith("/")) {
            return "";
        }
        int last = name.lastIndexOf('/');
        return last <= 0 ? "" : name.substring(1, last).replace('/', '.');
    }

    /** A short description for messages: name and op type. */
    public String describe() {
        return "node '" + name + "' (" + op.type() + ")";
    }
}
