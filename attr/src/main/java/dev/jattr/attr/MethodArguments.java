package dev.jattr.attr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one layer-method call by Captum's names ({@code n_steps}, {@code method},
 * {@code layer_mask}…), as the parity corpus and the command line give them. Each read is
 * remembered so that an argument no method reads is an error, never silently ignored. Values are
 * JSON: numbers, booleans, text, lists, objects (LRP rules); a text value where a tensor is
 * expected is the path of a .npy file, resolved against a base folder.
 */
public final class MethodArguments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> layers;
    private final boolean attributeToLayerInput;
    private final String output;
    private final Map<String, JsonNode> args;
    private final Map<String, String> spelling;
    private final Path baseDir;
    private final Set<String> used = new HashSet<>();
    private Progress progress = Progress.NONE;

    /**
     * Arguments for a call on {@code layers}.
     *
     * @param layers                layer names (node, tensor or module path)
     * @param attributeToLayerInput Captum's {@code attribute_to_layer_input}
     * @param output                the model output to explain, or null for the first
     * @param args                  other arguments by Captum name
     * @param spelling              how the caller wrote each argument, for messages (may be empty)
     * @param baseDir               where relative .npy paths resolve
     */
    public MethodArguments(List<String> layers, boolean attributeToLayerInput, String output, Map<String, JsonNode> args,
            Map<String, String> spelling, Path baseDir) {
        this.layers = List.copyOf(layers);
        this.attributeToLayerInput = attributeToLayerInput;
        this.output = output;
        this.args = new LinkedHashMap<>(args);
        this.spelling = Map.copyOf(spelling);
        this.baseDir = baseDir;
    }

    /**
     * Arguments given as text (the command line): each value is read as JSON when it is valid JSON
     * ({@code 50}, {@code true}, {@code [0.1, 0.2]}, an object), else as plain text.
     */
    public static MethodArguments fromText(List<String> layers, boolean attributeToLayerInput, String output,
            Map<String, String> args, Map<String, String> spelling) {
        Map<String, JsonNode> parsed = new LinkedHashMap<>();
        args.forEach((k, v) -> parsed.put(k, parse(v)));
        return new MethodArguments(layers, attributeToLayerInput, output, parsed, spelling, Path.of(""));
    }

    private static JsonNode parse(String v) {
        try {
            JsonNode n = JSON.readTree(v);
            return n == null || n.isMissingNode() ? TextNode.valueOf(v) : n;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(v);
        }
    }

    /** These arguments, with {@code listener} receiving the method's progress. */
    public MethodArguments withProgress(Progress listener) {
        progress = java.util.Objects.requireNonNull(listener, "progress");
        return this;
    }

    /** Applies the options every layer method shares. */
    public <B extends LayerMethod.Builder<B>> B common(B b) {
        b.layers(layers).attributeToLayerInput(attributeToLayerInput).progress(progress);
        return output == null ? b : b.output(output);
    }

    /** The raw value, or null when not given (marks it read). */
    public JsonNode get(String name) {
        used.add(name);
        JsonNode n = args.get(name);
        return n == null || n.isNull() ? null : n;
    }

    /** A boolean ({@code true/false}, {@code 1/0}). */
    public boolean bool(String name, boolean dflt) {
        JsonNode n = get(name);
        if (n == null) {
            return dflt;
        }
        if (n.isBoolean() || n.isInt() && (n.asInt() == 0 || n.asInt() == 1)) {
            return n.asBoolean();
        }
        throw bad(name, n, "true or false");
    }

    /** A whole number. */
    public int integer(String name, int dflt) {
        JsonNode n = get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber()) {
            throw bad(name, n, "a whole number");
        }
        if (!n.canConvertToInt()) {
            throw bad(name, n, "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
        return n.asInt();
    }

    /** A whole number that may exceed int (seeds). */
    public long longValue(String name, long dflt) {
        JsonNode n = get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber()) {
            throw bad(name, n, "a whole number");
        }
        return n.asLong();
    }

    /** Text. */
    public String string(String name, String dflt) {
        JsonNode n = get(name);
        return n == null ? dflt : n.asText();
    }

    /** A number or a list of numbers (one per input); {@code {dflt}} when absent. */
    public double[] numbers(String name, double dflt) {
        JsonNode n = get(name);
        if (n == null) {
            return new double[] {dflt};
        }
        List<JsonNode> items = n.isArray() ? toList(n) : List.of(n);
        double[] r = new double[items.size()];
        for (int i = 0; i < r.length; i++) {
            if (!items.get(i).isNumber()) {
                throw bad(name, n, "a number or a list of numbers");
            }
            r[i] = items.get(i).asDouble();
        }
        return r;
    }

    /** Tensors: a number (a scalar tensor), a .npy path, or a list of those; empty when absent. */
    public Tensor[] tensors(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return new Tensor[0];
        }
        List<Tensor> r = new ArrayList<>();
        for (JsonNode e : n.isArray() ? toList(n) : List.of(n)) {
            if (e.isNumber()) {
                r.add(Tensor.of(new double[] {e.asDouble()}));
            } else if (e.isTextual()) {
                Path p = baseDir.resolve(e.asText());
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException(display(name) + ": file not found: " + p);
                }
                r.add(Npy.read(p));
            } else {
                throw bad(name, n, "a number, a .npy path or a list of those");
            }
        }
        return r.toArray(Tensor[]::new);
    }

    /**
     * LRP rules: an object mapping module paths or node names to
     * {@code {"rule": "EpsilonRule"|"GammaRule"|"Alpha1_Beta0_Rule"|"IdentityRule", "epsilon"|"gamma": x}}.
     */
    public Map<String, LrpRule> lrpRules(String name) {
        JsonNode n = get(name);
        Map<String, LrpRule> rules = new LinkedHashMap<>();
        if (n == null) {
            return rules;
        }
        if (!n.isObject()) {
            throw bad(name, n, "an object of layer → rule");
        }
        n.properties().forEach(e -> {
            JsonNode r = e.getValue();
            String rule = r.path("rule").asText();
            rules.put(e.getKey(), switch (rule) {
                case "EpsilonRule" -> new LrpRule.EpsilonRule(r.path("epsilon").asDouble(LrpRule.STABILITY));
                case "GammaRule" -> new LrpRule.GammaRule(r.path("gamma").asDouble(0.25), r.path("set_bias_to_zero").asBoolean(false));
                case "Alpha1_Beta0_Rule" -> new LrpRule.Alpha1Beta0Rule(r.path("set_bias_to_zero").asBoolean(false));
                case "IdentityRule" -> new LrpRule.IdentityRule();
                default -> throw new IllegalArgumentException(display(name) + ": unknown LRP rule '" + rule
                        + "' for '" + e.getKey() + "'; rules: EpsilonRule, GammaRule, Alpha1_Beta0_Rule, IdentityRule");
            });
        });
        return rules;
    }

    /** Fails naming the first argument {@code method} did not read. */
    public void requireAllUsed(String method) {
        for (String name : args.keySet()) {
            if (!used.contains(name)) {
                throw new IllegalArgumentException(display(name) + " is not an argument of " + method);
            }
        }
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l;
    }

    private String display(String name) {
        return spelling.getOrDefault(name, "argument '" + name + "'");
    }

    private IllegalArgumentException bad(String name, JsonNode value, String expected) {
        return new IllegalArgumentException(display(name) + ": " + value + " is not " + expected);
    }
}
