package dev.jattr.graph;

import dev.jattr.kernels.Backend;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The record of one forward run: every value it computed or was given, and the nodes it ran,
 * which is what the backward pass needs.
 */
public final class Trace {
    private final Graph graph;
    private final Backend backend;
    private final Map<String, Tensor> values;
    private final List<Node> executed;
    private final Set<String> known;

    Trace(Graph graph, Backend backend, Map<String, Tensor> values, List<Node> executed, Set<String> known) {
        this.graph = graph;
        this.backend = backend;
        this.values = values;
        this.executed = List.copyOf(executed);
        this.known = known;
    }

    /** The value named {@code name}: computed, given, or a constant. */
    public Tensor value(String name) {
        Tensor t = values.get(name);
        if (t == null) {
            t = graph.constants().get(name);
        }
        if (t == null) {
            throw new IllegalArgumentException("value '" + name + "' was not computed in this run");
        }
        return t;
    }

    /** Whether the run computed or was given {@code name} (constants excluded). */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The nodes this run executed, in order. */
    public List<Node> executed() {
        return executed;
    }

    /**
     * Reverse-mode pass: starting from the gradients {@code seeds} (value → ∂objective/∂value),
     * returns ∂objective/∂v for each {@code v} in {@code wrt} (zeros where the objective does not
     * depend on it), applying {@code rules} at each node.
     */
    public Map<String, Tensor> backward(Map<String, Tensor> seeds, Collection<String> wrt, BackwardRules rules) {
        return CurrentBackend.call(backend, () -> backwardOnBackend(seeds, wrt, rules));
    }

    private Map<String, Tensor> backwardOnBackend(Map<String, Tensor> seeds, Collection<String> wrt,
            BackwardRules rules) {
        Set<String> sources = new HashSet<>(wrt);
        // Only nodes downstream of a wrt value can carry gradient to it.
        Set<String> downstream = new HashSet<>(sources);
        boolean[] relevant = new boolean[executed.size()];
        for (int i = 0; i < executed.size(); i++) {
            Node n = executed.get(i);
            if (n.inputs().stream().anyMatch(downstream::contains)) {
                relevant[i] = true;
                n.outputs().forEach(downstream::add);
            }
        }
        Map<String, Tensor> grads = new HashMap<>();
        seeds.forEach((k, v) -> accumulate(grads, k, v));
        for (int i = executed.size() - 1; i >= 0; i--) {
            if (!relevant[i]) {
                continue;
            }
            Node n = executed.get(i);
            boolean any = false;
            Tensor[] out = new Tensor[n.outputs().size()];
            Tensor[] gout = new Tensor[out.length];
            for (int k = 0; k < out.length; k++) {
                String name = n.outputs().get(k);
                if (name.isEmpty()) {
                    continue;
                }
                out[k] = values.get(name);
                gout[k] = grads.get(name);
                any |= gout[k] != null;
            }
            if (!any) {
                continue;
            }
            for (int k = 0; k < out.length; k++) {
                if (gout[k] == null && out[k] != null && out[k].dtype().isFloating()) {
                    gout[k] = Tensor.zeros(out[k].dtype(), out[k].shape());
                }
            }
            Tensor[] in = new Tensor[n.inputs().size()];
            boolean[] wanted = new boolean[in.length];
            for (int k = 0; k < in.length; k++) {
                String name = n.inputs().get(k);
                if (!name.isEmpty()) {
                    in[k] = value(name);
                    wanted[k] = downstream.contains(name) && in[k].dtype().isFloating();
                }
            }
            Tensor[] gin;
            try {
                gin = rules.ruleFor(n).backward(n, in, out, gout, wanted);
            } catch (ExecutionException e) {
                throw e;
            } catch (NoGradientException e) {
                throw new ExecutionException(n.describe() + " has no gradient, but the attribution's path crosses it", e);
            } catch (RuntimeException e) {
                throw new ExecutionException(n.describe() + " (backward)", e);
            }
            for (int k = 0; k < in.length; k++) {
                if (wanted[k] && gin[k] != null) {
                    accumulate(grads, n.inputs().get(k), gin[k]);
                }
            }
        }
        Map<String, Tensor> result = new HashMap<>();
        for (String w : wrt) {
            Tensor g = grads.get(w);
            if (g == null) {
                Tensor v = value(w);
                g = Tensor.zeros(v.dtype(), v.shape());
            }
            result.put(w, g);
        }
        return result;
    }

    private static void accumulate(Map<String, Tensor> grads, String name, Tensor g) {
        grads.merge(name, g, Tensors::add);
    }

    /** Whether {@code name} was given to the run rather than computed. */
    public boolean isKnown(String name) {
        return known.contains(name);
    }
}
