package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.attr.Target;
import org.junit.jupiter.api.Test;

/** The target syntax of {@code --target} and the shape text of {@code jattr layers}. */
class ArgumentsTest {
    @Test
    void oneIndexTupleIndexAndPerExample() {
        assertArrayEquals(new int[] {3}, ((Target.Index) Arguments.target("3")).index());
        assertArrayEquals(new int[] {1, 2}, ((Target.Index) Arguments.target("1:2")).index());
        var per = (Target.PerExample) Arguments.target("3,7");
        assertEquals(2, per.indices().size());
        assertArrayEquals(new int[] {7}, per.indices().get(1));
        var tuples = (Target.PerExample) Arguments.target("0:1, 2:3");
        assertArrayEquals(new int[] {2, 3}, tuples.indices().get(1));
        var e = assertThrows(IllegalArgumentException.class, () -> Arguments.target("3,"));
        assertTrue(e.getMessage().startsWith("--target '3,' is not a target"), e.getMessage());
    }

    @Test
    void malformedTargetsNameTheFaultyPart() {
        assertEquals("--target '99999999999999999999': index 99999999999999999999 is out of range",
                assertThrows(IllegalArgumentException.class, () -> Arguments.target("99999999999999999999")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Arguments.target("1:")).getMessage()
                .startsWith("--target '1:' is not a target (an index is missing)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Arguments.target("a")).getMessage()
                .startsWith("--target 'a' is not a target ('a' is not a whole number)"));
    }

    @Test
    void dimensionsThatFollowTheBatchPrintAsItsSymbol() {
        assertEquals("[batch, 4, 2, 2]", ShapeInference.text(new int[] {1, 4, 2, 2}, new int[] {2, 4, 2, 2}, "batch"));
        assertEquals("[N*16]", ShapeInference.text(new int[] {16}, new int[] {32}, "N"));
        assertEquals("[1, 3]", ShapeInference.text(new int[] {1, 3}, null, "batch"));
        assertEquals("[?, 3]", ShapeInference.text(new int[] {5, 3}, new int[] {7, 3}, "batch"));
    }
}
