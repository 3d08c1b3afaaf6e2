package dev.jattr.attr.parity;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a parity run: per case, and counted per method.
 *
 * @param results every case's outcome, in corpus order
 */
public record ParityReport(List<CaseResult> results) {
    /**
     * One case's outcome.
     *
     * @param id      the case id
     * @param method  its method
     * @param status  passed or failed
     * @param message why it failed ("" when passed)
     */
    public record CaseResult(String id, String method, String status, String message) {}

    /** Freezes the list. */
    public ParityReport {
        results = List.copyOf(results);
    }

    /** The number of cases with {@code status} ("passed", "failed"). */
    public long count(String status) {
        return results.stream().filter(r -> r.status().equals(status)).count();
    }

    /** The failed cases. */
    public List<CaseResult> failures() {
        return results.stream().filter(r -> r.status().equals("failed")).toList();
    }

    /** The final line: {@code N passed, M failed}. */
    public String summary() {
        return count("passed") + " passed, " + count("failed") + " failed";
    }

    /** Prints one line per failing case, a pass/fail table per method, and the summary line last. */
    public void print(PrintStream out) {
        for (CaseResult r : results) {
            if (r.status().equals("failed")) {
                out.println("FAIL " + r.id() + ": " + r.message());
            }
        }
        Map<String, long[]> table = new TreeMap<>();
        for (CaseResult r : results) {
            table.computeIfAbsent(r.method(), k -> new long[2])[r.status().equals("passed") ? 0 : 1]++;
        }
        out.printf("%-28s %7s %7s%n", "method", "passed", "failed");
        table.forEach((m, c) -> out.printf("%-28s %7d %7d%n", m, c[0], c[1]));
        out.println(summary());
    }

}
