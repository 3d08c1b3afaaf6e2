package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jattr.attr.parity.ParityReport;
import dev.jattr.attr.parity.ParityRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Runs the whole Captum reference corpus through the parity runner. */
class CaptumParityTest {
    static Path shared() {
        return Path.of(System.getProperty("jattr.shared", "../../shared"));
    }

    @Test
    void everyImplementedCaseMatchesCaptum() {
        Path cases = shared().resolve("captum-reference/cases.json");
        assumeTrue(Files.exists(cases), "shared corpus not found at " + cases + ": skipping Captum parity");
        var all = ParityRunner.load(cases);
        ParityReport report = ParityRunner.run(all, Set.of(), r -> { });
        report.print(System.out);
        assertEquals(0, report.count("failed"), () -> "failures:\n" + String.join("\n",
                report.failures().stream().map(f -> f.id() + ": " + f.message()).toList()));
        assertEquals(all.size(), report.count("passed") + report.count("skipped"));
    }
}
