package dev.jattr.graph;

import dev.jattr.kernels.Arithmetic;
import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.Backend;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The record of one forward run: the values it was given and the computed values its
 * {@link Retention} keeps, and the nodes it ran, which is what the backward pass needs.
 *
 * <p>A trace holds the buffers of the values it keeps. Closing it gives them back to the
 * executor that ran it, for its next runs; a trace that is not closed leaves them to the garbage
 * collector.
 */
public final class Trace implements AutoCloseable {
    private final Graph graph;
    private final Backend backend;
    private final Arena arena;
    private final Plan plan;
    private final Map<String, Tensor> values;
    /** The type and shape of each value released during the forward pass (for {@link Retention#GRADIENT}). */
    private final Map<String, Tensor> released;
    /** The forward run's buffers, for releasing kept values once the backward pass is past them. */
    private final Buffers buffers;
    private final Set<String> known;
    private final long computedBytes;
    private boolean spent;
    private boolean closed;

    Trace(Graph graph, Backend backend, Arena arena, Plan plan, Map<String, Tensor> values, Map<String, Tensor> released,
            Buffers buffers, Set<String> known, long computedBytes) {
        this.computedBytes = computedBytes;
        this.graph = graph;
        this.backend = backend;
        this.arena = arena;
        this.plan = plan;
        this.values = values;
        this.released = released;
        this.buffers = buffers;
        this.known = known;
    }

    /** The value named {@code name}: computed, given, or a constant. */
    public Tensor value(String name) {
        if (closed) {
            throw new IllegalStateException("this trace was closed: its values went back to the executor");
        }
        Tensor t = values.get(name);
        if (t == null) {
            t = graph.constants().get(name);
        }
        if (t == null) {
            if (released.containsKey(name) || graph.hasValue(name) && plan.steps.stream().anyMatch(n -> n.outputs().contains(name))) {
                throw new IllegalArgumentException("value '" + name + "' was released: this run (" + plan.retention
                        + ") did not keep it; name it as a target to read it");
            }
            throw new IllegalArgumentException("value '" + name + "' was not computed in this run");
        }
        if (t.hasElements() && backend.keepsDeviceCopies()) {
            backend.syncToHost(t.data());
        }
        return t;
    }

    /** The value named {@code name} as the run left it: on a device, not brought to the host. */
    Tensor unsynced(String name) {
        Tensor t = values.get(name);
        return t != null ? t : graph.constants().get(name);
    }

    /** Whether the run was given {@code name} or computed and still keeps it (constants excluded). */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The nodes this run executed, in order. */
    public List<Node> executed() {
        return plan.steps;
    }

    /** The bytes of every value the run computed, kept or released (views of other values not counted). */
    public long computedBytes() {
        return computedBytes;
    }

    /** What this run keeps. */
    public Retention retention() {
        return plan.retention;
    }

    /**
     * Reverse-mode pass: starting from the gradients {@code seeds} (value → ∂objective/∂value),
     * returns ∂objective/∂v for each {@code v} in {@code wrt} (zeros where the objective does not
     * depend on it), applying {@code rules} at each node. Only nodes between a seed and a
     * {@code wrt} value run their rule; with the plain gradient each gradient is released once
     * consumed and the buffers are reused. A trace kept
     * for the {@link Retention#GRADIENT} allows one such pass, with {@link BackwardRules#gradient()}.
     */
    public Map<String, Tensor> backward(Map<String, Tensor> seeds, Collection<String> wrt, BackwardRules rules) {
        return backward(seeds, wrt, rules, true);
    }

