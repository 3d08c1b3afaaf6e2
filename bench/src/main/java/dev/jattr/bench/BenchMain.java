package dev.jattr.bench;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks (JMH arguments pass through, e.g. {@code -p model=convnet -wi 1 -i 3}) and
 * prints, per model, jattr's time over ONNX Runtime's from the same run.
 */
public final class BenchMain {
    private BenchMain() {}

    /** Entry point. */
    public static void main(String[] args) throws RunnerException, org.openjdk.jmh.runner.options.CommandLineOptionException {
        var cli = new CommandLineOptions(args);
        var opts = new OptionsBuilder().parent(cli).include(cli.getIncludes().isEmpty() ? ForwardBenchmark.class.getSimpleName() : ".*")
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, double[]> byModel = new TreeMap<>();
        for (RunResult r : results) {
            var p = r.getParams();
            double ms = r.getPrimaryResult().getScore();
            double[] v = byModel.computeIfAbsent(p.getParam("model"), k -> new double[2]);
            v[p.getParam("engine").equals("jattr") ? 0 : 1] = ms;
        }
        System.out.printf("%n%-22s %12s %16s %8s%n", "model", "jattr (ms)", "onnxruntime (ms)", "ratio");
        byModel.forEach((m, v) -> System.out.printf("%-22s %12.2f %16.2f %8.2f%n", m, v[0], v[1], v[1] > 0 ? v[0] / v[1] : Double.NaN));
        System.out.println("ratio = jattr time / ONNX Runtime time in the same run (lower is better)");
    }
}
