package dev.jattr.attr.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a Captum parity corpus ({@code cases.json} in the schema of
 * {@code shared/captum-reference/README.md}) and reports every case as passed or failed; every
 * case runs (an error, a method jattr lacks included, is a failure).
 */
public final class ParityRunner {
    private ParityRunner() {}

    /** Reads the cases of {@code casesJson}. */
    public static List<CaptumCase> load(Path casesJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(casesJson));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("corpus file not found: " + casesJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("corpus " + casesJson + " is not valid JSON: " + dev.jattr.attr.JsonProblem.describe(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus " + casesJson + ": " + e.getMessage(), e);
        }
        JsonNode cases = root.path("cases");
        if (!cases.isArray()) {
            throw new IllegalArgumentException(casesJson + " has no 'cases' array");
        }
        Path dir = casesJson.toAbsolutePath().getParent();
        List<CaptumCase> list = new ArrayList<>();
        cases.forEach(c -> list.add(CaptumCase.parse(c, dir)));
        return list;
    }

    /**
     * Runs the cases whose method is in {@code methods} (all when empty), reporting each result
     * to {@code progress} as it completes.
     */
    public static ParityReport run(List<CaptumCase> cases, Set<String> methods, Consumer<ParityReport.CaseResult> progress) {
        CaseRunner runner = new CaseRunner();
        List<ParityReport.CaseResult> results = new ArrayList<>();
        for (CaptumCase c : cases) {
            if (!methods.isEmpty() && !methods.contains(c.method())) {
                continue;
            }
            ParityReport.CaseResult r;
            try {
                CaseRunner.Outcome o = runner.run(c);
                r = new ParityReport.CaseResult(c.id(), c.method(), o.status().name().toLowerCase(java.util.Locale.ROOT), o.message());
            } catch (RuntimeException e) {
                r = new ParityReport.CaseResult(c.id(), c.method(), "failed", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            results.add(r);
            progress.accept(r);
        }
        return new ParityReport(results);
    }
}
