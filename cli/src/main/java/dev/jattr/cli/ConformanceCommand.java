package dev.jattr.cli;

import dev.jattr.onnx.conformance.ConformanceReport;
import dev.jattr.onnx.conformance.ConformanceRunner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jattr conformance}: runs the ONNX operator conformance tests of a folder (one
 * {@code test_*} folder per test) and prints per-op results and last
 * {@code N passed, M failed, K skipped}; out-of-scope tests are skipped with their reason.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run ONNX operator conformance tests (folders test_*/model.onnx + test_data_set_0).",
                "Prints per-op pass/fail/skip and last 'N passed, M failed, K skipped'; exit code 0 only when none failed."})
final class ConformanceCommand implements Callable<Integer> {
    private static final int PROGRESS_EVERY = 100;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The folder holding the test_* folders.")
    private String dir;

    @Override
    public Integer call() {
        Path folder = Path.of(dir);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("conformance folder not found: " + dir);
        }
        int total = ConformanceRunner.tests(folder).size();
        if (total == 0) {
            throw new IllegalArgumentException(dir + " holds no test_* folders with a model.onnx");
        }
        PrintWriter err = spec.commandLine().getErr();
        int[] done = {0};
        ConformanceReport report = ConformanceRunner.run(folder, r -> {
            if (++done[0] % PROGRESS_EVERY == 0 || done[0] == total) {
                err.printf("conformance: %d/%d tests run%n", done[0], total);
                err.flush();
            }
        });
        ReportOutput.print(spec.commandLine().getOut(), report::print);
        return report.count(ConformanceRunner.Status.FAILED) == 0 ? 0 : 1;
    }
}
