package dev.jattr.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's read-only corpora at {@code ../shared} (system property {@code jattr.shared}).
 * Outside CI a missing corpus skips the test with a message; in CI ({@code CI=true}) it fails it,
 * so a CI run can never pass by skipping the corpus tests.
 */
public final class SharedData {
    private SharedData() {}

    /** The shared folder, whether or not it exists. */
    public static Path root() {
        return Path.of(System.getProperty("jattr.shared", "../../shared"));
    }

    /** Whether this run is CI's ({@code CI=true} in the environment). */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * {@code root().resolve(relative)}, which must exist: when it does not, the test is skipped
     * with a message, or fails under CI.
     */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            String message = "shared corpus not found at " + p.toAbsolutePath().normalize();
            if (inCi()) {
                fail(message + ": CI=true needs ../shared");
            }
            abort(message + ": skipping");
        }
        return p;
    }
}
