package dev.jattr.spark;

import dev.jattr.batch.Example;
import dev.jattr.batch.NpySource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A stacked {@code .npy} file (dimension 0 counting the examples) as a dataset of rows
 * {@code id} (the row number), {@code input} (the example's float32 values, little-endian, as binary,
 * which Spark passes on without boxing each value) and {@code label}, read by the executors by ranges of
 * row numbers: the driver reads the header only, so a large file never passes through it. The file
 * must be readable at the same path by every executor (a local file in local mode, a shared file
 * system on a cluster).
 */
public final class NpyDatasets {
    /** The columns of the rows. */
    public static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType, false)
            .add("input", DataTypes.BinaryType, false)
            .add("label", DataTypes.IntegerType, true);
    /** Rows read from the file in one go. */
    static final int CHUNK = 16;

    private NpyDatasets() {}

    /**
     * The examples of {@code npy} in {@code partitions} ranges of rows; {@code labels} is an
     * optional {@code .npy} of one integer per example (null for none). Checks the files' headers
     * on the driver.
     */
    public static Dataset<Row> read(SparkSession spark, Path npy, Path labels, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions " + partitions + " must be at least 1");
        }
        Path file = npy.toAbsolutePath();
        Path labelFile = labels == null ? null : labels.toAbsolutePath();
        long rows;
        try (NpySource source = NpySource.open(file, labelFile)) {
            rows = source.size();
        }
        int n = (int) Math.max(1, Math.min(partitions, rows));
        return spark.range(0, rows, 1, n).mapPartitions(new RangeReader(file.toString(), labelFile == null ? null : labelFile.toString()),
                Encoders.row(SCHEMA));
    }

    /** Description of {@code npy} as {@code jattr batch} gives it, e.g. {@code images.npy (1000 × [3, 224, 224] float32)}. */
    public static String describe(Path npy) {
        try (NpySource source = NpySource.open(npy, null)) {
            return source.description();
        }
    }

    /** Reads the rows of a partition's range of row numbers, {@link #CHUNK} at a time. */
    private record RangeReader(String file, String labels) implements MapPartitionsFunction<Long, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Row> call(Iterator<Long> indices) {
            NpySource source = NpySource.open(Path.of(file), labels == null ? null : Path.of(labels));
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> source.close());
            }
            return new Iterator<>() {
                private Iterator<Example> pending = Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    while (!pending.hasNext() && indices.hasNext()) {
                        pending = next(indices).iterator();
                    }
                    if (!pending.hasNext() && task == null) {
                        source.close();
                    }
                    return pending.hasNext();
                }

                /** Up to {@link #CHUNK} rows of consecutive numbers (range partitions are consecutive). */
                private List<Example> next(Iterator<Long> indices) {
                    long first = indices.next();
                    int count = 1;
                    List<Example> out = new ArrayList<>(CHUNK);
                    while (count < CHUNK && indices.hasNext()) {
                        long i = indices.next();
                        if (i != first + count) {
                            out.addAll(source.read(first, count));
                            first = i;
                            count = 1;
                        } else {
                            count++;
                        }
                    }
                    out.addAll(source.read(first, count));
                    return out;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Example e = pending.next();
                    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(e.values().length * Float.BYTES)
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    bytes.asFloatBuffer().put(e.values());
                    return RowFactory.create(e.id(), bytes.array(), e.label());
                }
            };
        }
    }
}
