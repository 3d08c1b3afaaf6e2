package dev.jattr.cli;

import dev.jattr.attr.Progress;
import java.io.PrintWriter;

/**
 * Shows a long attribution's progress on standard error: nothing during the first two seconds
 * (quick runs stay silent), then at most one line a second.
 */
final class ProgressPrinter implements Progress {
    private static final long QUIET_NANOS = 2_000_000_000L, EVERY_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final long start = System.nanoTime();
    private long last = start;

    ProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void update(String method, long done, long total) {
        long now = System.nanoTime();
        if (now - start < QUIET_NANOS || now - last < EVERY_NANOS && done < total) {
            return;
        }
        last = now;
        err.printf("jattr: %s %d/%d (%.0f s)%n", method, done, total, (now - start) / 1e9);
        err.flush();
    }
}
