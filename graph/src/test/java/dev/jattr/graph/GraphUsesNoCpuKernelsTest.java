package dev.jattr.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * graph computes through the {@code dev.jattr.kernels.Backend} interface only: no source under
 * graph/src/main may name the CPU kernels' package, in an import or a qualified name.
 */
class GraphUsesNoCpuKernelsTest {
    private static final String CPU_PACKAGE = "dev.jattr.kernels" + ".cpu";

    @Test
    void noMainSourceNamesTheCpuKernels() throws IOException {
        Path main = Path.of("src", "main", "java");
        assertTrue(Files.isDirectory(main.resolve("dev/jattr/graph")), "run from the graph module: " + main.toAbsolutePath());
        List<String> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).contains(CPU_PACKAGE))
                    .map(p -> main.relativize(p).toString())
                    .sorted()
                    .toList();
        }
        assertEquals(List.of(), offenders, "these sources use " + CPU_PACKAGE + " instead of the current Backend");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
