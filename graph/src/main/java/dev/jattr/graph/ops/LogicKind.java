package dev.jattr.graph.ops;

/** The ONNX binary logic ops on booleans. */
public enum LogicKind {
    /** a ∧ b. */
    AND("And"),
    /** a ∨ b. */
    OR("Or"),
    /** a ⊕ b. */
    XOR("Xor");

    private final String onnxName;

    LogicKind(String onnxName) {
        this.onnxName = onnxName;
    }

    /** The ONNX op type. */
    public String onnxName() {
        return onnxName;
    }

    boolean apply(boolean a, boolean b) {
        return switch (this) {
            case AND -> a && b;
            case OR -> a || b;
            case XOR -> a ^ b;
        };
    }
}
