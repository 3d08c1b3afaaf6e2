package dev.jattr.attr;

import dev.jattr.testing.SharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jattr.attr.parity.CaptumCase;
import dev.jattr.attr.parity.ParityReport;
import dev.jattr.attr.parity.ParityRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the forward cases of the real architectures in {@code shared/onnx-zoo} through the parity
 * runner, one test per case; any failure, an op jattr cannot import included, fails the test.
 */
class ZooParityTest {
    @TestFactory
    Stream<DynamicTest> everyZooModelMatchesPyTorchForward() {
        Path cases = SharedData.require("onnx-zoo/cases.json");
        return ParityRunner.load(cases).stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> run(c)));
    }

    private static void run(CaptumCase c) {
        ParityReport report = ParityRunner.run(List.of(c), Set.of(), r -> { });
        report.print(System.out);
        ParityReport.CaseResult r = report.results().getFirst();
        assertEquals("passed", r.status(), r.id() + ": " + r.message());
    }
}
