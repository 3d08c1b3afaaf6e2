package dev.jattr.cli;

import dev.jattr.attr.parity.CaptumCase;
import dev.jattr.attr.parity.ParityReport;
import dev.jattr.attr.parity.ParityRunner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jattr parity}: runs a Captum reference corpus and reports each case as passed or failed.
 * Progress goes to standard error, the report to standard output; the
 * exit code is 0 only when no case failed.
 */
@Command(name = "parity", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Compare jattr with a Captum reference corpus (cases.json); exit code 0 only when no case fails.")
final class ParityCommand implements Callable<Integer> {
    private static final int PROGRESS_EVERY = 25;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CASES_JSON", description = "The corpus's cases.json.")
    private String cases;

    @Option(names = "--methods", split = ",", paramLabel = "METHOD", description = "Only these methods (comma-separated).")
    private List<String> methods = new ArrayList<>();

    @Override
    public Integer call() {
        Path file = Path.of(cases);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("corpus file not found: " + cases);
        }
        List<CaptumCase> all = ParityRunner.load(file);
        Set<String> wanted = new LinkedHashSet<>(methods);
        Set<String> present = new TreeSet<>();
        all.forEach(c -> present.add(c.method()));
        for (String m : wanted) {
            if (!present.contains(m)) {
                throw new IllegalArgumentException("the corpus has no case of method '" + m + "'; its methods: "
                        + String.join(", ", present));
            }
        }
        long total = all.stream().filter(c -> wanted.isEmpty() || wanted.contains(c.method())).count();
        PrintWriter err = spec.commandLine().getErr();
        int[] done = {0, 0};
        ParityReport report = ParityRunner.run(all, wanted, r -> {
            done[0]++;
            if (r.status().equals("failed")) {
                done[1]++;
                err.println("FAIL " + r.id());
            }
            if (done[0] % PROGRESS_EVERY == 0 || done[0] == total) {
                err.printf("parity: %d/%d cases run, %d failed%n", done[0], total, done[1]);
            }
            err.flush();
        });
        ReportOutput.print(spec.commandLine().getOut(), report::print);
        return report.count("failed") == 0 ? 0 : 1;
    }
}
