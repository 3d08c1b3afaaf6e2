package dev.jattr.graph;

/** A failure while running or differentiating a node; the message names the node and its op. */
public final class ExecutionException extends RuntimeException {
    /** Wraps {@code cause}, prefixing its message with {@code where}. */
    public ExecutionException(String where, Throwable cause) {
        super(where + ": " + cause.getMessage(), cause);
    }

    /** An exception with a complete message. */
    public ExecutionException(String message) {
        super(message);
    }
}
