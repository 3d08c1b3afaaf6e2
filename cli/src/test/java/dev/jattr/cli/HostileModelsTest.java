package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.Limits;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Hostile ONNX model files through the command line: each fails cleanly, each near miss succeeds.
 * The Loop iteration limit is lowered to 10,000 here (it is settable for exactly this), so the
 * endless-loop cases take milliseconds instead of the seconds a million iterations take.
 */
class HostileModelsTest {
    @BeforeAll
    static void lowerTheLoopLimit() {
        System.setProperty(Limits.LOOP_ITERATIONS, "10000");
    }

    @AfterAll
    static void restoreTheLoopLimit() {
        System.clearProperty(Limits.LOOP_ITERATIONS);
    }

    @TestFactory
    Stream<DynamicTest> hostileModelFilesFailCleanly() {
        return Hostile.tests(HostileModels.cases());
    }

    @Test
    void theFamilyHoldsAtLeast400Cases() {
        int n = HostileModels.cases().size();
        assertTrue(n >= 400, "only " + n + " hostile cases");
    }
}
