package dev.jattr.bench;

import dev.jattr.batch.BatchRun;
import dev.jattr.batch.MethodSpec;
import dev.jattr.batch.NpySource;
import dev.jattr.graph.Graph;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.spark.SparkBench;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One engine's rate on the bench's dataset, in a JVM of its own (the common pool's parallelism is
 * fixed when a JVM starts, and the two engines want different ones): {@code batch} runs
 * {@code jattr batch}'s {@link BatchRun} with the kernels on every thread, {@code spark} the Spark job
 * at {@code local[N]} with one kernel thread per task. Each runs the whole dataset again and again
 * for {@link #WARMUP_SECONDS} (the JIT compiles the vector kernels late: the first runs take up
 * to three times as long), then reports the median of {@link #TIMED_RUNS} more runs. Prints
 * {@code examples_per_second X}.
 *
 * <p>{@code java ... DatasetBench batch|spark MODEL DATA.npy METHOD LAYER BATCH_SIZE THREADS}
 */
public final class DatasetBench {
    /** How long each engine runs the dataset untimed first. */
    static final double WARMUP_SECONDS = 20;
    /** The timed runs, of which the median counts. */
    static final int TIMED_RUNS = 3;

    private DatasetBench() {}

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws IOException {
        Path model = Path.of(args[1]), data = Path.of(args[2]);
        MethodSpec spec = MethodSpec.of(args[3], args[4], Map.of());
        int batchSize = Integer.parseInt(args[5]), threads = Integer.parseInt(args[6]);
        java.util.function.DoubleSupplier run;
        if (args[0].equals("batch")) {
            Graph graph = OnnxModel.load(model).graph();
            run = () -> {
                try {
                    Path out = Files.createTempDirectory("jattr-bench-batch");
                    try (NpySource source = NpySource.open(data, null)) {
                        BatchRun.Result r = BatchRun.run(graph, model, source, spec,
                                new BatchRun.Options(out, BatchRun.Options.DEFAULT_SHARD_SIZE, batchSize, null, Map.of()));
                        return r.examples() / r.seconds();
                    } finally {
                        delete(out);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
        } else {
            org.apache.spark.sql.SparkSession spark = SparkBench.session("local[" + threads + "]");
            run = () -> SparkBench.time(spark, model, data, spec, batchSize, null).examplesPerSecond();
        }
        long until = System.nanoTime() + (long) (WARMUP_SECONDS * 1e9);
        do {
            run.getAsDouble();
        } while (System.nanoTime() < until);
        double[] rates = new double[TIMED_RUNS];
        for (int i = 0; i < TIMED_RUNS; i++) {
            rates[i] = run.getAsDouble();
        }
        double rate = Stats.median(rates);
        System.out.printf(Locale.ROOT, "examples_per_second %.4f%n", rate);
        System.exit(0);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
