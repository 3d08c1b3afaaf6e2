package dev.jattr.graph.ops;

import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ValueInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a control-flow op (If branch, Loop or Scan body): a graph whose first inputs are
 * the body's formal parameters and whose remaining inputs are the outer-scope values it
 * captures. The op's node reads the captured values as extra inputs, so the outer graph's
 * executor supplies them.
 *
 * @param graph    the body; its inputs are the formals followed by {@code captures}
 * @param captures the outer-scope value names the body reads
 */
public record Subgraph(Graph graph, List<String> captures) {
    /** Freezes the list. */
    public Subgraph {
        captures = List.copyOf(captures);
    }

    /** The number of formal inputs (those before the captures). */
    public int formalCount() {
        return graph.inputs().size() - captures.size();
    }

    /** The number of outputs. */
    public int outputCount() {
        return graph.outputs().size();
    }

    /**
     * Runs the body with {@code formals} bound to its formal inputs and {@code outer} supplying
     * captured values by name; returns its outputs in order.
     */
    public Tensor[] run(List<Tensor> formals, Map<String, Tensor> outer) {
        if (formals.size() != formalCount()) {
            throw new IllegalArgumentException("the body takes " + formalCount() + " inputs, was given " + formals.size());
        }
        Map<String, Tensor> known = new HashMap<>();
        for (String c : captures) {
            Tensor v = outer.get(c);
            if (v != null) {
                known.put(c, v);
            }
        }
        for (int k = 0; k < formals.size(); k++) {
            String name = graph.inputs().get(k).name();
            if (formals.get(k) != null && !name.isEmpty()) {
                known.put(name, formals.get(k));
            }
        }
        List<String> outs = graph.outputs().stream().map(ValueInfo::name).toList();
        var trace = new Executor(graph).run(known, outs);
        return outs.stream().map(trace::value).toArray(Tensor[]::new);
    }

    /** The captured values of a node whose inputs end with them, by name. */
    public static Map<String, Tensor> captured(List<String> names, Tensor[] inputs, int first) {
        Map<String, Tensor> m = new HashMap<>();
        for (int k = 0; k < names.size(); k++) {
            m.put(names.get(k), inputs[first + k]);
        }
        return m;
    }
}
