package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Hostile image inputs and image options ({@link HostileImages}): each fails cleanly with one line naming its fault, or succeeds. */
class HostileImagesTest {
    @TestFactory
    Stream<DynamicTest> hostileImagesFailCleanly() {
        return Hostile.tests(HostileImages.cases());
    }

    @Test
    void theFamilyIsLarge() {
        int n = HostileImages.cases().size();
        assertTrue(n >= 60, "only " + n + " hostile image cases");
    }
}
