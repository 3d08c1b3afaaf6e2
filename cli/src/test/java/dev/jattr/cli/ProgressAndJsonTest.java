package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress shown on standard error and the {@code --json} summary of {@code jattr attribute}. */
class ProgressAndJsonTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void quickRunsShowNothingAndLongOnesALineEveryFewSeconds() {
        StringWriter text = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(text, true), false, 0);
        p.update("LayerIntegratedGradients", 10, 50, SECOND / 2);
        assertEquals("", text.toString());
        p.update("LayerIntegratedGradients", 20, 50, 2 * SECOND);
        p.update("LayerIntegratedGradients", 25, 50, 3 * SECOND);
        p.update("LayerIntegratedGradients", 40, 50, 8 * SECOND);
        p.update("LayerIntegratedGradients", 50, 50, 9 * SECOND);
        String[] lines = text.toString().split("\\R");
        assertEquals(3, lines.length, text.toString());
        assertEquals("jattr: LayerIntegratedGradients [############                  ] 20/50, 10.0/s, 3 s left", lines[0]);
        assertTrue(lines[2].endsWith("50/50, 5.56/s, done in 9.0 s"), lines[2]);
    }

    @Test
    void aTerminalGetsABarRedrawnInPlace() {
        StringWriter text = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(text, true), true, 0);
        p.update("LayerConductance", 1, 4, 2 * SECOND);
        p.update("LayerConductance", 2, 4, 3 * SECOND);
        p.update("LayerConductance", 4, 4, 4 * SECOND);
        String s = text.toString();
        assertEquals(3, s.split("\r", -1).length - 1, s);
        assertTrue(s.endsWith("done in 4.0 s" + System.lineSeparator()), s);
    }

    @Test
    void jsonSummarisesTheRun() throws Exception {
        TinyModel.writeValid(dir, 2);
        Path json = dir.resolve("run.json");
        CliRun r = CliRun.of("attribute", "--model", dir.resolve("model.onnx").toString(), "--input", "x=" + dir.resolve("x.npy"),
                "--method", "LayerIntegratedGradients", "--layer", TinyModel.ACT, "--target", "1", "--delta", "--quiet",
                "--out", dir.resolve("a.npy").toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        String s = Files.readString(json);
        assertTrue(s.contains("\"sha256\": \"" + RunSummary.sha256(dir.resolve("model.onnx")) + "\""), s);
        assertTrue(s.contains("\"method\": \"LayerIntegratedGradients\""), s);
        assertTrue(s.contains("\"shape\": [2, 3]"), s);
        assertTrue(s.matches("(?s).*\"sumPerExample\": \\[-?[0-9.e-]+, -?[0-9.e-]+\\].*"), s);
        assertTrue(s.matches("(?s).*\"delta\": \\[-?[0-9.e-]+, -?[0-9.e-]+\\].*"), s);
        assertTrue(s.contains("\"jattr\": "), s);
        assertTrue(s.matches("(?s).*\"seconds\": \\{\\s*\"attribute\": [0-9.e-]+,\\s*\"total\": [0-9.e-]+\\s*}.*"), s);
    }

    @Test
    void jsonIsAnOutputLikeAnyOther() throws Exception {
        TinyModel.writeValid(dir, 2);
        CliRun r = CliRun.of("attribute", "--model", dir.resolve("model.onnx").toString(), "--input", "x=" + dir.resolve("x.npy"),
                "--method", "LayerActivation", "--layer", TinyModel.ACT, "--json", dir.resolve("x.npy").toString());
        assertEquals(Main.USER_ERROR, r.code());
        assertTrue(r.err().startsWith("jattr: --json '") && r.err().contains("same file as --input"), r.err());
    }

    @Test
    void jsonQuotesAndNumbers() {
        assertEquals("{\n  \"a\": \"q\\\"\\n\",\n  \"b\": [1, 2.5, null],\n  \"c\": {}\n}\n",
                RunSummary.json(RunSummary.object("a", "q\"\n", "b", java.util.List.of(1, 2.5, Double.NaN), "c", java.util.Map.of())));
    }
}
