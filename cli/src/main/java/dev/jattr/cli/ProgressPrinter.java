package dev.jattr.cli;

import dev.jattr.attr.Progress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows a long attribution's progress on standard error: nothing during the first second (quick
 * runs stay silent), then work done of total, rate and time left; as a bar redrawn in place on a
 * terminal, as a line every few seconds otherwise (a log, a pipe).
 */
final class ProgressPrinter implements Progress {
    private static final long QUIET_NANOS = 1_000_000_000L, BAR_NANOS = 200_000_000L, LINE_NANOS = 5_000_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private final long start;
    private long last;
    private boolean shown;

    /**
     * @param terminal whether standard error is a terminal: redraw a bar in place
     * @param start    when the run began ({@link System#nanoTime})
     */
    ProgressPrinter(PrintWriter err, boolean terminal, long start) {
        this.err = err;
        this.terminal = terminal;
        this.start = start;
        this.last = start;
    }

    /** The progress of a command: none with {@code --quiet}, else printed to {@code err}. */
    static Progress of(PrintWriter err, boolean quiet) {
        java.io.Console console = System.console();
        return quiet ? Progress.NONE : new ProgressPrinter(err, console != null && console.isTerminal(), System.nanoTime());
    }

    @Override
    public void update(String method, long done, long total) {
        update(method, done, total, System.nanoTime());
    }

    /** {@link #update(String, long, long)} at time {@code now}, for tests. */
    void update(String method, long done, long total, long now) {
        boolean finished = done >= total;
        if (now - start < QUIET_NANOS || shown && !finished && now - last < (terminal ? BAR_NANOS : LINE_NANOS)) {
            return;
        }
        last = now;
        shown = true;
        String text = text(method, done, total, (now - start) / 1e9);
        if (terminal) {
            err.print("\r" + text + (finished ? System.lineSeparator() : ""));
        } else {
            err.println(text);
        }
        err.flush();
    }

    /** One report: {@code jattr: LayerIntegratedGradients [#####     ] 23/50, 11.5/s, 2 s left}. */
    static String text(String method, long done, long total, double seconds) {
        double rate = seconds > 0 ? done / seconds : 0;
        int filled = total > 0 ? (int) Math.min(BAR_WIDTH, BAR_WIDTH * done / total) : 0;
        String bar = "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled);
        String left = done >= total ? String.format(Locale.ROOT, "done in %.1f s", seconds)
                : rate > 0 ? String.format(Locale.ROOT, "%.0f s left", (total - done) / rate) : "time left unknown";
        return String.format(Locale.ROOT, "jattr: %s [%s] %d/%d, %.3g/s, %s", method, bar, done, total, rate, left);
    }
}
