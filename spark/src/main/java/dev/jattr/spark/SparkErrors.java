package dev.jattr.spark;

import static dev.jattr.cli.Main.oneLine;

import dev.jattr.graph.ExecutionException;
import dev.jattr.onnx.UnsupportedModelException;
import java.io.UncheckedIOException;
import org.apache.spark.sql.AnalysisException;

/**
 * What an exception that ended a run means, in one line. Spark wraps a task's exception in its
 * own (a failed stage, a failed write), so the first exception of the cause chain that jattr or
 * Spark's analysis made for the user is the one shown.
 *
 * @param user    whether the user can fix it (exit 2) rather than a failure inside jattr or Spark (exit 1)
 * @param message the message, one line
 */
record SparkErrors(boolean user, String message) {
    /** The problem {@code e} reports. */
    static SparkErrors of(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            switch (c) {
                case OutOfMemoryError oom -> {
                    return new SparkErrors(true, "out of memory (Java may use " + Runtime.getRuntime().maxMemory() / (1 << 20)
                            + " MiB): give a smaller --batch-size, or more memory (JAVA_OPTS=-Xmx8g, spark.executor.memory)");
                }
                case AnalysisException a -> {
                    return new SparkErrors(true, oneLine(withoutErrorClass(a.getMessage())));
                }
                case IllegalArgumentException i when i.getMessage() != null -> {
                    return new SparkErrors(true, oneLine(withoutErrorClass(i.getMessage())));
                }
                case UnsupportedModelException u -> {
                    return new SparkErrors(true, oneLine(u.getMessage()));
                }
                case ExecutionException x -> {
                    return new SparkErrors(true, oneLine(x.getMessage()));
                }
                case UncheckedIOException io -> {
                    String cause = io.getCause() == null || io.getCause().getMessage() == null ? "" : ": " + io.getCause().getMessage();
                    return new SparkErrors(true, oneLine(io.getMessage() + cause));
                }
                default -> { }
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new SparkErrors(false, oneLine(root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage())));
    }

    /** Spark's message without its {@code [ERROR_CLASS]} prefix and {@code SQLSTATE} suffix. */
    private static String withoutErrorClass(String message) {
        return message.replaceFirst("^\\[[A-Z0-9_.]+\\]\\s*", "").replaceFirst("\\s*SQLSTATE: \\w+\\s*$", "");
    }
}
