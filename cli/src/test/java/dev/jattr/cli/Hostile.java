package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs {@link HostileCase}s through the command line in-process ({@link Main#execute}) and checks
 * the rules every failure keeps: exit code 2, exactly one line {@code jattr: …} on standard error
 * naming what is at fault, no raw Java exception text, bounded time, and nothing written.
 */
final class Hostile {
    /** How long one case may take. */
    static final Duration TIME_LIMIT = Duration.ofSeconds(20);

    /** Text that only a raw Java exception message would contain. */
    private static final List<Pattern> RAW_JAVA = Stream.of(
            "Index -?\\d+ out of bounds", "out of bounds for length", "Negative size", "For input string",
            "\\bjava\\.", "\\bjdk\\.", "Exception", "\\bnull\\b", "NullPointer", "OutOfMemory", "cannot be cast",
            "NoSuchElement", "\\bat dev\\.jattr", "Cannot invoke", "because \"", "StackOverflow",
            "internal error", "com\\.google", "InvalidProtocolBuffer")
            .map(Pattern::compile).toList();

    private Hostile() {}

    /** One dynamic test per case. */
    static Stream<DynamicTest> tests(List<HostileCase> cases) {
        Set<String> names = new TreeSet<>();
        for (HostileCase c : cases) {
            assertTrue(names.add(c.toString()), "two hostile cases are named " + c);
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
    }

    /** Runs one case in a fresh folder and checks its outcome. */
    static void check(HostileCase c) throws IOException {
        Path dir = Files.createTempDirectory("jattr-hostile");
        try {
            c.setup().write(dir);
            Set<String> before = listing(dir);
            CliRun r = assertTimeoutPreemptively(TIME_LIMIT, () -> CliRun.of(c.args().of(dir)),
                    () -> c + " ran longer than " + TIME_LIMIT);
            if (c.succeeds()) {
                assertEquals(0, r.code(), () -> c + " must succeed, but: " + r.err());
                return;
            }
            String[] lines = r.errLines();
            assertEquals(Main.USER_ERROR, r.code(), () -> c + " must fail with exit 2; stderr: " + r.err());
            assertEquals(1, lines.length, () -> c + " must print one line, printed: " + r.err());
            String line = lines[0];
            assertTrue(line.startsWith("jattr: "), () -> c + ": " + line);
            for (Pattern p : RAW_JAVA) {
                if (p.matcher(line).find()) {
                    fail(c + ": the message shows raw Java text /" + p + "/: " + line);
                }
            }
            String lower = line.toLowerCase(Locale.ROOT);
            for (String m : c.mentions()) {
                assertTrue(lower.contains(m.toLowerCase(Locale.ROOT)), () -> c + ": the message must name '" + m + "': " + line);
            }
            assertEquals(before, listing(dir), () -> c + " wrote files although it failed: " + line);
        } finally {
            delete(dir);
        }
    }

    private static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
