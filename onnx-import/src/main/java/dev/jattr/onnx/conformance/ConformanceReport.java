package dev.jattr.onnx.conformance;

import dev.jattr.onnx.conformance.ConformanceRunner.Result;
import dev.jattr.onnx.conformance.ConformanceRunner.Status;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The results of a conformance run: per-test outcomes, a per-op table and the totals.
 *
 * @param results every test's outcome, in the order they ran
 */
public record ConformanceReport(List<Result> results) {
    /** Freezes the list. */
    public ConformanceReport {
        results = List.copyOf(results);
    }

    /** The number of tests with {@code status}. */
    public long count(Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    /** Passed tests over in-scope (not skipped) tests; 0 when none is in scope. */
    public double inScopePassRate() {
        long inScope = results.size() - count(Status.SKIPPED);
        return inScope == 0 ? 0 : (double) count(Status.PASSED) / inScope;
    }

    /** Per op: its passed, failed and skipped counts. */
    public Map<String, long[]> perOp() {
        Map<String, long[]> table = new TreeMap<>();
        for (Result r : results) {
            table.computeIfAbsent(r.op(), k -> new long[3])[r.status().ordinal()]++;
        }
        return table;
    }

    /** The totals line: {@code N passed, M failed, K skipped}. */
    public String summary() {
        return count(Status.PASSED) + " passed, " + count(Status.FAILED) + " failed, " + count(Status.SKIPPED) + " skipped";
    }

    /** Prints the per-op table, then every failure and skip with its reason, and last the totals line. */
    public void print(PrintStream out) {
        out.printf("%-28s %6s %6s %7s%n", "op", "passed", "failed", "skipped");
        perOp().forEach((op, c) -> out.printf("%-28s %6d %6d %7d%n", op, c[0], c[1], c[2]));
        for (Status s : new Status[] {Status.FAILED, Status.SKIPPED}) {
            for (Result r : results) {
                if (r.status() == s) {
                    out.println(s.name().toLowerCase(java.util.Locale.ROOT) + " " + r.test() + " [" + r.op() + "]: " + r.message());
                }
            }
        }
        out.printf("in-scope pass rate %.1f%%%n", 100 * inScopePassRate());
        out.println(summary());
    }
}
