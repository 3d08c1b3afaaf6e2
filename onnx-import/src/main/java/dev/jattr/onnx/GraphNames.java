package dev.jattr.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The naming rules of an ONNX graph (the IR's single-assignment form): every value is defined
 * once, by an initializer, a graph input or one node output; inputs, outputs and node names are
 * unique; and a graph has at least one output. An initializer may also be listed as a graph input
 * (its default value), as models before IR version 4 do. A graph that breaks a rule is ambiguous
 * (which definition does a layer or a reader mean?), so it is refused naming the name.
 */
final class GraphNames {
    private GraphNames() {}

    /** Fails naming the first name {@code g} defines twice; {@code where} names the graph ("subgraph 'body'", or "the graph"). */
    static void check(GraphProto g, String where) {
        if (g.getOutputCount() == 0) {
            throw new UnsupportedModelException(where + " has no outputs");
        }
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            if (t.getName().isEmpty()) {
                throw new UnsupportedModelException(where + ": an initializer has no name");
            }
            if (!initializers.add(t.getName())) {
                throw new UnsupportedModelException(where + ": initializer '" + t.getName() + "' is defined twice");
            }
        }
        Set<String> inputs = unique(g.getInputList().stream().map(ValueInfoProto::getName).toList(), where, "input");
        unique(g.getOutputList().stream().map(ValueInfoProto::getName).toList(), where, "output");
        Map<String, NodeProto> written = new HashMap<>();
        Set<String> nodeNames = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            String node = "node '" + n.getName() + "' (" + n.getOpType() + ")";
            if (!n.getName().isEmpty() && !nodeNames.add(n.getName())) {
                throw new UnsupportedModelException(where + ": two nodes are named '" + n.getName() + "'");
            }
            for (String o : n.getOutputList()) {
                if (o.isEmpty()) {
                    continue;
                }
                if (initializers.contains(o)) {
                    throw new UnsupportedModelException(where + ": " + node + " writes '" + o + "', which is an initializer");
                }
                if (inputs.contains(o)) {
                    throw new UnsupportedModelException(where + ": " + node + " writes '" + o + "', which is a graph input");
                }
                NodeProto before = written.put(o, n);
                if (before != null) {
                    throw new UnsupportedModelException(where + ": value '" + o + "' is written by both node '" + before.getName()
                            + "' (" + before.getOpType() + ") and " + node);
                }
            }
        }
    }

    private static Set<String> unique(java.util.List<String> names, String where, String kind) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name.isEmpty()) {
                throw new UnsupportedModelException(where + ": a graph " + kind + " has no name");
            }
            if (!seen.add(name)) {
                throw new UnsupportedModelException(where + ": graph " + kind + " '" + name + "' is listed twice");
            }
        }
        return seen;
    }
}