    /**
     * {@link #backward}; {@code pooled}: its buffers come from the executor's arena and its results
     * are brought to the host, otherwise (a pass being recorded) its buffers are fresh and its own,
     * and its results stay where they were computed.
     */
    Map<String, Tensor> backward(Map<String, Tensor> seeds, Collection<String> wrt, BackwardRules rules, boolean pooled) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("this trace was closed: its values went back to the executor");
            }
            if (plan.retention == Retention.RESULTS) {
                throw new IllegalStateException("this run kept only its results (" + Retention.RESULTS + "): no backward pass can follow");
            }
            if (plan.retention == Retention.GRADIENT) {
                if (rules != BackwardRules.gradient()) {
                    throw new IllegalStateException("this run kept only what the plain gradient reads (" + Retention.GRADIENT
                            + "): run with " + Retention.EVERYTHING + " for other backward rules");
                }
                if (spent) {
                    throw new IllegalStateException("this run kept its values for one backward pass, which has been made");
                }
                if (plan.wrt != null && !plan.wrt.containsAll(wrt)) {
                    throw new IllegalStateException("this run kept what gradients with respect to " + new java.util.TreeSet<>(plan.wrt)
                            + " read, not gradients with respect to " + new java.util.TreeSet<>(wrt));
                }
                spent = true;
            }
        }
        return CurrentBackend.call(backend, () -> {
            if (rules != BackwardRules.gradient()) {
                // another rule set may keep tensors between nodes (DeepLift does): it gets fresh
                // buffers and none is reused or written in place; on a backend that keeps device
                // copies it runs on the host
                return backend.onHost(() -> new BackwardPass(new Buffers(Arena.enabled() ? arena : null), false)
                        .run(seeds, wrt, rules));
            }
            Buffers grads = new Buffers(pooled && Arena.enabled() ? arena : null);
            Map<String, Tensor> r = grads.call(() -> new BackwardPass(grads, backend.keepsDeviceCopies())
                    .run(seeds, wrt, rules));
            if (backend.keepsDeviceCopies() && pooled) {
                for (Tensor t : r.values()) {
                    if (t.hasElements()) {
                        backend.syncToHost(t.data());
                    }
                }
            }
            return r;
        });
    }

    /**
     * Gives the buffers of the computed values this trace still keeps back to its executor, for
     * its next runs. The caller must hold on to none of those values (or views of them): their
     * elements will be overwritten. Given values are the caller's and are left alone. Closing
     * twice does nothing; reading a value afterwards fails.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Map.Entry<String, Tensor> e : values.entrySet()) {
            if (!known.contains(e.getKey())) {
                buffers.drop(e.getValue());
            }
        }
        values.clear();
    }

    /** Whether {@code name} was given to the run rather than computed. */
    public boolean isKnown(String name) {
        return known.contains(name);
    }

    /** The value {@code name} as a backward rule sees it: kept, given, constant, or just its type and shape. */
    private Tensor forBackward(String name) {
        Tensor t = values.get(name);
        if (t == null) {
            t = released.get(name);
        }
        return t != null ? t : value(name);
    }

    /** One backward pass: the gradients alive at each point and the buffers they hold. */
    private final class BackwardPass {
        private final Buffers owned;
        private final Map<String, Tensor> grads = new HashMap<>();
        /** Whether gradients may stay on the backend's device: rules that run there leave them there. */
        private final boolean device;

        BackwardPass(Buffers owned, boolean device) {
            this.owned = owned;
            this.device = device;
        }

        /** Brings {@code ts}' newer device copies to the host, where the host is about to read them. */
        private void toHost(Tensor... ts) {
            for (Tensor t : ts) {
                if (t != null && t.hasElements()) {
                    backend.syncToHost(t.data());
                }
            }
        }

        /** Runs node {@code n}'s rule: on the device where the op's backward runs there, else on the host. */
        private Tensor[] backward(BackwardRule rule, Node n, Tensor[] in, Tensor[] out, Tensor[] gout, boolean[] wanted) {
            if (!device) {
                return rule.backward(n, in, out, gout, wanted);
            }
            if (n.op().backwardRunsOnDevice(in, out, gout, wanted)) {
                return backend.onDevice(() -> rule.backward(n, in, out, gout, wanted));
            }
            toHost(in);
            toHost(out);
            toHost(gout);
            Tensor[] gin = rule.backward(n, in, out, gout, wanted);
            for (Tensor g : gin) {
                if (g != null && g.hasElements()) {
                    backend.hostChanged(g.data());
                }
            }
            return gin;
        }

        Map<String, Tensor> run(Map<String, Tensor> seeds, Collection<String> wrt, BackwardRules rules) {
            List<Node> executed = plan.steps;
            Set<String> sources = new HashSet<>(wrt);
            // Only nodes downstream of a wrt value can carry gradient to it (the plan's rule).
            Set<String> downstream = Plan.downstream(executed, sources);
            boolean[] relevant = new boolean[executed.size()];
            for (int i = 0; i < executed.size(); i++) {
                relevant[i] = executed.get(i).inputs().stream().anyMatch(downstream::contains);
            }
            if (device) {
                for (Tensor s : seeds.values()) {
                    if (s.hasElements()) {
                        backend.hostChanged(s.data()); // the caller wrote it on the host
                    }
                }
            }
            seeds.forEach(this::accumulate);
            for (int i = executed.size() - 1; i >= 0; i--) {
                if (relevant[i]) {
                    step(executed.get(i), downstream, sources, rules);
                }
                if (plan.retention == Retention.GRADIENT) {
                    for (String v : plan.releaseInBackward.getOrDefault(i, List.of())) {
                        releaseForward(v);
                    }
                }
            }
            Map<String, Tensor> result = new HashMap<>();
            for (String w : wrt) {
                Tensor g = grads.get(w);
                if (g == null) {
                    Tensor v = forBackward(w);
                    g = Tensor.zeros(v.dtype(), v.shape());
                }
                result.put(w, g);
            }
            return result;
        }

        private void step(Node n, Set<String> downstream, Set<String> sources, BackwardRules rules) {
            boolean any = false;
            Tensor[] out = new Tensor[n.outputs().size()];
            Tensor[] gout = new Tensor[out.length];
            for (int k = 0; k < out.length; k++) {
                String name = n.outputs().get(k);
                if (name.isEmpty()) {
                    continue;
                }
                out[k] = values.containsKey(name) || released.containsKey(name) ? forBackward(name) : null;
                gout[k] = grads.get(name);
                any |= gout[k] != null;
            }
            if (!any) {
                return;
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
                    in[k] = forBackward(name);
                    wanted[k] = downstream.contains(name) && in[k].dtype().isFloating();
                }
            }
            Tensor[] gin;
            try {
                gin = backward(rules.ruleFor(n), n, in, out, gout, wanted);
            } catch (ExecutionException e) {
                throw e;
            } catch (NoGradientException e) {
                throw new ExecutionException(n.describe() + " has no gradient, but the attribution's path crosses it", e);
            } catch (RuntimeException e) {
                throw new ExecutionException(n.describe() + " (backward)", e);
            }
            for (int k = 0; k < in.length; k++) {
                if (wanted[k] && gin[k] != null) {
                    accumulate(n.inputs().get(k), gin[k]);
                }
            }
            // The outputs' gradients are consumed (a wrt value's is the result); the zeros made for
            // them and the rule's temporaries go back too.
            for (int k = 0; k < out.length; k++) {
                String name = n.outputs().get(k);
                if (!name.isEmpty() && !sources.contains(name)) {
                    owned.drop(grads.remove(name));
                }
            }
            owned.sweep();
        }

        /** Adds {@code g} to {@code name}'s gradient: in place when this pass owns that buffer alone. */
        private void accumulate(String name, Tensor g) {
            Tensor old = grads.get(name);
            owned.hold(g);
            if (old == null) {
                grads.put(name, g);
                return;
            }
            if (owned.owns(old) && owned.holders(old) == 1 && old.data() != g.data() && old.dtype() == g.dtype()
                    && old.dtype().isFloating() && java.util.Arrays.equals(old.shape(), g.shape())) {
                if (device && old.dtype() == DType.F32) {
                    float[] a = old.floats();
                    backend.onDevice(() -> {
                        backend.elementwise().binary(Arithmetic.ADD, a, g.floats(), false, new AxisView(1, a.length, 1), a);
                        return null;
                    });
                } else {
                    if (device) {
                        toHost(old, g);
                    }
                    addInto(old, g);
                    if (device) {
                        backend.hostChanged(old.data());
                    }
                }
            } else {
                if (device) {
                    toHost(old, g);
                }
                Tensor sum = Tensors.add(old, g);
                owned.hold(sum);
                grads.put(name, sum);
                owned.drop(old);
            }
            owned.drop(g);
        }

        /** Releases forward value {@code v} once no node left in this pass reads it, unless a gradient shares its buffer. */
        private void releaseForward(String v) {
            Tensor t = values.get(v);
            if (t == null || known.contains(v)) {
                return;
            }
            values.remove(v);
            released.put(v, Tensor.released(t));
            for (Tensor g : grads.values()) {
                if (g.hasElements() && g.data() == t.data()) {
                    buffers.pin(t);
                    return;
                }
            }
            buffers.drop(t);
        }
    }

    private static void addInto(Tensor acc, Tensor g) {
        if (acc.dtype() == DType.F32) {
            float[] a = acc.floats();
            CurrentBackend.get().elementwise().binary(Arithmetic.ADD, a, g.floats(), false, new AxisView(1, a.length, 1), a);
        } else {
            double[] a = acc.doubles(), b = g.doubles();
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
        }
    }
}
