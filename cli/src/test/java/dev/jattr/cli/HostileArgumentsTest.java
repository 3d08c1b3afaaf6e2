package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Hostile command lines ({@link HostileArguments}): each fails cleanly with one line naming its fault, or succeeds. */
class HostileArgumentsTest {
    @TestFactory
    Stream<DynamicTest> hostileArgumentsFailCleanly() {
        return Hostile.tests(HostileArguments.cases());
    }

    @Test
    void theFamilyIsLarge() {
        int n = HostileArguments.cases().size();
        assertTrue(n >= 350, "only " + n + " hostile argument cases");
    }
}
