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
     * @param status  passed, failed or skipped
     * @param message why it failed or was skipped ("" when passed)
     */
    public record CaseResult(String id, String method, String status, String message) {}

    /** Freezes the list. */
    public ParityReport {
        results = List.copyOf(results);
    }

    /** The number of cases with {@code status} ("passed", "failed", "skipped"). */
    public long count(String status) {
        return results.stream().filter(r -> r.status().equals(status)).count();
    }

    /** The failed cases. */
    public List<CaseResult> failures() {
        return results.stream().filter(r -> r.status().equals("failed")).toList();
    }

    /** The final line: {@code N passed, M failed, K skipped}. */
    public String summary() {
        return count("passed") + " passed, " + count("failed") + " failed, " + count("skipped") + " skipped";
    }

    /** Prints one line per failing case, a pass/fail/skip table per method, and the summary line last. */
    public void print(PrintStream out) {
        for (CaseResult r : results) {
            if (r.status().equals("failed")) {
                out.println("FAIL " + r.id() + ": " + r.message());
            }
        }
        Map<String, long[]> table = new TreeMap<>();
        Map<String, String> skipReason = new TreeMap<>();
        for (CaseResult r : results) {
            long[] c = table.computeIfAbsent(r.method(), k -> new long[3]);
            switch (r.status()) {
                case "passed" -> c[0]++;
                case "failed" -> c[1]++;
                default -> {
                    c[2]++;
                    skipReason.putIfAbsent(r.method(), r.message());
                }
            }
        }
        out.printf("%-28s %7s %7s %7s%n", "method", "passed", "failed", "skipped");
        table.forEach((m, c) -> out.printf("%-28s %7d %7d %7d%s%n", m, c[0], c[1], c[2],
                skipReason.containsKey(m) ? "   (skipped: " + skipReason.get(m) + ")" : ""));
        out.println(summary());
    }

}
