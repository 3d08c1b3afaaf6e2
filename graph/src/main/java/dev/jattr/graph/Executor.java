package dev.jattr.graph;

import dev.jattr.kernels.Backend;
import dev.jattr.kernels.DeviceRecording;
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
    /** Whether forward passes replay recorded device work where the backend records it. */
    private final boolean replays;
    /** Compiled plans, the most recently used last; a few dozen at most. */
    private final Map<Plan.Key, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Plan.Key, Plan> eldest) {
            if (size() <= 32) {
                return false;
            }
            synchronized (eldest.getValue()) {
                if (eldest.getValue().replay != null) {
                    eldest.getValue().replay.recording().close();
                    eldest.getValue().replay = null;
                }
            }
            return true;
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
        this(graph, backend, timer, REPLAY);
    }

    private Executor(Graph graph, Backend backend, NodeTimer timer, boolean replays) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.timer = timer;
        this.replays = replays;
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

    /**
     * An executor of the same graph and backend (with its own plans and arena) whose forward
     * passes always run op by op, never replaying a recording of their device work: for
     * comparisons, and where each op's host side must run every time.
     */
    public Executor opByOp() {
        return new Executor(graph, backend, timer, false);
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
        Plan plan = plan(inputs, outs, Retention.RESULTS, null);
        if (replays && timer == null && backend.keepsDeviceCopies()) {
            Map<String, Tensor> r = replayed(plan, inputs, outs);
            if (r != null) {
                return r;
            }
        }
        Trace t = CurrentBackend.call(backend, () -> execute(plan, inputs, true));
        Map<String, Tensor> r = new LinkedHashMap<>();
        for (String o : outs) {
            r.put(o, t.value(o));
        }
        return r;
    }

    /** Whether forward passes on a device that records work replay it ({@code -Djattr.replay=false}: never). */
    private static final boolean REPLAY = !"false".equals(System.getProperty("jattr.replay"));

    /**
     * A forward pass replayed from a recording of its device work, or null where this plan runs
     * op by op. The first run of a plan goes op by op (it uploads the weights and finds whether
     * every op runs on the device); the second records its device work ({@link Backend#record})
     * into copies of the inputs and values of its own, and replays it; later ones copy their inputs
     * into those copies and replay. Each replay issues the pass's kernels in one call, so the
     * host's time per op is spent once per plan. The outputs are copies: the next replay rewrites
     * the recording's own.
     */
    private Map<String, Tensor> replayed(Plan plan, Map<String, Tensor> inputs, List<String> outs) {
        return replayed(plan, inputs, own -> {
            Trace run = execute(plan, own, false);
            Map<String, Tensor> written = new LinkedHashMap<>();
            for (String o : outs) {
                written.put(o, run.unsynced(o));
            }
            return written;
        });
    }

    /**
     * The outputs of {@code pass} on {@code inputs}, replayed from the plan's recording of its
     * device work (recorded now if the plan has none), or null where the plan runs op by op.
     * {@code pass} gets the recording's own copies of the inputs, already on the device, and
     * returns the values it writes, where it left them; the results are copies brought to the host.
     */
    private Map<String, Tensor> replayed(Plan plan, Map<String, Tensor> inputs,
            java.util.function.Function<Map<String, Tensor>, Map<String, Tensor>> pass) {
        synchronized (plan) {
            if (plan.replayRefused || plan.hostSteps || plan.runs < 1) {
                return null;
            }
            for (Tensor t : inputs.values()) {
                if (t == null || !t.hasElements()) {
                    return null;
                }
            }
            Replay r = plan.replay;
            if (r == null) {
                Map<String, Tensor> own = new HashMap<>();
                inputs.forEach((name, t) -> own.put(name, t.copy()));
                for (Tensor t : own.values()) {
                    backend.toDevice(t.data()); // before the recording, which must not copy them itself
                }
                Map<String, Tensor> ownInputs = Map.copyOf(own);
                @SuppressWarnings("unchecked")
                Map<String, Tensor>[] written = new Map[1];
                DeviceRecording recording;
                try {
                    recording = backend.record(() -> written[0] = CurrentBackend.call(backend, () -> pass.apply(ownInputs)));
                } catch (RuntimeException e) {
                    plan.replayRefused = true; // something in the pass waits for the device: op by op
                    return null;
                }
                if (recording == null) {
                    plan.replayRefused = true; // the backend ran the pass as usual
                    Map<String, Tensor> result = new LinkedHashMap<>();
                    written[0].forEach((name, t) -> {
                        if (t.hasElements()) {
                            backend.syncToHost(t.data());
                        }
                        result.put(name, t);
                    });
                    return result;
                }
                r = new Replay(recording, ownInputs, new LinkedHashMap<>(written[0]));
                plan.replay = r;
            } else {
                for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                    backend.copyToDevice(e.getValue().data(), r.inputs().get(e.getKey()).data());
                }
            }
            return replay(r);
        }
    }

    /** The name under which a recorded gradient pass keeps its seed among its inputs. */
    private static final String SEED = "\u0000seed";

    /**
     * The plain gradients with respect to {@code wrt} of a run from {@code known} to
     * {@code targets}, the backward pass seeded at the target {@code output} with
     * {@code seed.apply(output)}: {@link #runForGradient} then {@link Trace#backward} with
     * {@link BackwardRules#gradient()}, the results on the host. On a backend that records device
     * work, the first call of a plan runs op by op and the second records both passes and replays
     * them; later calls copy their known values and seed into the recording's and replay, as
     * {@link #forward} does. {@code seed} then gets the output as a tensor of its type and shape
     * only; where it reads elements, the passes run op by op.
     *
     * @param known the known values
     * @param targets the run's targets, {@code output} among them
     * @param wrt the values to take gradients with respect to
     * @param output the seeded target
     * @param seed the seed for the output
     * @return the gradients by name
     */
    public Map<String, Tensor> gradients(Map<String, Tensor> known, Collection<String> targets, Collection<String> wrt,
            String output, java.util.function.Function<Tensor, Tensor> seed) {
        Plan plan = plan(known, targets, Retention.GRADIENT, Set.copyOf(wrt));
        if (replays && timer == null && backend.keepsDeviceCopies()) {
            Map<String, Tensor> r = replayedGradients(plan, known, wrt, output, seed);
            if (r != null) {
                return r;
            }
        }
        try (Trace run = runForGradient(known, targets, wrt)) {
            Tensor out = run.value(output);
            synchronized (plan) {
                plan.seededOutput = Tensor.shapeOnly(out.dtype(), out.shape());
            }
            return run.backward(Map.of(output, seed.apply(out)), wrt, BackwardRules.gradient());
        }
    }

    /** Replays {@code r} and returns copies of its outputs, brought to the host. */
    private Map<String, Tensor> replay(Replay r) {
        r.recording().replay();
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : r.outputs().entrySet()) {
            Tensor t = e.getValue();
            if (t.hasElements()) {
                backend.deviceWrote(t.data());
                backend.syncToHost(t.data());
            }
            result.put(e.getKey(), t.hasElements() ? t.copy() : t);
        }
        return result;
    }

    /**
     * {@link #gradients} from a recording of both passes, or null where the plan runs op by op:
     * the seed is one more input of the recording, under {@link #SEED}.
     */
    private Map<String, Tensor> replayedGradients(Plan plan, Map<String, Tensor> known, Collection<String> wrt,
            String output, java.util.function.Function<Tensor, Tensor> seed) {
        Tensor seedNow;
        synchronized (plan) {
            if (plan.seededOutput == null) {
                return null;
            }
            try {
                seedNow = seed.apply(plan.seededOutput);
            } catch (RuntimeException e) {
                return null; // the seed reads the output's elements: op by op
            }
        }
        Map<String, Tensor> inputs = new HashMap<>(known);
        inputs.put(SEED, seedNow);
        return replayed(plan, inputs, own -> {
            Map<String, Tensor> ownKnown = new HashMap<>(own);
            Tensor ownSeed = ownKnown.remove(SEED);
            Trace run = execute(plan, ownKnown, false);
            return new LinkedHashMap<>(run.backward(Map.of(output, ownSeed), wrt, BackwardRules.gradient(), false));
        });
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
        return CurrentBackend.call(backend, () -> execute(plan, known, true));
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
        return CurrentBackend.call(backend, () -> execute(plan, known, true));
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

    /**
     * Runs {@code plan} op by op. {@code pooled}: its buffers come from and go back to the
     * executor's arena; otherwise they are fresh and the run's own (a run being recorded, whose
     * replays keep using them), and its inputs are taken to be on the device already.
     */
    private Trace execute(Plan plan, Map<String, Tensor> known, boolean pooled) {
        backend.runStarting();
        if (backend.keepsDeviceCopies() && pooled) {
            for (Tensor t : known.values()) {
                if (t != null && t.hasElements()) {
                    backend.hostChanged(t.data()); // the caller may have written it since the last run
                }
            }
        }
        Buffers buffers = new Buffers(pooled && Arena.enabled() ? arena : null);
        Map<String, Tensor> values = new HashMap<>(known);
        boolean keepShapes = plan.retention == Retention.GRADIENT;
        Map<String, Tensor> released = new HashMap<>();
        long[] bytes = {0};
        buffers.call(() -> {
            List<Node> steps = plan.steps;
            for (int i = 0; i < steps.size(); i++) {
                Node n = steps.get(i);
                Tensor[] out = execute(n, values, plan);
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
        if (pooled) {
            plan.runs++;
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
    private Tensor[] forward(Node n, Tensor[] in, Plan plan) {
        Op op = n.op();
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
        if (plan.readsData(n)) {
            plan.hostSteps = true;
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
    private Tensor[] execute(Node n, Map<String, Tensor> values, Plan plan) {
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
                out = forward(n, in, plan);
            } else {
                backend.awaitDevice(); // each node is charged its own device work
                long t0 = System.nanoTime();
                out = forward(n, in, plan);
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
