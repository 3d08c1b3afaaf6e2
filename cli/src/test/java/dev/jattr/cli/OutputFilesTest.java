package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outputs of one run: checked against every file it reads before computing, written all or none. */
class OutputFilesTest {
    @TempDir
    Path dir;

    @Test
    void whenTheSecondWriteFailsNoFileOfTheSetIsLeftAndEarlierOutputsStay() throws IOException {
        Tensor old = Tensor.of(new float[] {9f}, 1);
        Npy.write(dir.resolve("a.npy"), old);
        OutputFiles files = OutputFiles.plan(List.of(dir.resolve("a.npy").toString()), 2, true, Map.of());
        assertEquals(List.of(dir.resolve("a.npy"), dir.resolve("a.1.npy")), files.attributions());
        assertEquals(Optional.of(dir.resolve("a.delta.npy")), files.delta());
        int[] writes = {0};
        assertThrows(IllegalStateException.class, () -> files.write(List.of(Tensor.of(new float[] {1f}, 1), Tensor.of(new float[] {2f}, 1)),
                Optional.of(Tensor.of(new float[] {3f}, 1)), (p, t) -> {
                    if (++writes[0] == 2) {
                        throw new IllegalStateException("disk full");
                    }
                    Npy.write(p, t);
                }));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("a.npy")), left.toList());
        }
        assertArrayEquals(old.floats(), Npy.read(dir.resolve("a.npy")).floats());
    }

    @Test
    void anOutputThatIsAnInputUnderAnotherSpellingIsRefused() throws IOException {
        Path input = dir.resolve("x.npy");
        Npy.write(input, Tensor.of(new float[] {1f}, 1));
        Files.createDirectory(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("link.npy"), input);
        for (String spelling : List.of("sub/../x.npy", "./x.npy", "link.npy")) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> OutputFiles.plan(List.of(dir.resolve(spelling).toString()), 1, false, Map.of(input, "--input x=x.npy")));
            assertTrue(e.getMessage().endsWith("is the same file as --input x=x.npy; write the output elsewhere"), e.getMessage());
        }
        var delta = assertThrows(IllegalArgumentException.class, () -> OutputFiles.plan(List.of(dir.resolve("a.npy").toString(),
                dir.resolve("a.delta.npy").toString()), 2, true, Map.of()));
        assertTrue(delta.getMessage().startsWith("delta file " + dir.resolve("a.delta.npy")), delta.getMessage());
    }

    @Test
    void anOutputNeedsAnExistingFolder() {
        var e = assertThrows(IllegalArgumentException.class, () -> OutputFiles.plan(List.of(dir.resolve("nope/a.npy").toString()), 1, false, Map.of()));
        assertEquals("--out '" + dir.resolve("nope/a.npy") + "': folder " + dir.resolve("nope") + " does not exist", e.getMessage());
    }
}
