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
     * The PyTorch module path of the node, read from the exporter's scopes in its name. The
     * exporter writes one scope per module on the path, each scope being that module's path from
     * its last non-numeric part on, so a scope that extends the previous one by {@code .child}
     * names that child: {@code /layer4/layer4.1/conv2/Conv} → {@code layer4.1.conv2},
     * {@code /features/features.6/features.6.0/block/block.2/Mul} → {@code features.6.0.block.2};
     * {@code /block2/conv2/Conv} → {@code block2.conv2}. A top-level node gives {@code ""}.
     */
    public String modulePath() {
        if (!name.startsWith("/")) {
            return "";
        }
        int last = name.lastIndexOf('/');
        if (last <= 0) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        String previous = null;
        for (String scope : name.substring(1, last).split("/", -1)) {
            if (previous != null && scope.length() > previous.length() + 1 && scope.startsWith(previous)
                    && scope.charAt(previous.length()) == '.') {
                path.append(scope, previous.length(), scope.length());
            } else {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(scope);
            }
            previous = scope;
        }
        return path.toString();
    }

    /** A short description for messages: name and op type. */
    public String describe() {
        return "node '" + name + "' (" + op.type() + ")";
    }
}
