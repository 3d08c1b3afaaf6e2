package dev.jattr.attr;

import dev.jattr.graph.BackwardRules;
import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Retention;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Trace;
import dev.jattr.graph.ValueInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a model for the attribution methods: prepares feeds (types, baselines, validation), runs
 * forward passes with layers read or replaced, and differentiates the target output with
 * respect to layer values.
 */
public final class ModelRunner {
    private final Graph graph;
    private final Executor executor;
    private final String output;

    /** A runner explaining output {@code output} of {@code graph}. */
    public ModelRunner(Graph graph, String output) {
        this.graph = graph;
        this.executor = new Executor(graph);
        if (graph.outputs().stream().noneMatch(o -> o.name().equals(output)) && !graph.hasValue(output)) {
            throw new IllegalArgumentException("the model has no output '" + output + "'; outputs: "
                    + graph.outputs().stream().map(ValueInfo::name).toList());
        }
        this.output = output;
    }

    /** A runner explaining the model's first output. */
    public ModelRunner(Graph graph) {
        this(graph, graph.outputs().getFirst().name());
    }

    /** The graph. */
    public Graph graph() {
        return graph;
    }

    /** The explained output's name. */
    public String output() {
        return output;
    }

    /**
     * The declared shape of one example of the explained output (its dimensions after the batch),
     * when the model declares all of them; empty otherwise.
     */
    public java.util.Optional<int[]> declaredExampleShape() {
        return graph.outputs().stream().filter(o -> o.name().equals(output)).findFirst()
                .filter(o -> o.dims().length > 0 && Arrays.stream(o.dims()).skip(1).allMatch(d -> d >= 0))
                .map(o -> Arrays.copyOfRange(o.dims(), 1, o.dims().length));
    }

    /** Runs from {@code known} values to the output and {@code extra} values. */
    public Trace run(Map<String, Tensor> known, Collection<String> extra) {
        List<String> targets = new ArrayList<>(extra);
        targets.add(output);
        return executor.run(known, targets);
    }

    /**
     * Like {@link #run}, keeping only what one plain-gradient backward pass with respect to values
     * in {@code wrt} reads besides the targets and known values ({@link Retention#GRADIENT}); the
     * trace allows one {@link #gradients} call with {@link BackwardRules#gradient()} for those values.
     */
    public Trace runForGradient(Map<String, Tensor> known, Collection<String> extra, Collection<String> wrt) {
        List<String> targets = new ArrayList<>(extra);
        targets.add(output);
        return executor.runForGradient(known, targets, wrt);
    }

    /**
     * {@link #runForGradient} then {@link #gradients} with the plain gradient, as one call: on a
     * device that records its work ({@code Executor.gradients}) both passes are recorded once per
     * input shape and replayed after, so a path method's chunks of one shape cost the host one
     * call each.
     */
    public Map<String, Tensor> runGradients(Map<String, Tensor> known, Target target, int examples, List<String> wrt) {
        return executor.gradients(known, List.of(output), wrt, output, out -> target.seed(out, examples));
    }

    /** ∂(selected output)/∂v for each {@code v} in {@code wrt}, the batch holding repeats of {@code examples} examples. */
    public Map<String, Tensor> gradients(Trace trace, Target target, int examples, List<String> wrt, BackwardRules rules) {
        Tensor out = trace.value(output);
        return trace.backward(Map.of(output, target.seed(out, examples)), wrt, rules);
    }

