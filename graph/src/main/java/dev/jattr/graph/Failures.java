package dev.jattr.graph;

/** Telling a failure explained for a person from Java's own text ("Index 2 out of bounds", a null pointer). */
public final class Failures {
    private Failures() {}

    /**
     * Whether {@code e}'s message was written for a person: an argument or state failure with a
     * message, as jattr throws them, and not one whose text is Java's (a number format, an index
     * out of bounds, a null pointer, a class cast, an arithmetic overflow).
     */
    public static boolean isExplained(RuntimeException e) {
        if (e.getMessage() == null || e.getMessage().isBlank() || e instanceof NumberFormatException) {
            return false;
        }
        return e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof UnsupportedOperationException || e instanceof ExecutionException;
    }

    /** The shapes of {@code in} for a message ("[2, 4], absent"). */
    public static String shapes(Tensor[] in) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < in.length; i++) {
            b.append(i == 0 ? "" : ", ").append(in[i] == null ? "absent" : java.util.Arrays.toString(in[i].shape()));
        }
        return b.toString();
    }
}
