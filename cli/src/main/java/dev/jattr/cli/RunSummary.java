package dev.jattr.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A small JSON writer for {@code --json}: maps, lists, strings, numbers (NaN and infinities as
 * null, which JSON lacks), booleans and null, with the file's SHA-256 helper beside.
 */
final class RunSummary {
    private RunSummary() {}

    /** A JSON object of alternating keys and values, in that order. */
    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** {@code value} as JSON text, maps with their keys in iteration order, indented by two spaces. */
    static String json(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, "");
        return b.append('\n').toString();
    }

    private static void write(StringBuilder b, Object v, String indent) {
        switch (v) {
            case null -> b.append("null");
            case String s -> b.append(quote(s));
            case Boolean x -> b.append(x);
            case Integer x -> b.append(x);
            case Long x -> b.append(x);
            case Number x -> b.append(Double.isFinite(x.doubleValue()) ? String.format(Locale.ROOT, "%.9g", x.doubleValue())
                    .replaceFirst("\\.?0+(e|$)", "$1") : "null");
            case double[] xs -> write(b, java.util.Arrays.stream(xs).boxed().toList(), indent);
            case int[] xs -> b.append(java.util.Arrays.stream(xs).mapToObj(String::valueOf).collect(Collectors.joining(", ", "[", "]")));
            case Map<?, ?> m -> {
                String inner = indent + "  ";
                b.append("{");
                boolean first = true;
                for (var e : m.entrySet()) {
                    b.append(first ? "\n" : ",\n").append(inner).append(quote(String.valueOf(e.getKey()))).append(": ");
                    write(b, e.getValue(), inner);
                    first = false;
                }
                b.append(first ? "}" : "\n" + indent + "}");
            }
            case List<?> l -> {
                b.append("[");
                for (int i = 0; i < l.size(); i++) {
                    b.append(i == 0 ? "" : ", ");
                    write(b, l.get(i), indent);
                }
                b.append("]");
            }
            default -> b.append(quote(v.toString()));
        }
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }

    /** The SHA-256 of {@code file} in lower-case hex. */
    static String sha256(Path file) {
        return dev.jattr.batch.BatchRun.sha256(file);
    }
}
