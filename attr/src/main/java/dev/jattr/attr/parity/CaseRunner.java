package dev.jattr.attr.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.jattr.attr.Attribution;
import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.LayerMethod;
import dev.jattr.attr.MethodArguments;
import dev.jattr.attr.MethodRegistry;
import dev.jattr.attr.Target;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@link CaptumCase} with jattr: builds the method from the case's arguments by Captum's
 * names, runs it, and compares the result. Unknown arguments fail the case rather than being
 * ignored.
 */
final class CaseRunner {
    private final Map<Path, Graph> models = new HashMap<>();

    /** The outcome of one case. */
    record Outcome(Status status, String message) {}

    /** Passed or failed: every case runs; there is no skip list. */
    enum Status { PASSED, FAILED }

    Outcome run(CaptumCase c) {
        Graph graph = models.computeIfAbsent(c.model(), p -> OnnxModel.load(p).graph());
        List<Tensor> actual;
        Tensor delta = null;
        if (c.method().equals("forward")) {
            Map<String, Tensor> feeds = new java.util.LinkedHashMap<>();
            c.inputs().forEach((k, p) -> feeds.put(k, cast(graph, k, Npy.read(p))));
            c.additional().forEach((k, p) -> feeds.put(k, cast(graph, k, Npy.read(p))));
            actual = new ArrayList<>(new Executor(graph).forward(feeds).values());
        } else {
            LayerMethod m = build(c, graph);
            Attribution a = m.attribute(inputs(c));
            actual = a.values();
            delta = a.delta().orElse(null);
        }
        if (actual.size() != c.expected().size()) {
            return new Outcome(Status.FAILED, "returned " + actual.size() + " tensors, expected " + c.expected().size());
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < actual.size(); i++) {
            String m = Comparison.mismatch("attribution" + (actual.size() > 1 ? "[" + i + "]" : ""), actual.get(i),
                    Npy.read(c.expected().get(i)), c.rtol(), c.compare());
            if (m != null) {
                problems.add(m);
            }
        }
        if (c.expectedDelta() != null) {
            if (delta == null) {
                problems.add("no convergence delta returned");
            } else {
                String m = Comparison.mismatch("delta", delta, Npy.read(c.expectedDelta()), c.rtol(), "allclose");
                if (m != null) {
                    problems.add(m);
                }
            }
        }
        return problems.isEmpty() ? new Outcome(Status.PASSED, "") : new Outcome(Status.FAILED, String.join("; ", problems));
    }

    private static Tensor cast(Graph g, String name, Tensor t) {
        return g.inputs().stream().filter(i -> i.name().equals(name)).findFirst().map(i -> t.cast(i.dtype())).orElse(t);
    }

    static AttributionInputs inputs(CaptumCase c) {
        var b = AttributionInputs.builder();
        c.inputs().forEach((k, p) -> b.input(k, Npy.read(p)));
        c.additional().forEach((k, p) -> b.additional(k, Npy.read(p)));
        if (c.baselines() != null) {
            c.baselines().forEach((k, p) -> b.baseline(k, Npy.read(p)));
        }
        return b.target(target(c.target())).build();
    }

    static Target target(JsonNode t) {
        if (t == null || t.isNull() || t.isMissingNode()) {
            return Target.none();
        }
        if (t.isInt()) {
            return Target.index(t.asInt());
        }
        if (t.isArray()) {
            List<int[]> per = new ArrayList<>();
            for (JsonNode e : t) {
                if (e.isArray()) {
                    int[] idx = new int[e.size()];
                    for (int i = 0; i < idx.length; i++) {
                        idx[i] = e.get(i).asInt();
                    }
                    per.add(idx);
                } else {
                    per.add(new int[] {e.asInt()});
                }
            }
            return Target.perExample(per);
        }
        throw new IllegalArgumentException("unsupported target " + t);
    }

    /** The fixed seed of LayerGradientShap's draws when a case gives none, so that parity runs are reproducible. */
    static final long GRADIENT_SHAP_SEED = 20250101L;

    /** The method configured from the case's Captum-named arguments (an unknown argument fails the case). */
    private static LayerMethod build(CaptumCase c, Graph g) {
        Map<String, JsonNode> args = new LinkedHashMap<>();
        c.args().properties().forEach(e -> args.put(e.getKey(), e.getValue()));
        if (c.method().equals("LayerGradientShap")) {
            args.putIfAbsent("seed", LongNode.valueOf(GRADIENT_SHAP_SEED));
        }
        var a = new MethodArguments(List.of(c.layer()), c.attributeToLayerInput(), null, args, Map.of(), c.dir());
        return MethodRegistry.forName(c.method()).create(g, a);
    }
}
