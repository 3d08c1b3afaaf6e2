package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.attr.parity.ParityReport;
import dev.jattr.attr.parity.ParityRunner;
import dev.jattr.graph.CurrentBackend;
import dev.jattr.kernels.Backends;
import dev.jattr.testing.SharedData;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The graph's protocol with a backend that keeps device copies (the CUDA backend), checked
 * without a GPU: the whole Captum corpus and the zoo cases run on {@link ShadowBackend}, whose
 * host arrays stay stale until the graph syncs them, so any missing sync gives wrong numbers.
 */
class DeviceCopiesParityTest {
    @Test
    void theCorpusPassesWhereKernelOutputsStayOnTheDevice() {
        ShadowBackend shadow = new ShadowBackend(Backends.cpu());
        var cases = ParityRunner.load(SharedData.require("captum-reference/cases.json"));
        ParityReport report = CurrentBackend.call(shadow, () -> ParityRunner.run(cases, Set.of(), r -> { }));
        assertEquals(0, report.count("failed"), () -> "failures:\n" + String.join("\n",
                report.failures().stream().map(f -> f.id() + ": " + f.message()).toList()));
        assertEquals(cases.size(), report.count("passed"));
        assertTrue(shadow.deviceCalls > 10_000, "kernels ran on the shadows: " + shadow.deviceCalls);
        assertTrue(shadow.syncs > 1_000, "values were brought back: " + shadow.syncs);
        assertTrue(shadow.zeroed > 100, "reused buffers were zeroed on the device only: " + shadow.zeroed);
    }

    @Test
    void theZooPassesWhereKernelOutputsStayOnTheDevice() {
        ShadowBackend shadow = new ShadowBackend(Backends.cpu());
        Path zoo = SharedData.require("onnx-zoo/cases.json");
        var cases = ParityRunner.load(zoo);
        ParityReport report = CurrentBackend.call(shadow, () -> ParityRunner.run(cases, Set.of(), r -> { }));
        assertEquals(0, report.count("failed"), () -> "failures:\n" + String.join("\n",
                report.failures().stream().map(f -> f.id() + ": " + f.message()).toList()));
    }
}
