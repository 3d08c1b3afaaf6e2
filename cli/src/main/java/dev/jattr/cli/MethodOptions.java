package dev.jattr.cli;

import dev.jattr.attr.LayerMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A method's configuration from the command line: the layers, and every other argument by its
 * Captum name ({@code n_steps}, {@code multiply_by_inputs}, …) as text. The dedicated flags
 * ({@code --n-steps}) and {@code --arg n_steps=50} land in the same map. A {@link MethodFactory}
 * reads what its method takes; an argument that no method read is an error, so a flag is never
 * silently ignored.
 */
public final class MethodOptions {
    private final List<String> layers;
    private final boolean attributeToLayerInput;
    private final String output;
    private final Map<String, String> args;
    private final Map<String, String> spelling;
    private final Set<String> used = new HashSet<>();

    /**
     * Options for {@code layers}.
     *
     * @param layers                the layers (node, tensor or module names)
     * @param attributeToLayerInput Captum's {@code attribute_to_layer_input}
     * @param output                the model output to explain, or null for the first
     * @param args                  Captum-named arguments as text
     * @param spelling              how the user wrote each argument (for messages), by Captum name
     */
    public MethodOptions(List<String> layers, boolean attributeToLayerInput, String output, Map<String, String> args,
            Map<String, String> spelling) {
        this.layers = List.copyOf(layers);
        this.attributeToLayerInput = attributeToLayerInput;
        this.output = output;
        this.args = new LinkedHashMap<>(args);
        this.spelling = Map.copyOf(spelling);
    }

    /** Options holding only Captum-named arguments (each spelled {@code --arg name=…} in messages). */
    public static MethodOptions of(List<String> layers, Map<String, String> args) {
        return new MethodOptions(layers, false, null, args, Map.of());
    }

    /** Applies the options every layer method shares to {@code b}. */
    public <B extends LayerMethod.Builder<B>> B common(B b) {
        b.layers(layers).attributeToLayerInput(attributeToLayerInput);
        return output == null ? b : b.output(output);
    }

    /** Argument {@code name} as an integer, or {@code dflt} when not given. */
    public int integer(String name, int dflt) {
        return parsed(name, dflt, Integer::valueOf, "an integer");
    }

    /** Argument {@code name} as a number, or {@code dflt} when not given. */
    public double number(String name, double dflt) {
        return parsed(name, dflt, Double::valueOf, "a number");
    }

    private <T> T parsed(String name, T dflt, java.util.function.Function<String, T> parse, String expected) {
        String v = take(name);
        if (v == null) {
            return dflt;
        }
        try {
            return parse.apply(v.strip());
        } catch (NumberFormatException e) {
            throw bad(name, v, expected);
        }
    }

    /** Argument {@code name} as a boolean ({@code true/false}, {@code 1/0}), or {@code dflt} when not given. */
    public boolean bool(String name, boolean dflt) {
        String v = take(name);
        if (v == null) {
            return dflt;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw bad(name, v, "true or false");
        };
    }

    /** Argument {@code name} as text, or {@code dflt} when not given. */
    public String string(String name, String dflt) {
        String v = take(name);
        return v == null ? dflt : v;
    }

    /** Argument {@code name} as the path of an existing file, or null when not given. */
    public Path file(String name) {
        String v = take(name);
        if (v == null) {
            return null;
        }
        Path p = Path.of(v);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(display(name) + ": file not found: " + v);
        }
        return p;
    }

    /** Fails naming the first argument that {@code method} did not read. */
    public void requireAllUsed(String method) {
        for (String name : args.keySet()) {
            if (!used.contains(name)) {
                throw new IllegalArgumentException(display(name) + " is not an argument of " + method);
            }
        }
    }

    private String take(String name) {
        used.add(name);
        return args.get(name);
    }

    private String display(String name) {
        return spelling.getOrDefault(name, "--arg " + name);
    }

    private IllegalArgumentException bad(String name, String value, String expected) {
        return new IllegalArgumentException(display(name) + ": '" + value + "' is not " + expected);
    }
}
