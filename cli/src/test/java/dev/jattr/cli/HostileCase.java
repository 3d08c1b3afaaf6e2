package dev.jattr.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One hostile input given to the command line: files written into a fresh folder, the arguments
 * (which may name those files), and what must happen.
 *
 * @param family    the class of fault (a root cause of the hardening issue), for reports
 * @param name      what this case does, unique within its family
 * @param setup     writes the case's files into the folder
 * @param args      the command line, given the folder
 * @param mentions  fragments the one-line error must contain (case-insensitive), naming the
 *                  file, node, field or argument at fault; empty when the case must succeed
 * @param succeeds  whether the run must succeed (exit 0) rather than fail cleanly (exit 2)
 */
record HostileCase(String family, String name, Setup setup, Args args, List<String> mentions, boolean succeeds) {
    /** Writes the case's files. */
    @FunctionalInterface
    interface Setup {
        void write(Path dir) throws IOException;
    }

    /** Builds the arguments. */
    @FunctionalInterface
    interface Args {
        String[] of(Path dir);
    }

    /** A case that must fail with one line naming every fragment of {@code mentions}. */
    static HostileCase fails(String family, String name, Setup setup, Args args, String... mentions) {
        return new HostileCase(family, name, setup, args, List.of(mentions), false);
    }

    /** A case that must succeed (a valid input close to the hostile ones, so the checks stay honest). */
    static HostileCase succeeds(String family, String name, Setup setup, Args args) {
        return new HostileCase(family, name, setup, args, List.of(), true);
    }

    @Override
    public String toString() {
        return family + ": " + name;
    }
}
