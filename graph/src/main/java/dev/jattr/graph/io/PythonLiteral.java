package dev.jattr.graph.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of the Python literals a {@code .npy} header is written in (what NumPy reads with
 * {@code ast.literal_eval}): dictionaries with string keys, strings in either quote style,
 * tuples, lists, integers, {@code True}, {@code False} and {@code None}, with any whitespace and
 * trailing commas. A dictionary that repeats a key is an error, so no later entry can override
 * an earlier one. Values become {@code Map<String, Object>} (in order), {@code String},
 * {@link Tuple}, {@code List<Object>}, {@code BigInteger}, {@code Boolean} and {@link #NONE}.
 */
final class PythonLiteral {
    /** Python's {@code None}. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** Nesting deeper than this is not a header. */
    private static final int MAX_DEPTH = 32;

    /**
     * A Python tuple.
     *
     * @param items its elements
     */
    record Tuple(List<Object> items) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("(");
            for (int i = 0; i < items.size(); i++) {
                s.append(i == 0 ? "" : ", ").append(show(items.get(i)));
            }
            return s.append(items.size() == 1 ? ",)" : ")").toString();
        }
    }

    private final String text;
    private int at;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** Parses {@code text}, which must hold one literal and nothing else but whitespace. */
    static Object parse(String text) {
        PythonLiteral p = new PythonLiteral(text);
        Object v = p.value(0);
        p.skipSpace();
        if (p.at < text.length()) {
            throw p.error("unexpected " + p.describeNext() + " after the end of the literal");
        }
        return v;
    }

    /** A short Python-like rendering of a parsed value, for messages. */
    static String show(Object v) {
        return switch (v) {
            case String s -> "'" + printable(s) + "'";
            case Boolean b -> b ? "True" : "False";
            case List<?> l -> {
                StringBuilder s = new StringBuilder("[");
                for (int i = 0; i < l.size(); i++) {
                    s.append(i == 0 ? "" : ", ").append(show(l.get(i)));
                }
                yield s.append("]").toString();
            }
            case Map<?, ?> m -> "a dictionary";
            default -> v.toString();
        };
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
        skipSpace();
        if (at >= text.length()) {
            throw error("the literal ends early");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> dict(depth);
            case '(' -> new Tuple(sequence(')', depth));
            case '[' -> sequence(']', depth);
            case '\'', '"' -> string();
            default -> {
                if (c == '-' || c == '+' || Character.isDigit(c)) {
                    yield integer();
                }
                String word = word();
                yield switch (word) {
                    case "True" -> Boolean.TRUE;
                    case "False" -> Boolean.FALSE;
                    case "None" -> NONE;
                    default -> throw error("unexpected " + (word.isEmpty() ? describeNext() : "'" + printable(word) + "'"));
                };
            }
        };
    }

    private Map<String, Object> dict(int depth) {
        at++;
        Map<String, Object> m = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (peek('}')) {
                at++;
                return m;
            }
            int keyAt = at;
            if (!peek('\'') && !peek('"')) {
                throw error("expected a string key or '}', found " + describeNext());
            }
            String key = string();
            skipSpace();
            expect(':');
            Object v;
            try {
                v = value(depth + 1);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("in the value of '" + printable(key) + "', " + e.getMessage(), e);
            }
            if (m.containsKey(key)) {
                at = keyAt;
                throw error("key '" + printable(key) + "' appears twice");
            }
            m.put(key, v);
            if (!separator('}')) {
                return m;
            }
        }
    }

    private List<Object> sequence(char close, int depth) {
        at++;
        List<Object> items = new ArrayList<>();
        while (true) {
            skipSpace();
            if (peek(close)) {
                at++;
                return items;
            }
            items.add(value(depth + 1));
            if (!separator(close)) {
                if (close == ')' && items.size() == 1) {
                    throw error("a parenthesised value is not a tuple; write (" + show(items.getFirst()) + ",)");
                }
                return items;
            }
        }
    }

    /** After an item: consumes ',' (true) or the closing bracket (false). */
    private boolean separator(char close) {
        skipSpace();
        if (peek(',')) {
            at++;
            return true;
        }
        if (peek(close)) {
            at++;
            return false;
        }
        throw error("expected ',' or '" + close + "', found " + describeNext());
    }

    private String string() {
        char quote = text.charAt(at++);
        StringBuilder s = new StringBuilder();
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == quote) {
                return s.toString();
            }
            if (c == '\n') {
                break;
            }
            if (c == '\\' && at < text.length()) {
                char e = text.charAt(at++);
                s.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    default -> e;
                });
            } else {
                s.append(c);
            }
        }
        throw error("a string is not closed");
    }

    private BigInteger integer() {
        int start = at;
        if (peek('-') || peek('+')) {
            at++;
            skipSpace();
        }
        int digits = at;
        while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '_')) {
            at++;
        }
        String d = text.substring(digits, at).replace("_", "");
        if (d.isEmpty() || at < text.length() && (Character.isLetter(text.charAt(at)) || text.charAt(at) == '.')
                || d.length() > 1 && d.charAt(0) == '0' && !d.chars().allMatch(ch -> ch == '0')) {
            at = start;
            throw error("'" + printable(rawToken()) + "' is not an integer");
        }
        if (d.length() > 40) {
            at = start;
            throw error("an integer of " + d.length() + " digits");
        }
        BigInteger v = new BigInteger(d);
        return text.charAt(start) == '-' ? v.negate() : v;
    }

    private String word() {
        int start = at;
        while (at < text.length() && Character.isLetterOrDigit(text.charAt(at))) {
            at++;
        }
        return text.substring(start, at);
    }

    private String rawToken() {
        int end = at;
        while (end < text.length() && end - at < 24 && !Character.isWhitespace(text.charAt(end))
                && ",:)]}".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        return text.substring(at, end);
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "', found " + describeNext());
        }
        at++;
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private String describeNext() {
        return at >= text.length() ? "the end of the header" : "'" + printable(String.valueOf(text.charAt(at))) + "'";
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at character " + at);
    }

    /** {@code s} with control and non-ASCII characters escaped, cut to 40 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 40; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format(c <= 0xff ? "\\x%02x" : "\\u%04x", (int) c));
        }
        return b.length() >= 40 ? b + "…" : b.toString();
    }
}
