package dev.jattr.cli;

import java.io.IOException;
import java.nio.file.Path;

/** Named pipes for hostile cases, made with the system's {@code mkfifo} where there is one. */
final class Fifo {
    private static final boolean AVAILABLE = probe();

    private Fifo() {}

    /** Whether {@code mkfifo} can be run here. */
    static boolean available() {
        return AVAILABLE;
    }

    /** Makes a named pipe at {@code p}. */
    static void make(Path p) throws IOException {
        try {
            int code = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor();
            if (code != 0) {
                throw new IOException("mkfifo " + p + " exited with " + code);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted making " + p, e);
        }
    }

    private static boolean probe() {
        try {
            return new ProcessBuilder("mkfifo", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
