package dev.jattr.attr;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** The keys each LRP rule takes besides {@code rule}. */
    private static final Map<String, Set<String>> LRP_KEYS = Map.of("EpsilonRule", Set.of("epsilon"),
            "GammaRule", Set.of("gamma", "set_bias_to_zero"), "Alpha1_Beta0_Rule", Set.of("set_bias_to_zero"),
            "IdentityRule", Set.of());
    /** The longest piece of a value quoted in a message. */
    private static final int QUOTE_LIMIT = 60;

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
     * @param args                  other arguments by Captum name; a number that is not finite fails
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
        this.args.forEach((name, value) -> {
            JsonNode found = nonFinite(value);
            if (found != null) {
                throw new IllegalArgumentException(display(name) + ": " + quote(value.toString()) + " holds " + found.asText()
                        + ", not a finite number");
            }
        });
    }

    /**
     * Arguments given as text (the command line): each value is read as JSON when it is valid JSON
     * ({@code 50}, {@code true}, {@code [0.1, 0.2]}, an object), else as plain text. A value that
     * starts as JSON does ({@code {}, [, ", -} or a digit) must be valid JSON, and a number
     * ({@code 1e999}, {@code NaN}) must be finite.
     */
    public static MethodArguments fromText(List<String> layers, boolean attributeToLayerInput, String output,
            Map<String, String> args, Map<String, String> spelling) {
        Map<String, JsonNode> parsed = new LinkedHashMap<>();
        args.forEach((k, v) -> parsed.put(k, parse(spelling.getOrDefault(k, "argument '" + k + "'"), v)));
        return new MethodArguments(layers, attributeToLayerInput, output, parsed, spelling, Path.of(""));
    }

    private static JsonNode parse(String what, String v) {
        String text = v.strip();
        try (JsonParser p = JSON.createParser(text)) {
            JsonNode n = JSON.readTree(p);
            if (n == null || n.isMissingNode()) {
                return TextNode.valueOf(v);
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException(what + ": " + quote(v) + " is not valid JSON: unexpected text after the value at column "
                        + p.currentTokenLocation().getColumnNr());
            }
            if (nonFinite(n) != null) {
                throw new IllegalArgumentException(what + ": " + quote(v) + (n.isNumber() ? " is not" : " holds a number that is not")
                        + " a finite number");
            }
            return n;
        } catch (JsonProcessingException e) {
            if (isNonFiniteNumber(text)) {
                throw new IllegalArgumentException(what + ": " + quote(v) + " is not a finite number");
            }
            if (startsAsJson(text)) {
                throw new IllegalArgumentException(what + ": " + quote(v) + " is not valid JSON: " + JsonProblem.describe(e));
            }
            return TextNode.valueOf(v);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean startsAsJson(String text) {
        return !text.isEmpty() && ("{[\"-".indexOf(text.charAt(0)) >= 0 || Character.isDigit(text.charAt(0)));
    }

    private static boolean isNonFiniteNumber(String text) {
        try {
            return !Double.isFinite(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The first number in {@code n} that is infinite or NaN, or null. */
    private static JsonNode nonFinite(JsonNode n) {
        if (n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue())) {
            return n;
        }
        for (JsonNode child : n) {
            JsonNode found = nonFinite(child);
            if (found != null) {
                return found;
            }
        }
        return null;
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

    /** A whole number of at least 1 (a count or a size); {@code dflt} when absent. */
    public int positive(String name, int dflt) {
        return between(name, 1, Integer.MAX_VALUE, dflt);
    }

    /** A whole number from {@code minimum} to {@code maximum}; {@code dflt} when absent. */
    public int between(String name, int minimum, int maximum, int dflt) {
        JsonNode n = get(name);
        if (n == null) {
            return dflt;
        }
        String expected = maximum == Integer.MAX_VALUE ? "a whole number of at least " + minimum
                : "a whole number from " + minimum + " to " + maximum;
        if (!n.isIntegralNumber()) {
            throw bad(name, n, expected);
        }
        if (!n.canConvertToInt()) {
            throw bad(name, n, expected + (maximum == Integer.MAX_VALUE ? " up to " + Integer.MAX_VALUE : ""));
        }
        if (n.asInt() < minimum || n.asInt() > maximum) {
            throw bad(name, n, expected);
        }
        return n.asInt();
    }

    /** A whole number that may exceed int (seeds). */
    public long longValue(String name, long dflt) {
        JsonNode n = get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw bad(name, n, "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
        }
        return n.asLong();
    }

    /** Text. */
    public String string(String name, String dflt) {
        JsonNode n = get(name);
        if (n != null && !n.isTextual()) {
            throw bad(name, n, "text");
        }
        return n == null ? dflt : n.asText();
    }

    /** Text read by {@code parser} (a name from a fixed set); its complaint names the argument as the caller gave it. */
    public <T> T choice(String name, String dflt, java.util.function.Function<String, T> parser) {
        String text = string(name, dflt);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(display(name) + ": " + e.getMessage(), e);
        }
    }

    /** A number or a list of numbers (one per input), each at least {@code minimum}; {@code {dflt}} when absent. */
    public double[] numbers(String name, double dflt, double minimum) {
        JsonNode n = get(name);
        if (n == null) {
            return new double[] {dflt};
        }
        List<JsonNode> items = n.isArray() ? toList(n) : List.of(n);
        if (items.isEmpty()) {
            throw bad(name, n, "a number or a non-empty list of numbers");
        }
        double[] r = new double[items.size()];
        for (int i = 0; i < r.length; i++) {
            if (!items.get(i).isNumber()) {
                throw bad(name, n, "a number or a list of numbers");
            }
            r[i] = items.get(i).asDouble();
            if (r[i] < minimum) {
                throw bad(name, n, "at least " + minimum + (r.length == 1 ? "" : " in every item"));
            }
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
                Path p = file(name, e.asText());
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

    private Path file(String name, String text) {
        try {
            return baseDir.resolve(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(display(name) + ": " + quote(text) + " is not a file path");
        }
    }

    /** The existing files that the text values of these arguments name (.npy paths), as the caller wrote them. */
    public Set<Path> files() {
        Set<Path> found = new LinkedHashSet<>();
        args.forEach((name, value) -> collectFiles(value, found));
        return found;
    }

    private void collectFiles(JsonNode n, Set<Path> found) {
        if (n.isTextual()) {
            try {
                Path p = baseDir.resolve(n.asText());
                if (!n.asText().isEmpty() && Files.exists(p)) {
                    found.add(p);
                }
            } catch (InvalidPathException e) {
                // not a path, so not a file
            }
        }
        n.forEach(child -> collectFiles(child, found));
    }

    /**
     * LRP rules: an object mapping module paths or node names to
     * {@code {"rule": "EpsilonRule"|"GammaRule"|"Alpha1_Beta0_Rule"|"IdentityRule", "epsilon"|"gamma": x}};
     * an unknown rule or key, or a value of the wrong type, fails naming it.
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
        n.properties().forEach(e -> rules.put(e.getKey(), lrpRule(name, e.getKey(), e.getValue())));
        return rules;
    }

    private LrpRule lrpRule(String name, String layer, JsonNode r) {
        String where = display(name) + ": the rule of '" + layer + "'";
        if (layer.isEmpty()) {
            throw new IllegalArgumentException(display(name) + ": a rule needs a node name or module path, not \"\"");
        }
        if (!r.isObject()) {
            throw new IllegalArgumentException(where + (r.isNull() ? " is empty" : " is " + quote(r.toString()))
                    + "; give an object such as {\"rule\": \"EpsilonRule\"}");
        }
        JsonNode ruleName = r.get("rule");
        if (ruleName == null || !ruleName.isTextual()) {
            throw new IllegalArgumentException(where + " needs \"rule\": one of " + String.join(", ", lrpRuleNames()));
        }
        String rule = ruleName.asText();
        Set<String> keys = LRP_KEYS.get(rule);
        if (keys == null) {
            throw new IllegalArgumentException(where + ": unknown LRP rule '" + rule + "'" + ClosestNames.didYouMean(rule, lrpRuleNames())
                    + "; rules: " + String.join(", ", lrpRuleNames()));
        }
        for (String key : r.properties().stream().map(Map.Entry::getKey).toList()) {
            if (!key.equals("rule") && !keys.contains(key)) {
                throw new IllegalArgumentException(where + ": " + rule + " takes no key '" + key + "'"
                        + (keys.isEmpty() ? "" : "; its keys: " + String.join(", ", new java.util.TreeSet<>(keys))));
            }
        }
        return switch (rule) {
            case "EpsilonRule" -> new LrpRule.EpsilonRule(ruleNumber(where, r, "epsilon", LrpRule.STABILITY, 0));
            case "GammaRule" -> new LrpRule.GammaRule(ruleNumber(where, r, "gamma", 0.25, Double.NEGATIVE_INFINITY),
                    ruleFlag(where, r, "set_bias_to_zero"));
            case "Alpha1_Beta0_Rule" -> new LrpRule.Alpha1Beta0Rule(ruleFlag(where, r, "set_bias_to_zero"));
            default -> new LrpRule.IdentityRule();
        };
    }

    private static List<String> lrpRuleNames() {
        return List.of("EpsilonRule", "GammaRule", "Alpha1_Beta0_Rule", "IdentityRule");
    }

    private static double ruleNumber(String where, JsonNode r, String key, double dflt, double minimum) {
        JsonNode v = r.get(key);
        if (v == null) {
            return dflt;
        }
        if (!v.isNumber() || v.asDouble() < minimum) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" is " + quote(v.toString()) + ", not a "
                    + (minimum == 0 ? "non-negative " : "") + "number");
        }
        return v.asDouble();
    }

    private static boolean ruleFlag(String where, JsonNode r, String key) {
        JsonNode v = r.get(key);
        if (v != null && !v.isBoolean()) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" is " + quote(v.toString()) + ", not true or false");
        }
        return v != null && v.asBoolean();
    }

    /** Fails naming the first argument {@code method} did not read, with the closest one it reads. */
    public void requireAllUsed(String method) {
        for (String name : args.keySet()) {
            if (!used.contains(name)) {
                throw new IllegalArgumentException(display(name) + " is not an argument of " + method
                        + ClosestNames.didYouMean(name, used));
            }
        }
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l;
    }

    private String display(String name) {
        String s = spelling.get(name);
        return s == null ? "argument '" + name + "'" : s.contains(name) ? s : s + " (" + name + ")";
    }

    private IllegalArgumentException bad(String name, JsonNode value, String expected) {
        return new IllegalArgumentException(display(name) + ": " + quote(value.toString()) + " is not " + expected);
    }

    /** {@code text}, shortened to {@value #QUOTE_LIMIT} characters. */
    private static String quote(String text) {
        return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "…";
    }
}
