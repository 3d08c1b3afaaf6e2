package dev.jattr.graph;

import dev.jattr.graph.ops.Binary;
import dev.jattr.graph.ops.BinaryKind;
import dev.jattr.graph.ops.Concat;
import dev.jattr.graph.ops.ConcatOfConvs;
import dev.jattr.graph.ops.Conv;
import dev.jattr.graph.ops.ConvActivation;
import dev.jattr.graph.ops.ConvMaxPool;
import dev.jattr.graph.ops.MaxPool;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled run: the nodes between the known values and the targets, in order, and the liveness
 * of every value they compute over the forward and, when one follows, the backward pass. Compiled
 * once per {@link Key} by {@link Executor} and cached.
 *
 * <p>A computed value is <em>kept</em> when it is a target, when {@link Retention#EVERYTHING}
 * keeps all, or, for {@link Retention#GRADIENT}, when a vector-Jacobian product of the run reads
 * it ({@link Op#backwardReads}). Every other value is released after its last reader in the
 * forward ({@link #dropAfter}); a value kept only for the backward pass is released after the
 * last (earliest) node whose product reads it ({@link #releaseInBackward}).
 */
final class Plan {
    /** What a plan depends on: the known values with their types and shapes, the targets, and what the run keeps. */
    record Key(Map<String, List<Object>> known, List<String> targets, Retention retention, Set<String> wrt) {
        static Key of(Map<String, Tensor> known, Collection<String> targets, Retention retention, Set<String> wrt) {
            Map<String, List<Object>> k = new HashMap<>();
            known.forEach((name, t) -> k.put(name, List.of(t.dtype(), List.of(java.util.Arrays.stream(t.shape()).boxed().toArray()))));
            return new Key(Map.copyOf(k), List.copyOf(targets), retention, wrt == null ? null : Set.copyOf(wrt));
        }
    }

    final List<Node> steps;
    final Retention retention;
    /**
     * For {@link Retention#GRADIENT}: the values the backward pass may take gradients with respect
     * to, or null for any; only the nodes downstream of them keep what their products read.
     */
    final Set<String> wrt;
    /** The computed values that outlive the forward pass. */
    final Set<String> kept;
    /** For each step, the computed values to release once it has run. */
    final List<List<String>> dropAfter;
    /** For {@link Retention#GRADIENT}: step → the kept values to release once the backward pass is past it. */
    final Map<Integer, List<String>> releaseInBackward;
    /** Runs of this plan so far, op by op (for a forward: before its device work is recorded). */
    int runs;
    /**
     * Whether a run of this plan ran an op on the host that reads values computed from the known
     * ones (then its device work cannot be recorded: a replay would not run that op). Host ops
     * that compute shapes only give the same values in every run, so a recording keeps them.
     */
    volatile boolean hostSteps;
    /** Whether recording its device work failed or the backend records none: it runs op by op. */
    boolean replayRefused;
    /** The recorded device work of a forward (or forward and backward) pass of this plan, or null. */
    Replay replay;
    /** For gradient runs: the type and shape of the seeded output, from the first run; or null. */
    Tensor seededOutput;

    /** The bytes of the values the first run computed, views of other values not counted (for measuring how much a run allocates). */
    volatile long activationBytes = -1;

    Plan(Graph graph, Set<String> known, Collection<String> targets, Retention retention) {
        this(graph, known, targets, retention, null);
    }

    /**
     * A plan whose backward pass, for {@link Retention#GRADIENT}, takes gradients with respect to
     * values in {@code wrt} only (null: any): nodes no gradient reaches are fused as a run without
     * a backward pass is, and keep nothing for it.
     */
    Plan(Graph graph, Set<String> known, Collection<String> targets, Retention retention, Set<String> wrt) {
        List<Node> selected = select(graph, known, targets);
        this.retention = retention;
        this.wrt = retention == Retention.GRADIENT && wrt != null ? Set.copyOf(wrt) : null;
        Set<String> downstream = this.wrt == null ? null : downstream(selected, this.wrt);
        this.steps = List.copyOf(retention == Retention.EVERYTHING ? selected
                : fuseConvPool(graph, fuseConcat(graph, fuseConvActivation(graph, fuseSilu(graph, selected, known, targets),
                        known, targets, retention, downstream), known, targets, retention, downstream), known, targets,
                        retention, downstream));
        Set<String> computed = new HashSet<>();
        steps.forEach(n -> n.outputs().stream().filter(v -> !v.isEmpty() && !known.contains(v)).forEach(computed::add));
        Map<String, Integer> backwardReader = retention == Retention.GRADIENT ? backwardReaders(graph, known, downstream) : Map.of();
        kept = new HashSet<>();
        for (String v : computed) {
            if (targets.contains(v) || retention == Retention.EVERYTHING || backwardReader.containsKey(v)) {
                kept.add(v);
            }
        }
        Map<String, Integer> lastRead = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            for (String v : steps.get(i).inputs()) {
                lastRead.put(v, i);
            }
            for (String v : steps.get(i).outputs()) {
                lastRead.putIfAbsent(v, i); // a value nothing reads dies where it is made
            }
        }
        dropAfter = new ArrayList<>();
        steps.forEach(n -> dropAfter.add(new ArrayList<>()));
        lastRead.forEach((v, i) -> {
            if (computed.contains(v) && !kept.contains(v)) {
                dropAfter.get(i).add(v);
            }
        });
        releaseInBackward = new HashMap<>();
        backwardReader.forEach((v, i) -> {
            if (computed.contains(v) && !targets.contains(v)) {
                releaseInBackward.computeIfAbsent(i, k -> new ArrayList<>()).add(v);
            }
        });
        fromData = new HashSet<>(known);
        for (Node n : steps) {
            if (readsData(n)) {
                n.outputs().stream().filter(v -> !v.isEmpty()).forEach(fromData::add);
            }
        }
    }

    /**
     * The values whose elements depend on the known values' elements: the known values, and what
     * any op computes from one of them, but Shape and Size, which read only shapes. Values outside
     * it (shape arithmetic, constants folded at run time) are the same in every run of the plan.
     */
    final Set<String> fromData;

    /** Whether node {@code n} reads the elements of a value that depends on the known values' elements. */
    boolean readsData(Node n) {
        String type = n.op().type();
        return !type.equals("Shape") && !type.equals("Size") && n.inputs().stream().anyMatch(fromData::contains);
    }

    /**
     * The values {@code wrt} and every value computed from one of them by {@code steps} (in
     * order): what a backward pass with respect to {@code wrt} can reach. The backward pass runs
     * the nodes that read one of them.
     */
    static Set<String> downstream(List<Node> steps, Set<String> wrt) {
        Set<String> down = new HashSet<>(wrt);
        for (Node n : steps) {
            if (n.inputs().stream().anyMatch(down::contains)) {
                n.outputs().stream().filter(v -> !v.isEmpty()).forEach(down::add);
            }
        }
        return down;
    }

    /**
     * Value → the earliest step whose own vector-Jacobian product reads it; with {@code downstream}
     * (null: any value may carry gradient), only the products of inputs in it count.
     */
    private Map<String, Integer> backwardReaders(Graph graph, Set<String> known, Set<String> downstream) {
        Map<String, Integer> first = new HashMap<>();
        for (int i = steps.size() - 1; i >= 0; i--) {
            Node n = steps.get(i);
            boolean[] mayWant = new boolean[n.inputs().size()];
            boolean any = false;
            for (int k = 0; k < mayWant.length; k++) {
                String v = n.inputs().get(k);
                mayWant[k] = !v.isEmpty() && (downstream != null ? downstream.contains(v) : known.contains(v) || !graph.isConstant(v));
                any |= mayWant[k];
            }
            if (!any) {
                continue; // no gradient reaches this node
            }
            BackwardReads reads = n.op().backwardReads(mayWant);
            for (int k = 0; k < mayWant.length; k++) {
                if (reads.readsInput(k) && !n.inputs().get(k).isEmpty()) {
                    first.put(n.inputs().get(k), i);
                }
            }
            for (int k = 0; k < n.outputs().size(); k++) {
                if (reads.readsOutput(k) && !n.outputs().get(k).isEmpty()) {
                    first.put(n.outputs().get(k), i);
                }
            }
        }
        return first;
    }

    /**
     * {@code steps} with each Sigmoid (HardSigmoid) whose output only the Mul of its own input by
     * it reads, and that the run neither knows nor returns, computed together with that Mul as one
     * SiLU (hard-swish) step named after the Mul (x·σ(x) in one pass instead of two, without σ(x)
     * in memory). Runs that
     * keep every value ({@link Retention#EVERYTHING}: layer reads, DeepLift and LRP rules acting
     * on the Sigmoid node) are not fused.
     */
    private static List<Node> fuseSilu(Graph graph, List<Node> steps, Set<String> known, Collection<String> targets) {
        Set<Node> inPlan = new HashSet<>(steps);
        Map<Node, Node> fusedMul = new HashMap<>();
        Set<Node> dropped = new HashSet<>();
        for (Node s : steps) {
            if (!(s.op() instanceof Unary u) || u.kind() != UnaryKind.SIGMOID && u.kind() != UnaryKind.HARD_SIGMOID
                    || s.outputs().size() != 1) {
                continue;
            }
            String x = s.inputs().getFirst(), y = s.outputs().getFirst();
            List<Node> readers = graph.consumers(y);
            if (x.isEmpty() || runNeeds(graph, known, targets, y) || readers.size() != 1) {
                continue;
            }
            Node m = readers.getFirst();
            if (inPlan.contains(m) && m.op() instanceof Binary b && b.kind() == BinaryKind.MUL && m.inputs().size() == 2
                    && (m.inputs().equals(List.of(x, y)) || m.inputs().equals(List.of(y, x)))) {
                dropped.add(s);
                Unary gate = (Unary) s.op();
                Unary fusedOp = gate.kind() == UnaryKind.SIGMOID ? Unary.of(UnaryKind.SILU)
                        : new Unary(UnaryKind.HARD_SWISH, gate.alpha(), gate.beta());
                fusedMul.put(m, new Node(m.name(), fusedOp, List.of(x), m.outputs()));
            }
        }
        return rewrite(steps, dropped, fusedMul);
    }

    /**
     * Fuses a Conv with the activation that alone reads its output (Relu, Sigmoid, Tanh,
     * HardSigmoid, the fused SiLU) into one {@link ConvActivation} step, where the run needs
     * neither the pre-activation value (not known, not a target, not a graph output) nor, when a
     * backward pass follows ({@link Retention#GRADIENT}) and reaches the Conv's output (all do
     * where {@code downstream} is null), a derivative the fused step cannot give (only Relu's is
     * taken from the output).
     */
    private static List<Node> fuseConvActivation(Graph graph, List<Node> steps, Set<String> known,
            Collection<String> targets, Retention retention, Set<String> downstream) {
        Map<String, List<Node>> readers = new HashMap<>();
        for (Node n : steps) {
            for (String v : n.inputs()) {
                readers.computeIfAbsent(v, k -> new ArrayList<>()).add(n);
            }
        }
        Map<Node, Node> fusedAct = new HashMap<>();
        Set<Node> dropped = new HashSet<>();
        for (Node c : steps) {
            if (!(c.op() instanceof Conv conv) || c.outputs().size() != 1) {
                continue;
            }
            String y = c.outputs().getFirst();
            List<Node> r = readers.getOrDefault(y, List.of());
            if (y.isEmpty() || runNeeds(graph, known, targets, y) || r.size() != 1) {
                continue;
            }
            Node a = r.getFirst();
            if (a.op() instanceof Unary u && a.inputs().equals(List.of(y)) && u.activation().isPresent()
                    && (retention != Retention.GRADIENT || u.kind() == UnaryKind.RELU
                            || downstream != null && !downstream.contains(y))) {
                dropped.add(c);
                fusedAct.put(a, new Node(a.name(), new ConvActivation(conv, u), c.inputs(), a.outputs()));
            }
        }
        return rewrite(steps, dropped, fusedAct);
    }

    /**
     * Fuses a Concat with the convolutions (fused or not with their activation) that produce its
     * parts and whose output only it reads, once, into one {@link ConcatOfConvs} step that has
     * them write into its output directly, where the run needs none of their outputs (not known,
     * not a target, not a graph output) and no backward pass runs through the Concat (with
     * {@link Retention#GRADIENT}, only when {@code downstream} holds none of its inputs). A Concat with no
     * such part stays as it is.
     */
    private static List<Node> fuseConcat(Graph graph, List<Node> steps, Set<String> known, Collection<String> targets,
            Retention retention, Set<String> downstream) {
        Map<String, Integer> reads = reads(steps);
        Map<String, Node> producer = producers(steps);
        Map<Node, Node> fusedConcat = new HashMap<>();
        Set<Node> dropped = new HashSet<>();
        for (Node c : steps) {
            if (!(c.op() instanceof Concat concat) || c.outputs().size() != 1 || c.inputs().isEmpty()
                    || retention == Retention.GRADIENT && (downstream == null || c.inputs().stream().anyMatch(downstream::contains))) {
                continue;
            }
            List<Op> parts = new ArrayList<>();
            List<Integer> arity = new ArrayList<>();
            List<String> inputs = new ArrayList<>();
            List<Node> absorbed = new ArrayList<>();
            for (String v : c.inputs()) {
                Node p = v.isEmpty() ? null : producer.get(v);
                boolean conv = absorbableConv(graph, known, targets, reads, p, v) && !absorbed.contains(p);
                if (conv) {
                    parts.add(p.op());
                    arity.add(p.inputs().size());
                    inputs.addAll(p.inputs());
                    absorbed.add(p);
                } else {
                    parts.add(null);
                    arity.add(1);
                    inputs.add(v);
                }
            }
            if (absorbed.isEmpty()) {
                continue;
            }
            dropped.addAll(absorbed);
            fusedConcat.put(c, new Node(c.name(), new ConcatOfConvs(concat, parts, arity), inputs, c.outputs()));
        }
        return rewrite(steps, dropped, fusedConcat);
    }

    /**
     * Fuses a convolution (fused or not with its activation) with the MaxPool that alone reads its
     * output, computing no indices, into one {@link ConvMaxPool} step that pools each sample's
     * output as it is made, where the run needs neither the convolution's output (not known, not
     * a target, not a graph output) nor, with {@link Retention#GRADIENT}, a backward pass through
     * it ({@code downstream} holds neither the pooling's input nor its output).
     */
    private static List<Node> fuseConvPool(Graph graph, List<Node> steps, Set<String> known, Collection<String> targets,
            Retention retention, Set<String> downstream) {
        Map<String, Integer> reads = reads(steps);
        Map<String, Node> producer = producers(steps);
        Map<Node, Node> fused = new HashMap<>();
        Set<Node> dropped = new HashSet<>();
        for (Node p : steps) {
            if (!(p.op() instanceof MaxPool pool) || pool.indices() || p.inputs().size() != 1) {
                continue;
            }
            String v = p.inputs().getFirst();
            Node c = v.isEmpty() ? null : producer.get(v);
            boolean noGradient = retention != Retention.GRADIENT
                    || downstream != null && !downstream.contains(v) && p.outputs().stream().noneMatch(downstream::contains);
            if (noGradient && absorbableConv(graph, known, targets, reads, c, v)) {
                dropped.add(c);
                fused.put(p, new Node(p.name(), new ConvMaxPool(c.op(), pool), c.inputs(), List.of(p.outputs().getFirst())));
            }
        }
        return rewrite(steps, dropped, fused);
    }

    /**
     * Whether step p, computing value v, is a convolution (fused with its activation or not) that a
     * fused step may absorb: v is its one output, read once, and the run does not need it.
     */
    private static boolean absorbableConv(Graph graph, Set<String> known, Collection<String> targets,
            Map<String, Integer> reads, Node p, String v) {
        return p != null && (p.op() instanceof Conv || p.op() instanceof ConvActivation) && p.outputs().size() == 1
                && reads.getOrDefault(v, 0) == 1 && !runNeeds(graph, known, targets, v);
    }

    /** How many times the steps read each value. */
    private static Map<String, Integer> reads(List<Node> steps) {
        Map<String, Integer> reads = new HashMap<>();
        for (Node n : steps) {
            n.inputs().forEach(v -> reads.merge(v, 1, Integer::sum));
        }
        return reads;
    }

    /** The step that computes each value. */
    private static Map<String, Node> producers(List<Node> steps) {
        Map<String, Node> producer = new HashMap<>();
        for (Node n : steps) {
            n.outputs().forEach(v -> producer.put(v, n));
        }
        return producer;
    }

    /** Whether a run needs value v itself, so that no fusion may hide it: known, a target or a graph output. */
    private static boolean runNeeds(Graph graph, Set<String> known, Collection<String> targets, String v) {
        return known.contains(v) || targets.contains(v) || graph.outputs().stream().anyMatch(o -> o.name().equals(v));
    }

    /** {@code steps} without {@code dropped}, each node in {@code replaced} replaced by its fused step. */
    private static List<Node> rewrite(List<Node> steps, Set<Node> dropped, Map<Node, Node> replaced) {
        if (dropped.isEmpty()) {
            return steps;
        }
        List<Node> fused = new ArrayList<>(steps.size() - dropped.size());
        for (Node n : steps) {
            if (!dropped.contains(n)) {
                fused.add(replaced.getOrDefault(n, n));
            }
        }
        return fused;
    }

    /** The nodes a run from {@code known} to {@code targets} executes, in topological order. */
    private static List<Node> select(Graph graph, Set<String> known, Collection<String> targets) {
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
