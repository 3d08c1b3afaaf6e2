package dev.jattr.attr;

import dev.jattr.testing.SharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.attr.parity.ParityReport;
import dev.jattr.attr.parity.ParityRunner;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Runs the whole Captum reference corpus through the parity runner. */
class CaptumParityTest {
    @Test
    void everyImplementedCaseMatchesCaptum() {
        Path cases = SharedData.require("captum-reference/cases.json");
        var all = ParityRunner.load(cases);
        ParityReport report = ParityRunner.run(all, Set.of(), r -> { });
        report.print(System.out);
        assertEquals(0, report.count("failed"), () -> "failures:\n" + String.join("\n",
                report.failures().stream().map(f -> f.id() + ": " + f.message()).toList()));
        assertEquals(all.size(), report.results().size(), "every case runs: nothing is skipped");
        assertEquals(all.size(), report.count("passed"));
        assertTrue(all.size() >= 491, "the public corpus has 491 cases, found " + all.size());
    }
}
