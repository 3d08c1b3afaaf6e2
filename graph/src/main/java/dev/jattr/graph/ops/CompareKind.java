package dev.jattr.graph.ops;

/** The ONNX comparison ops: each yields a boolean per (broadcast) element pair. */
public enum CompareKind {
    /** a = b. */
    EQUAL("Equal"),
    /** a &lt; b. */
    LESS("Less"),
    /** a ≤ b. */
    LESS_OR_EQUAL("LessOrEqual"),
    /** a &gt; b. */
    GREATER("Greater"),
    /** a ≥ b. */
    GREATER_OR_EQUAL("GreaterOrEqual");

    private final String onnxName;

    CompareKind(String onnxName) {
        this.onnxName = onnxName;
    }

    /** The ONNX op type. */
    public String onnxName() {
        return onnxName;
    }

    /** The comparison, given {@code Long.compare}/{@code Double.compare}-style sign c of a − b (NaN never compares true). */
    boolean holds(int c) {
        return switch (this) {
            case EQUAL -> c == 0;
            case LESS -> c < 0;
            case LESS_OR_EQUAL -> c <= 0;
            case GREATER -> c > 0;
            case GREATER_OR_EQUAL -> c >= 0;
        };
    }
}
