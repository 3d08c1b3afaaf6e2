package dev.jattr.graph;

import dev.jattr.kernels.Backend;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
    private final Arena arena = new Arena();
    private final NodeTimer timer;
    /** Compiled plans, the most recently used last; a few dozen at most. */
    private final Map<Plan.Key, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Plan.Key, Plan> eldest) {
            return size() > 32;
        }
    };

    /** An executor for {@code graph} on the backend that is current where it is created ({@link CurrentBackend}). */
    public Executor(Graph graph) {
        this(graph, CurrentBackend.get());
    }

    /** An executor for {@code graph} whose runs, and the backward passes of their traces, compute on {@code backend}. */
    public Executor(Graph graph, Backend backend) {
        this(graph, backend, null);
    }

    private Executor(Graph graph, Backend backend, NodeTimer timer) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.timer = timer;
        for (Tensor t : graph.constants().values()) {
            if (t.hasElements()) {
                backend.markConstant(t.data()); // tensors are immutable once handed to the engine
            }
        }
    }

    /** Receives the time each node's forward computation took, for profiling. */
    @FunctionalInterface
    public interface NodeTimer {
        /** Node {@code node} computed its outputs in {@code nanos} nanoseconds. */
        void record(Node node, long nanos);
    }

    /**
     * An executor of the same graph and backend (with its own plans and arena) that reports the
     * time of every node's forward computation to {@code timer}; the executor itself is unchanged.
     * On a device that runs kernels asynchronously it waits for the device before and after each
     * node ({@link Backend#awaitDevice}), so that each node's time includes its own device work
     * and no other's, at the price of the overlap an unprofiled run has.
     */
    public Executor profiled(NodeTimer timer) {
        return new Executor(graph, backend, Objects.requireNonNull(timer, "timer"));
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
     * follow, so each intermediate value is released once its last consumer has run.
     */
    public Map<String, Tensor> forward(Map<String, Tensor> inputs) {
        List<String> outs = graph.outputs().stream().map(ValueInfo::name).toList();
        Trace t = run(inputs, outs, Retention.RESULTS);
        Map<String, Tensor> r = new LinkedHashMap<>();
        for (String o : outs) {
            r.put(o, t.value(o));
        }
        return r;
    }

    /**
     * Computes {@code targets} from {@code known}, running just the nodes needed, and returns the
     * trace of every value computed (for reading layers and for the backward pass).
     */
    public Trace run(Map<String, Tensor> known, Collection<String> targets) {
        return run(known, targets, Retention.EVERYTHING);
    }

    /**
     * Computes {@code targets} from {@code known} and returns a trace keeping what
     * {@code retention} says: the values no later step reads are released as soon as possible,
     * and their buffers reused by later runs of this executor.
     */
    public Trace run(Map<String, Tensor> known, Collection<String> targets, Retention retention) {
        Plan plan = plan(known, targets, retention, null);
        return CurrentBackend.call(backend, () -> execute(plan, known));
    }

    /**
     * Like {@link #run(Map, Collection, Retention)} with {@link Retention#GRADIENT}, for the one
     * backward pass that takes gradients with respect to values in {@code wrt} only (known or
     * computed): nodes that none of them feeds keep nothing for that pass, and may run fused as
     * a run without one does (a convolution with its SiLU, say). A backward pass with respect to
     * any other value fails.
     */
    public Trace runForGradient(Map<String, Tensor> known, Collection<String> targets, Collection<String> wrt) {
        for (String v : wrt) {
            if (!graph.hasValue(v)) {
                throw new IllegalArgumentException("the graph has no value named '" + v + "'");
            }
        }
        Plan plan = plan(known, targets, Retention.GRADIENT, Set.copyOf(wrt));
        return CurrentBackend.call(backend, () -> execute(plan, known));
    }

    /** The cached plan for this run, compiled on first use. */
    private Plan plan(Map<String, Tensor> known, Collection<String> targets, Retention retention, Set<String> wrt) {
        Plan.Key key = Plan.Key.of(known, targets, retention, wrt);
        synchronized (plans) {
            Plan p = plans.get(key);
            if (p != null) {
                return p;
            }
        }
        Plan p = new Plan(graph, known.keySet(), targets, retention, wrt);
        synchronized (plans) {
            plans.put(key, p);
        }
        return p;
    }

    /** The arena this executor's runs draw their buffers from. */
    public Arena arena() {
        return arena;
    }

    /** The bytes of the values the first run of this plan computed (views of other values not counted), or -1 before it ran. */
    public long activationBytes(Map<String, Tensor> known, Collection<String> targets, Retention retention) {
        return plan(known, targets, retention, null).activationBytes;
    }

    private Trace execute(Plan plan, Map<String, Tensor> known) {
        backend.runStarting();
        if (backend.keepsDeviceCopies()) {
            for (Tensor t : known.values()) {
                if (t != null && t.hasElements()) {
                    backend.hostChanged(t.data()); // the caller may have written it since the last run
                }
            }
        }
        Buffers buffers = new Buffers(Arena.enabled() ? arena : null);
        Map<String, Tensor> values = new HashMap<>(known);
        boolean keepShapes = plan.retention == Retention.GRADIENT;
        Map<String, Tensor> released = new HashMap<>();
        long[] bytes = {0};
        buffers.call(() -> {
            List<Node> steps = plan.steps;
            for (int i = 0; i < steps.size(); i++) {
                Node n = steps.get(i);
                Tensor[] out = execute(n, values);
                for (Tensor t : out) {
                    buffers.hold(t);
                }
                for (int k = 0; k < out.length; k++) {
                    if (k >= n.outputs().size() || n.outputs().get(k).isEmpty()) {
                        buffers.drop(out[k]); // an output the model does not name
                    } else if (out[k] != null && !isView(out[k], n, values)) {
                        bytes[0] += (long) out[k].size() * out[k].dtype().bytes();
                    }
                }
                buffers.sweep();
                for (String v : plan.dropAfter.get(i)) {
                    Tensor t = values.remove(v);
                    if (t != null && keepShapes) {
                        released.put(v, Tensor.released(t));
                    }
                    buffers.drop(t);
                }
            }
            return null;
        });
        if (plan.activationBytes < 0) {
            plan.activationBytes = bytes[0];
        }
        buffers.forgetUnheld();
        return new Trace(graph, backend, arena, plan, values, released, buffers, Set.copyOf(known.keySet()), bytes[0]);
    }
    /** Whether {@code t} shares the elements of one of {@code n}'s inputs (Reshape, Identity…), so took no memory of its own. */
    private boolean isView(Tensor t, Node n, Map<String, Tensor> values) {
        List<String> inputs = n.inputs();
        for (int i = 0; i < inputs.size(); i++) { // indexed: an iterator per node and run was garbage
            String v = inputs.get(i);
            Tensor in = v.isEmpty() ? null : values.getOrDefault(v, graph.constants().get(v));
            if (in != null && in.hasElements() && t.hasElements() && in.data() == t.data()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code op}: on a backend that keeps device copies, an op that runs on the device leaves
     * its values there; any other op gets its inputs brought to the host, its kernel calls copy
     * their operands, and its outputs count as written by the host.
     */
    private Tensor[] forward(Op op, Tensor[] in) {
        if (!backend.keepsDeviceCopies()) {
            return op.forward(in);
        }
        if (op.runsOnDevice(in)) {
            // inputs stay where they are, but for those the op reads on the host: no wait for the
            // device before a device op (DeviceCopiesParityTest runs the corpus and the zoo with
            // host copies left stale)
            for (int i = 0; i < in.length; i++) {
                if (in[i] != null && in[i].hasElements() && op.readsOnHost(i)) {
                    backend.syncToHost(in[i].data());
                }
            }
            return backend.onDevice(() -> op.forward(in));
        }
        for (Tensor t : in) {
            if (t != null && t.hasElements()) {
                backend.syncToHost(t.data());
            }
        }
        Tensor[] out = op.forward(in);
        for (Tensor t : out) {
            if (t != null && t.hasElements()) {
                backend.hostChanged(t.data());
            }
        }
        return out;
    }

    /** Runs node {@code n} on {@code values}, adds its named outputs to them and returns all it produced. */
    private Tensor[] execute(Node n, Map<String, Tensor> values) {
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
            if (timer == null) {
                out = forward(n.op(), in);
            } else {
                backend.awaitDevice(); // each node is charged its own device work
                long t0 = System.nanoTime();
                out = forward(n.op(), in);
                backend.awaitDevice();
                timer.record(n, System.nanoTime() - t0);
            }
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
        return out;
    }
}
