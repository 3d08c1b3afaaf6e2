package dev.jattr.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Sends a report that prints to a {@link PrintStream} to a command's standard output writer. */
final class ReportOutput {
    private ReportOutput() {}

    /** Runs {@code report} against a buffer and writes what it printed to {@code out}. */
    static void print(PrintWriter out, Consumer<PrintStream> report) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            report.accept(ps);
        }
        out.print(text.toString(StandardCharsets.UTF_8));
        out.flush();
    }
}