    /**
     * The feeds for the attributed inputs plus the additional ones, each converted to the type the
     * model declares and checked: every model input given, none unknown, no NaN.
     */
    public Map<String, Tensor> feeds(AttributionInputs in) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        in.inputs().forEach((k, v) -> feeds.put(k, prepare(k, v, "input")));
        in.additional().forEach((k, v) -> {
            if (feeds.containsKey(k)) {
                throw new IllegalArgumentException("input '" + k + "' is given both as attributed and as additional input");
            }
            feeds.put(k, prepare(k, v, "additional input"));
        });
        for (ValueInfo vi : graph.inputs()) {
            if (!feeds.containsKey(vi.name())) {
                throw new IllegalArgumentException("model input '" + vi.name() + "' " + vi.shapeText() + " was not given");
            }
        }
        int batch = in.batchSize();
        feeds.forEach((k, v) -> {
            if (v.rank() == 0 || v.dim(0) != batch) {
                throw new IllegalArgumentException("input '" + k + "' has shape " + Arrays.toString(v.shape())
                        + "; every input needs the batch size " + batch + " in dimension 0");
            }
        });
        return feeds;
    }

    /** The baseline feeds: each attributed input's baseline broadcast to the input (zeros where none), additional inputs unchanged. */
    public Map<String, Tensor> baselineFeeds(AttributionInputs in, Map<String, Tensor> feeds) {
        Map<String, Tensor> b = new LinkedHashMap<>(feeds);
        for (String k : in.inputs().keySet()) {
            Tensor x = feeds.get(k);
            Tensor base = in.baselines().get(k);
            b.put(k, base == null ? Tensor.zeros(x.dtype(), x.shape())
                    : broadcastTo(convert(base, x.dtype(), "baseline of '" + k + "'"), x, "baseline of '" + k + "'"));
        }
        return b;
    }

    /** {@code t} broadcast to {@code like}'s shape. */
    static Tensor broadcastTo(Tensor t, Tensor like, String what) {
        try {
            Tensor zero = Tensor.zeros(like.dtype(), like.shape());
            Tensor r = dev.jattr.graph.Tensors.add(zero, t);
            if (!Arrays.equals(r.shape(), like.shape())) {
                throw new IllegalArgumentException("shape " + Arrays.toString(t.shape()));
            }
            return r;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " of shape " + Arrays.toString(t.shape())
                    + " does not broadcast to the input's shape " + Arrays.toString(like.shape()));
        }
    }

    private Tensor prepare(String name, Tensor v, String what) {
        ValueInfo vi = graph.inputs().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(what + " '" + name + "' is not a model input; inputs: "
                        + graph.inputs().stream().map(ValueInfo::name).toList()));
        int[] dims = vi.dims();
        boolean fits = dims.length == 0 || dims.length == v.rank();
        for (int d = 0; fits && d < dims.length; d++) {
            fits = dims[d] < 0 || dims[d] == v.dim(d);
        }
        if (!fits) {
            throw new IllegalArgumentException(what + " '" + name + "' has shape " + Arrays.toString(v.shape())
                    + "; the model expects " + vi.shapeText());
        }
        if (v.rank() > 0 && v.dim(0) == 0) {
            throw new IllegalArgumentException(what + " '" + name + "' has shape " + Arrays.toString(v.shape())
                    + ", an empty batch; the model expects " + vi.shapeText() + " with at least one example");
        }
        return convert(v, vi.dtype(), what + " '" + name + "'");
    }

    /**
     * {@code v} converted to the model's type {@code to} and checked in one pass: no bool to
     * number or back, whole numbers for an integer type, and no NaN or infinity after the
     * conversion (a float64 value of 1e300 is infinite as float32). {@code what} names it.
     */
    static Tensor convert(Tensor v, DType to, String what) {
        if ((v.dtype() == DType.BOOL) != (to == DType.BOOL)) {
            throw new IllegalArgumentException(what + " is a " + v.dtype().numpyName() + " array; the model takes " + to.numpyName());
        }
        Tensor t = v.cast(to);
        for (int i = 0, n = t.size(); i < n && (to.isFloating() || v.dtype().isFloating()); i++) {
            double given = v.getDouble(i);
            if (to.isFloating() && !Double.isFinite(t.getDouble(i))) {
                throw new IllegalArgumentException(what + " holds " + given + " at flat index " + i + (Double.isFinite(given)
                        ? ", which is " + t.getDouble(i) + " as " + to.numpyName() + ", the model's type; scale it into range" : ""));
            }
            if (!to.isFloating() && (given != Math.rint(given) || given != t.getDouble(i))) {
                throw new IllegalArgumentException(what + " holds " + given + " at flat index " + i + ", which is not a whole number"
                        + " the model's " + to.numpyName() + " can hold");
            }
        }
        return t;
    }

    /** Fails unless every layer value is a floating tensor. */
    static void requireFloating(Trace t, List<String> values) {
        for (String v : values) {
            DType d = t.value(v).dtype();
            if (!d.isFloating()) {
                throw new IllegalArgumentException("layer value '" + v + "' is a " + d + " tensor; only floating values can be attributed");
            }
        }
    }
}
