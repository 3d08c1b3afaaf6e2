package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Hostile arrays, numbers and targets fail cleanly through the command line; their near misses succeed. */
class HostileArraysTest {
    @TestFactory
    Stream<DynamicTest> hostileArraysFailCleanly() {
        return Hostile.tests(HostileArrays.cases());
    }

    @Test
    void theFamilyIsLarge() {
        int n = HostileArrays.cases().size();
        assertTrue(n >= 300, "only " + n + " hostile array cases");
    }
}
