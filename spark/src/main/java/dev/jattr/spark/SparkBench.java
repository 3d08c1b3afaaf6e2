package dev.jattr.spark;

import dev.jattr.batch.MethodSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The bench module's hook: the examples per second of a {@code jattr-spark} run over a stacked
 * {@code .npy} at {@code local[2]}, Parquet written to a temporary folder and deleted, for a
 * comparison with {@code jattr batch}'s rate. The JVM should run with
 * {@link TaskThreads#FLAG} (one kernel thread per task) and Spark's {@code --add-opens}.
 */
public final class SparkBench {
    private SparkBench() {}

    /**
     * The rate of {@code spec} over {@code npy} on a new session of {@code master}, e.g.
     * {@code local[2]} (stopped after),
     * partitions twice the parallelism: the second of two runs, the first warming the JIT and
     * importing the model (it costs some seconds: Spark's first job, code generation, the Parquet
     * writer).
     */
    public static SparkRun examplesPerSecond(Path model, Path npy, MethodSpec spec, int batchSize, String master) {
        SparkSession spark = session(master);
        try {
            time(spark, model, npy, spec, batchSize, null);
            return time(spark, model, npy, spec, batchSize, null);
        } finally {
            spark.stop();
        }
    }

    /** A session of {@code master} for timing, its log at warnings, no web UI. */
    public static SparkSession session(String master) {
        SparkSession spark = SparkSession.builder().master(master).appName("jattr-spark-bench").config("spark.ui.enabled", "false")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /** The rate of one run on {@code spark}, with {@code partitions} partitions of the input (null: the default). */
    public static SparkRun time(SparkSession spark, Path model, Path npy, MethodSpec spec, int batchSize, Integer partitions) {
        Path dir;
        try {
            dir = Files.createTempDirectory("jattr-spark-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary folder", e);
        }
        try {
            AttributeOptions options = AttributeOptions.defaults().withInputColumn("input").withBatchSize(batchSize);
            SparkJob job = new SparkJob(null, model, npy.toString(), null, options, partitions, spec, dir.resolve("out").toString());
            return SparkRun.run(spark, job);
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
