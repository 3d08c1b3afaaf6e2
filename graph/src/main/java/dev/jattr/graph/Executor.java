package dev.jattr.graph;

import dev.jattr.kernels.Backend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a {@link Graph}. A run is given the values it already knows and the values it must
 * produce; it executes only the nodes between them. Known values act as leaves: the node that
 * would produce a known value does not run, which is how a layer's output (or input) is
 * replaced, and how a run starts at a layer instead of at the model's inputs. A known value
 * also takes precedence over a constant of the same name.
 */
public final class Executor {
    private final Graph graph;
    private final Backend backend;

    /** An executor for {@code graph} on the backend that is current where it is created ({@link CurrentBackend}). */
    public Executor(Graph graph) {
        this(graph, CurrentBackend.get());
    }

    /** An executor for {@code graph} whose runs, and the backward passes of their traces, compute on {@code backend}. */
    public Executor(Graph graph, Backend backend) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** The graph it runs. */
    public Graph graph() {
        return graph;
    }

    /** The backend its runs compute on. */
    public Backend backend() {
        return backend;
    }

    /**
     * Runs the whole model from its inputs and returns its outputs by name. No backward pass can
     * follow, so each intermediate value is dropped once its last consumer has run.
     */
    public Map<String, Tensor> forward(Map<String, Tensor> inputs) {
        return CurrentBackend.call(backend, () -> forwardOnBackend(inputs));
    }

    private Map<String, Tensor> forwardOnBackend(Map<String, Tensor> inputs) {
        List<String> outs = graph.outputs().stream().map(ValueInfo::name).toList();
        List<Node> plan = plan(inputs.keySet(), outs);
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            for (String v : plan.get(i).inputs()) {
                lastUse.put(v, i);
            }
        }
        outs.forEach(lastUse::remove);
        List<List<String>> dropAfter = new ArrayList<>();
        plan.forEach(n -> dropAfter.add(new ArrayList<>()));
        lastUse.forEach((v, i) -> dropAfter.get(i).add(v));
        Map<String, Tensor> values = new HashMap<>(inputs);
        for (int i = 0; i < plan.size(); i++) {
            execute(plan.get(i), values);
            dropAfter.get(i).forEach(values::remove);
        }
        Map<String, Tensor> r = new java.util.LinkedHashMap<>();
        for (String o : outs) {
            Tensor t = values.get(o);
            r.put(o, t != null ? t : graph.constants().get(o));
        }
        return r;
    }

    /**
     * Computes {@code targets} from {@code known}, running just the nodes needed, and returns the
     * trace of every value computed (for reading layers and for the backward pass).
     */
    public Trace run(Map<String, Tensor> known, Collection<String> targets) {
        return CurrentBackend.call(backend, () -> runOnBackend(known, targets));
    }

    private Trace runOnBackend(Map<String, Tensor> known, Collection<String> targets) {
        List<Node> plan = plan(known.keySet(), targets);
        Map<String, Tensor> values = new HashMap<>(known);
        for (Node n : plan) {
            execute(n, values);
        }
        return new Trace(graph, backend, values, plan, Set.copyOf(known.keySet()));
    }

    /** Runs node {@code n} on {@code values} and adds its named outputs to them. */
    private void execute(Node n, Map<String, Tensor> values) {
        Tensor[] in = new Tensor[n.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            String v = n.inputs().get(i);
            if (!v.isEmpty()) {
                Tensor t = values.get(v);
                in[i] = t != null ? t : graph.constants().get(v);
            }
        }
        Tensor[] out;
        try {
            out = n.op().forward(in);
        } catch (ExecutionException e) {
            throw e;
        } catch (RuntimeException e) {
            if (Failures.isExplained(e)) {
                throw new ExecutionException(n.describe(), e);
            }
            ExecutionException x = new ExecutionException(n.describe() + ": cannot run on inputs of shapes " + Failures.shapes(in)
                    + " (an input is missing, of the wrong type, or out of range)");
            x.initCause(e);
            throw x;
        }
        if (out.length < n.outputs().size()) {
            throw new ExecutionException(n.describe() + ": produced " + out.length + " outputs, the model names "
                    + n.outputs().size());
        }
        for (int i = 0; i < n.outputs().size(); i++) {
            String name = n.outputs().get(i);
            if (!name.isEmpty()) {
                values.put(name, out[i]);
            }
        }
    }

    private List<Node> plan(Set<String> known, Collection<String> targets) {
        Set<String> needed = new HashSet<>();
        for (String t : targets) {
            if (!graph.hasValue(t)) {
                throw new IllegalArgumentException("the graph has no value named '" + t + "'");
            }
            needed.add(t);
        }
        List<Node> nodes = graph.nodes();
        boolean[] run = new boolean[nodes.size()];
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            boolean useful = false;
            for (String o : n.outputs()) {
                if (needed.contains(o) && !known.contains(o)) {
                    useful = true;
                    break;
                }
            }
            if (!useful) {
                continue;
            }
            run[i] = true;
            for (String v : n.inputs()) {
                if (!v.isEmpty() && !known.contains(v) && !graph.isConstant(v)) {
                    needed.add(v);
                }
            }
        }
        for (String v : needed) {
            if (!known.contains(v) && graph.isInput(v) && graph.producer(v).isEmpty()) {
                String user = graph.consumers(v).stream().findFirst().map(Node::describe).orElse("an output");
                throw new IllegalArgumentException("graph input '" + v + "' was not given (it is needed by " + user + ")");
            }
        }
        List<Node> plan = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (run[i]) {
                plan.add(nodes.get(i));
            }
        }
        return plan;
    }
}
