package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.io.Npy;
import dev.jattr.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ./jattr …} line of the README's and the user guide's shell examples runs, in
 * process, and succeeds: paths under {@code ../shared/} are read from the shared corpora, other
 * file names are given a fresh folder holding the demo's digit model and a digit image, so the
 * examples stay true.
 */
class DocExamplesTest {
    @TempDir
    static Path work;

    @TestFactory
    Stream<DynamicTest> everyCommandLineExampleRuns() throws IOException {
        Path shared = SharedData.require("onnx-zoo").getParent();
        fixtures();
        List<DynamicTest> tests = new ArrayList<>();
        for (String doc : List.of("../README.md", "../docs/user-guide.md")) {
            for (String line : commands(Files.readString(Path.of(doc)))) {
                if (line.startsWith("./jattr ")) {
                    tests.add(DynamicTest.dynamicTest(doc + ": " + line, () -> run(line, shared)));
                }
            }
        }
        assertTrue(tests.size() >= 8, "the docs show at least eight jattr examples, found " + tests.size());
        return tests.stream();
    }

    private static void run(String line, Path shared) {
        List<String> args = new ArrayList<>();
        for (String token : line.substring("./jattr ".length()).trim().split("\\s+")) {
            args.add(localize(token, shared));
        }
        if (args.getFirst().equals("demo")) {
            args.addAll(List.of("--out", work.resolve("demo-out").toString()));
        }
        CliRun r = CliRun.of(args.toArray(String[]::new));
        if (args.getFirst().equals("conformance")) {
            // exit 1 while the known failures (three BFLOAT16 casts) remain; the summary must be there
            assertTrue(r.code() <= 1 && r.out().strip().matches("(?s).*\\d+ passed, \\d+ failed, \\d+ skipped"), () -> line + "\n" + r.out() + r.err());
            return;
        }
        assertEquals(0, r.code(), () -> line + "\n" + r.err());
    }

    /** A file argument, or the file part of {@code name=file}, moved to the shared corpora or the work folder. */
    static String localize(String token, Path shared) {
        int eq = token.startsWith("-") ? -1 : token.indexOf('=');
        String head = eq < 0 ? "" : token.substring(0, eq + 1), file = eq < 0 ? token : token.substring(eq + 1);
        if (file.startsWith("../shared/")) {
            return head + shared.resolve(file.substring("../shared/".length()));
        }
        if (file.matches("[\\w.-]+\\.(onnx|npy|png|json)|[\\w.-]+/")) {
            return head + work.resolve(file);
        }
        return token;
    }

    /** The shell lines of the ```sh blocks, continuation lines joined and comments dropped. */
    static List<String> commands(String markdown) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        StringBuilder cur = new StringBuilder();
        for (String raw : markdown.split("\\R")) {
            if (raw.startsWith("```")) {
                in = raw.equals("```sh");
                continue;
            }
            if (!in) {
                continue;
            }
            String l = raw.replaceAll("\\s+#.*$", "").strip();
            boolean more = l.endsWith("\\");
            cur.append(more ? l.substring(0, l.length() - 1) : l).append(' ');
            if (!more) {
                if (!cur.toString().isBlank()) {
                    out.add(cur.toString().strip());
                }
                cur.setLength(0);
            }
        }
        return out;
    }

    /** The digit model and one digit as a PNG, for the examples that name them. */
    private static void fixtures() throws IOException {
        try (InputStream in = DocExamplesTest.class.getResourceAsStream("/demo/digits.onnx")) {
            Files.copy(in, work.resolve("digits.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path samples = work.resolve("samples.npy");
        try (InputStream in = DocExamplesTest.class.getResourceAsStream("/demo/digits.samples.npy")) {
            Files.copy(in, samples, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        var t = Npy.read(samples);
        int h = t.shape()[t.rank() - 2], w = t.shape()[t.rank() - 1];
        var img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (int) Math.round(255 * Math.max(0, Math.min(1, t.getDouble(y * w + x))));
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        javax.imageio.ImageIO.write(img, "png", work.resolve("x.png").toFile());
    }
}
