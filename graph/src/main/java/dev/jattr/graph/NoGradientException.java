package dev.jattr.graph;

/** Thrown when a gradient is asked of an op that declares none (comparisons, Shape, ArgMax…). */
public final class NoGradientException extends RuntimeException {
    /** An exception for op {@code opType}. */
    public NoGradientException(String opType) {
        super("op " + opType + " has no gradient");
    }
}
