package dev.jattr.batch;

import dev.jattr.batch.parquet.ParquetColumn;
import dev.jattr.batch.parquet.ParquetReader;
import dev.jattr.batch.parquet.ParquetSchema;
import dev.jattr.batch.parquet.ParquetType;
import dev.jattr.batch.parquet.ParquetWriteOptions;
import dev.jattr.batch.parquet.ParquetWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Parquet layout of attribution results, one row per example: {@code id} (string),
 * {@code target} and {@code prediction} (int, null where there is none), {@code attribution}
 * (list of float, row-major), {@code shape} (list of int), {@code sum} (double), {@code delta}
 * (double, null where the method has none), {@code top_index} (list of int, flat indices into the
 * attribution, largest magnitude first) and {@code top_value} (list of float). The same columns
 * come out of {@code jattr batch} and the Spark job.
 */
public final class ResultShards {
    /** The columns, in order. */
    public static final ParquetSchema SCHEMA = ParquetSchema.of(
            ParquetColumn.required("id", ParquetType.STRING),
            ParquetColumn.optional("target", ParquetType.INT32),
            ParquetColumn.optional("prediction", ParquetType.INT32),
            ParquetColumn.required("attribution", ParquetType.FLOAT_LIST),
            ParquetColumn.required("shape", ParquetType.INT32_LIST),
            ParquetColumn.required("sum", ParquetType.DOUBLE),
            ParquetColumn.optional("delta", ParquetType.DOUBLE),
            ParquetColumn.required("top_index", ParquetType.INT32_LIST),
            ParquetColumn.required("top_value", ParquetType.FLOAT_LIST));

    /**
     * The columns of the summary of one example.
     *
     * @param id     the example's id
     * @param target its target, or null
     * @param sum    the sum of its attribution
     * @param delta  its convergence delta, or null
     */
    public record Summary(String id, Integer target, double sum, Double delta) {
    }

    private ResultShards() {}

    /** The values of one result in the order of {@link #SCHEMA}. */
    public static Object[] row(ExampleResult r) {
        return new Object[] {r.id(), r.target(), r.prediction(), r.attribution(), r.shape(), r.sum(), r.delta(), r.topIndex(),
            r.topValue()};
    }

    /** The result of a row in the order of {@link #SCHEMA}. */
    public static ExampleResult result(Object[] row) {
        return new ExampleResult((String) row[0], (Integer) row[1], (Integer) row[2], (float[]) row[3], (int[]) row[4],
                (Double) row[5], (Double) row[6], (int[]) row[7], (float[]) row[8]);
    }

    /**
     * Writes {@code results} to {@code file}: to a temporary name beside it first, renamed once
     * complete, so that the file either holds every row or does not exist. The same results and
     * metadata give the same bytes.
     */
    public static void write(Path file, List<ExampleResult> results, Map<String, String> metadata) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            try (ParquetWriter w = ParquetWriter.open(tmp, SCHEMA, ParquetWriteOptions.defaults().withCreatedBy("jattr")
                    .withMetadata(metadata))) {
                for (ExampleResult r : results) {
                    w.writeRow(row(r));
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the failure being reported matters more
            }
        }
    }

    /** Every result of a shard (for tests and comparisons; a shard fits in memory by construction). */
    public static List<ExampleResult> read(Path file) {
        List<ExampleResult> out = new ArrayList<>();
        try (ParquetReader r = ParquetReader.open(file)) {
            for (Iterator<Object[]> it = r.rows(SCHEMA.columns().stream().map(ParquetColumn::name).toList()); it.hasNext();) {
                out.add(result(it.next()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The summary columns of a shard, read without its attributions. */
    public static List<Summary> summaries(Path file) {
        List<Summary> out = new ArrayList<>();
        try (ParquetReader r = ParquetReader.open(file)) {
            for (Iterator<Object[]> it = r.rows(List.of("id", "target", "sum", "delta")); it.hasNext();) {
                Object[] row = it.next();
                out.add(new Summary((String) row[0], (Integer) row[1], (Double) row[2], (Double) row[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }
}
