package dev.jattr.attr.parity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jattr.attr.Attribution;
import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.DeepLiftBuilder;
import dev.jattr.attr.IntegrationMethod;
import dev.jattr.attr.LayerActivation;
import dev.jattr.attr.LayerDeepLift;
import dev.jattr.attr.LayerDeepLiftShap;
import dev.jattr.attr.LayerGradientXActivation;
import dev.jattr.attr.LayerIntegratedGradients;
import dev.jattr.attr.LayerLRP;
import dev.jattr.attr.LayerMethod;
import dev.jattr.attr.LrpRule;
import dev.jattr.attr.Target;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one {@link CaptumCase} with jattr: builds the method from the case's arguments by Captum's
 * names, runs it, and compares the result. Unknown arguments fail the case rather than being
 * ignored.
 */
final class CaseRunner {
    private final Map<Path, Graph> models = new HashMap<>();
    /**
     * The LRP rule sets (model, layer, rules) whose first case has run. Captum 0.8.0 keeps LRP rules
     * on the model's modules and deletes every one of them, user rules included, when
     * {@code attribute()} returns (captum issue #1059, fixed after 0.8.0). The corpus generator set
     * each custom rule set once per model and layer and then attributed to the layer's output and
     * to its input, so only the first of those cases ran with the rules; the later one ran with
     * Captum's defaults (its expected arrays equal the default-rule case's exactly). The runner
     * reproduces that model state: a repeated rule set is not applied.
     */
    private final Set<String> consumedLrpRules = new java.util.HashSet<>();

    /** The outcome of one case. */
    record Outcome(Status status, String message) {}

    /** Passed, failed, or not run (a method jattr does not implement). */
    enum Status { PASSED, FAILED, SKIPPED }

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
            LayerMethod m = build(c, graph, lrpRulesAttached(c));
            if (m == null) {
                return new Outcome(Status.SKIPPED, c.method() + " is not implemented yet");
            }
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

    /** Whether a LayerLRP case's custom rules are still attached to Captum's model (see {@link #consumedLrpRules}). */
    private boolean lrpRulesAttached(CaptumCase c) {
        JsonNode rules = c.arg("rules");
        return !c.method().equals("LayerLRP") || rules == null || rules.isEmpty()
                || consumedLrpRules.add(c.model() + "|" + c.layer() + "|" + rules);
    }

    /**
     * The method configured from the case, or null when jattr does not implement it;
     * {@code lrpRules} says whether LayerLRP's custom rules apply.
     */
    private static LayerMethod build(CaptumCase c, Graph g, boolean lrpRules) {
        Args a = new Args(c);
        LayerMethod m = switch (c.method()) {
            case "LayerActivation" -> a.common(LayerActivation.builder(g)).build();
            case "LayerGradientXActivation" -> a.common(LayerGradientXActivation.builder(g))
                    .multiplyByInputs(a.bool("multiply_by_inputs", true)).build();
            case "LayerIntegratedGradients" -> a.common(LayerIntegratedGradients.builder(g))
                    .nSteps(a.integer("n_steps", 50))
                    .method(IntegrationMethod.parse(a.string("method", "gausslegendre")))
                    .internalBatchSize(a.integer("internal_batch_size", 0))
                    .multiplyByInputs(a.bool("multiply_by_inputs", true))
                    .returnConvergenceDelta(a.bool("return_convergence_delta", false))
                    .build();
            case "LayerDeepLift" -> a.deepLift(LayerDeepLift.builder(g)).build();
            case "LayerDeepLiftShap" -> a.deepLift(LayerDeepLiftShap.builder(g)).build();
            case "LayerLRP" -> a.lrpRules(a.common(LayerLRP.builder(g)), lrpRules)
                    .returnConvergenceDelta(a.bool("return_convergence_delta", false)).build();
            default -> null;
        };
        if (m != null) {
            a.requireAllUsed();
        }
        return m;
    }

    /** Reads a case's arguments, remembering which were used so that unknown ones fail the case. */
    static final class Args {
        private final CaptumCase c;
        private final Set<String> used = new java.util.HashSet<>();

        Args(CaptumCase c) {
            this.c = c;
        }

        <B extends LayerMethod.Builder<B>> B common(B b) {
            return b.layer(c.layer()).attributeToLayerInput(c.attributeToLayerInput());
        }

        <B extends DeepLiftBuilder<B>> B deepLift(B b) {
            return common(b).multiplyByInputs(bool("multiply_by_inputs", true))
                    .returnConvergenceDelta(bool("return_convergence_delta", false));
        }

        LayerLRP.Builder lrpRules(LayerLRP.Builder b, boolean attached) {
            JsonNode rules = get("rules");
            if (rules != null && attached) {
                rules.properties().forEach(e -> b.rule(e.getKey(), lrpRule(e.getValue())));
            }
            return b;
        }

        private static LrpRule lrpRule(JsonNode r) {
            String name = r.path("rule").asText();
            return switch (name) {
                case "EpsilonRule" -> new LrpRule.EpsilonRule(r.path("epsilon").asDouble(LrpRule.STABILITY));
                case "GammaRule" -> new LrpRule.GammaRule(r.path("gamma").asDouble(0.25), r.path("set_bias_to_zero").asBoolean(false));
                case "Alpha1_Beta0_Rule" -> new LrpRule.Alpha1Beta0Rule(r.path("set_bias_to_zero").asBoolean(false));
                case "IdentityRule" -> new LrpRule.IdentityRule();
                default -> throw new IllegalArgumentException("unknown LRP rule '" + name + "'");
            };
        }

        JsonNode get(String name) {
            used.add(name);
            return c.arg(name);
        }

        boolean bool(String name, boolean dflt) {
            JsonNode n = get(name);
            return n == null ? dflt : n.asBoolean();
        }

        int integer(String name, int dflt) {
            JsonNode n = get(name);
            return n == null ? dflt : n.asInt();
        }

        double number(String name, double dflt) {
            JsonNode n = get(name);
            return n == null ? dflt : n.asDouble();
        }

        String string(String name, String dflt) {
            JsonNode n = get(name);
            return n == null ? dflt : n.asText();
        }

        Path path(String name) {
            JsonNode n = get(name);
            return n == null ? null : c.dir().resolve(n.asText());
        }

        void requireAllUsed() {
            c.args().fieldNames().forEachRemaining(f -> {
                if (!used.contains(f)) {
                    throw new IllegalArgumentException("argument '" + f + "' is not supported by jattr's " + c.method());
                }
            });
        }
    }
}
