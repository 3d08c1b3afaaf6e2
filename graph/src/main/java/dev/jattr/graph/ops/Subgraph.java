package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardRules;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.Trace;
import dev.jattr.graph.ValueInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of a control-flow op (If branch, Loop or Scan body): a graph whose first inputs are
 * the body's formal parameters and whose remaining inputs are the outer-scope values it
 * captures. The op's node reads the captured values as extra inputs, so the outer graph's
 * executor supplies them.
 *
 * <p>A run of the body can be kept as a {@link Trace}, and {@link #backward} turns the gradients
 * of that run's outputs into the gradients of its formals and captured values: the building
 * block of the control-flow ops' vector-Jacobian products. Inside a body, gradients follow each
 * op's own VJP.
 *
 * @param graph    the body; its inputs are the formals followed by {@code captures}
 * @param captures the outer-scope value names the body reads
 */
public record Subgraph(Graph graph, List<String> captures) {
    /** Freezes the list. */
    public Subgraph {
        captures = List.copyOf(captures);
    }

    /**
     * The gradients of one run of the body.
     *
     * @param formals  per formal input, its gradient; {@code null} where not asked for or not floating
     * @param captures per captured value the run read and was asked for, its gradient
     */
    public record Gradients(Tensor[] formals, Map<String, Tensor> captures) {}

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
        return outputs(trace(formals, outer));
    }

    /** Runs the body as {@link #run} does and keeps the whole trace, for {@link #backward}. */
    public Trace trace(List<Tensor> formals, Map<String, Tensor> outer) {
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
        return new Executor(graph).run(known, outputNames());
    }

    /** The body's outputs, in order, from one of its traces. */
    public Tensor[] outputs(Trace run) {
        return outputNames().stream().map(run::value).toArray(Tensor[]::new);
    }

    private List<String> outputNames() {
        return graph.outputs().stream().map(ValueInfo::name).toList();
    }

    /**
     * The vector-Jacobian product of one run of the body: from the gradients of its outputs
     * ({@code null} for integer outputs or none), the gradients of the formals flagged in
     * {@code wantFormals} and of the captured values named in {@code wantCaptures}. Only floating
     * values the run was given get a gradient (zeros where the outputs do not depend on them).
     */
    public Gradients backward(Trace run, Tensor[] gradOutputs, boolean[] wantFormals, Set<String> wantCaptures) {
        Map<String, Tensor> seeds = new HashMap<>();
        for (int k = 0; k < gradOutputs.length; k++) {
            if (gradOutputs[k] != null) {
                seeds.merge(graph.outputs().get(k).name(), gradOutputs[k], Tensors::add);
            }
        }
        Set<String> wrt = new HashSet<>();
        for (int k = 0; k < formalCount(); k++) {
            String name = graph.inputs().get(k).name();
            if (wantFormals[k] && differentiable(run, name)) {
                wrt.add(name);
            }
        }
        for (String c : captures) {
            if (wantCaptures.contains(c) && differentiable(run, c)) {
                wrt.add(c);
            }
        }
        Map<String, Tensor> g = wrt.isEmpty() ? Map.of() : run.backward(seeds, wrt, BackwardRules.gradient());
        Tensor[] formals = new Tensor[formalCount()];
        for (int k = 0; k < formals.length; k++) {
            String name = graph.inputs().get(k).name();
            formals[k] = wantFormals[k] ? g.get(name) : null;
        }
        Map<String, Tensor> outer = new HashMap<>();
        for (String c : captures) {
            if (wantCaptures.contains(c) && g.containsKey(c)) {
                outer.put(c, g.get(c));
            }
        }
        return new Gradients(formals, outer);
    }

    private static boolean differentiable(Trace run, String name) {
        return !name.isEmpty() && run.isKnown(name) && run.value(name).dtype().isFloating();
    }

    /** The captured values of a node whose inputs end with them, by name. */
    public static Map<String, Tensor> captured(List<String> names, Tensor[] inputs, int first) {
        Map<String, Tensor> m = new HashMap<>();
        for (int k = 0; k < names.size(); k++) {
            m.put(names.get(k), inputs[first + k]);
        }
        return m;
    }

    /** The names of the captured inputs (from input {@code first} on) whose gradient is {@code wanted}. */
    static Set<String> wantedCaptures(List<String> names, boolean[] wanted, int first) {
        Set<String> s = new HashSet<>();
        for (int k = 0; k < names.size(); k++) {
            if (wanted[first + k]) {
                s.add(names.get(k));
            }
        }
        return s;
    }

    /**
     * Writes the gradients of the captured inputs (from input {@code first} on) into
     * {@code result}: summed over the runs in {@code grads}, zeros for a wanted floating input
     * that no run reached.
     */
    static void putCaptureGradients(List<String> names, Tensor[] inputs, boolean[] wanted, int first,
            Map<String, Tensor> grads, Tensor[] result) {
        for (int k = 0; k < names.size(); k++) {
            if (wanted[first + k]) {
                result[first + k] = orZeros(grads.get(names.get(k)), inputs[first + k]);
            }
        }
    }

    /** Adds each run's captured gradients into {@code sum}. */
    static void accumulate(Map<String, Tensor> sum, Gradients g) {
        g.captures().forEach((name, t) -> sum.merge(name, t, Tensors::add));
    }

    /** {@code g}, or zeros shaped like {@code like} where it is {@code null} and {@code like} is floating. */
    static Tensor orZeros(Tensor g, Tensor like) {
        if (g != null || like == null || !like.dtype().isFloating()) {
            return g;
        }
        return Tensor.zeros(like.dtype(), like.shape());
    }

    /** Flags for a body's formals: {@code true} from {@code from} (inclusive) to {@code to} (exclusive). */
    static boolean[] flags(int count, int from, int to) {
        boolean[] f = new boolean[count];
        java.util.Arrays.fill(f, from, to, true);
        return f;
    }
}
