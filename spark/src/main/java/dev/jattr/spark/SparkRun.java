package dev.jattr.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;

/**
 * One {@code jattr-spark} run on a session: the input read, attributed and written with Spark's
 * Parquet writer into a new folder, then {@code summary.json} beside the Parquet files (read the
 * results back with {@code spark.read().parquet(out + "/*.parquet")}).
 *
 * @param examples the number of examples attributed
 * @param seconds  how long the Spark job took
 * @param summary  the summary as written
 */
public record SparkRun(long examples, double seconds, Map<String, Object> summary) {
    /** The summary's file name in the output folder. */
    public static final String SUMMARY = "summary.json";

    /** The examples per second of the run. */
    public double examplesPerSecond() {
        return seconds > 0 ? examples / seconds : 0;
    }

    /** Runs {@code job} on {@code spark}; fails before any task runs when the output folder exists or an argument is wrong. */
    public static SparkRun run(SparkSession spark, SparkJob job) {
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(job.out());
        FileSystem fs;
        try {
            fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(out)) {
                throw new IllegalArgumentException(job.out() + " exists; give a new output folder (Spark writes it whole)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the output folder " + job.out(), e);
        }
        ModelBytes model = ModelBytes.read(job.model());
        Dataset<Row> input;
        String description;
        int parallelism = spark.sparkContext().defaultParallelism();
        if (job.npyInput()) {
            java.nio.file.Path file = java.nio.file.Path.of(job.input());
            description = NpyDatasets.describe(file);
            input = NpyDatasets.read(spark, file, job.labels(), job.partitions() == null ? 2 * parallelism : job.partitions());
        } else {
            description = job.input() + " (Parquet)";
            input = spark.read().parquet(job.input());
            if (job.partitions() != null) {
                input = input.repartition(job.partitions());
            }
        }
        CollectionAccumulator<SummaryEntry> entries = spark.sparkContext().collectionAccumulator("jattr-spark examples");
        Dataset<Row> results = JattrSpark.attribute(input, model, job.spec(), job.options(), entries, -1);
        long start = System.nanoTime();
        results.write().parquet(job.out());
        double seconds = (System.nanoTime() - start) / 1e9;
        List<SummaryEntry> examples = new ArrayList<>(entries.value());
        examples.sort(Comparator.comparingLong(SummaryEntry::order));
        Map<String, Object> summary = summary(spark, job, model, description, examples, seconds);
        try (OutputStream o = fs.create(new org.apache.hadoop.fs.Path(out, SUMMARY), false)) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o, summary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + SUMMARY + " into " + job.out(), e);
        }
        return new SparkRun(examples.size(), seconds, summary);
    }

    private static Map<String, Object> summary(SparkSession spark, SparkJob job, ModelBytes model, String input,
            List<SummaryEntry> examples, double seconds) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", "jattr-spark");
        run.put("model", model.name());
        run.put("model_sha256", model.sha256());
        run.put("input", input);
        run.put("method", job.spec().method());
        run.put("layer", job.spec().layer());
        run.put("arguments", new java.util.TreeMap<>(job.spec().arguments()));
        run.put("attribute_to_layer_input", job.spec().attributeToLayerInput());
        run.put("model_output", job.spec().modelOutput());
        run.put("target", job.spec().target().toString());
        run.put("baseline", job.spec().baseline().toString());
        run.put("delta", job.spec().computesDelta());
        run.put("top_k", job.spec().topK());
        run.put("batch_size", job.options().batchSize());
        run.put("out", job.out());
        run.put("spark_version", spark.version());
        run.put("master", spark.sparkContext().master());
        run.put("default_parallelism", spark.sparkContext().defaultParallelism());
        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("examples_per_second", seconds > 0 ? examples.size() / seconds : 0);
        throughput.put("seconds", seconds);
        List<Map<String, Object>> list = new ArrayList<>(examples.size());
        for (SummaryEntry e : examples) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("target", e.target());
            m.put("sum", e.sum());
            m.put("delta", e.delta());
            list.add(m);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("run", run);
        summary.put("counts", Map.of("examples", examples.size()));
        summary.put("throughput", throughput);
        summary.put("examples", list);
        return summary;
    }
}
