package dev.jattr.spark;

import dev.jattr.batch.DatasetAttributor;
import dev.jattr.batch.Example;
import dev.jattr.batch.ExampleResult;
import dev.jattr.batch.MethodSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;
import scala.collection.mutable.ArraySeq;

/**
 * The work of one partition: rows of (id, input[, label]) are read {@code batchSize} at a time,
 * attributed in one stacked call by this thread's {@link DatasetAttributor}, and handed on as
 * result rows before the next batch is read, so that a partition is never held whole.
 */
final class PartitionAttributor implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<ModelBytes> model;
    private final MethodSpec spec;
    private final int[] shape;
    private final boolean labelled;
    private final int batchSize;
    private final CollectionAccumulator<SummaryEntry> summary;
    private final int failFirstAttemptOf;

    /**
     * @param model              the broadcast model
     * @param spec               what to compute
     * @param shape              the shape of one example (the model input's dimensions after the batch)
     * @param labelled           whether the rows carry a label in column 2
     * @param batchSize          examples per call
     * @param summary            where to list each example for the run summary, or null
     * @param failFirstAttemptOf a partition whose first attempt fails after its first batch (tests of task retry), or -1
     */
    PartitionAttributor(Broadcast<ModelBytes> model, MethodSpec spec, int[] shape, boolean labelled, int batchSize,
            CollectionAccumulator<SummaryEntry> summary, int failFirstAttemptOf) {
        this.model = model;
        this.spec = spec;
        this.shape = shape.clone();
        this.labelled = labelled;
        this.batchSize = batchSize;
        this.summary = summary;
        this.failFirstAttemptOf = failFirstAttemptOf;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        int partition = task == null ? 0 : task.partitionId();
        boolean failAfterFirstBatch = task != null && task.attemptNumber() == 0 && partition == failFirstAttemptOf;
        return new Iterator<>() {
            private Iterator<ExampleResult> pending = Collections.emptyIterator();
            private long row;
            private int batches;

            @Override
            public boolean hasNext() {
                while (!pending.hasNext() && rows.hasNext()) {
                    if (failAfterFirstBatch && batches == 1) {
                        throw new IllegalStateException("injected failure of the first attempt of partition " + partition);
                    }
                    List<Example> batch = new ArrayList<>(batchSize);
                    while (batch.size() < batchSize && rows.hasNext()) {
                        batch.add(example(rows.next()));
                    }
                    pending = ExecutorModels.attributor(model.value(), spec).attribute(batch).iterator();
                    batches++;
                }
                return pending.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ExampleResult r = pending.next();
                if (summary != null) {
                    summary.add(new SummaryEntry(SummaryEntry.order(partition, row), r.id(), r.target(), r.sum(), r.delta()));
                }
                row++;
                return ResultSchema.row(r);
            }
        };
    }

    private Example example(Row r) {
        if (r.isNullAt(0)) {
            throw new IllegalArgumentException("a row has no id (the id column is null)");
        }
        String id = r.getString(0);
        if (r.isNullAt(1)) {
            throw new IllegalArgumentException("example '" + id + "' has no input (the input column is null)");
        }
        float[] values = floats(id, r.get(1));
        Integer label = labelled && !r.isNullAt(2) ? r.getInt(2) : null;
        return new Example(id, values, shape, label);
    }

    /**
     * The values of an input array: Spark hands an array of non-null floats or doubles over as a
     * primitive array, wrapped or (from a function of rows before this one) as it was made, read
     * without boxing; an array that may hold nulls comes as boxed elements.
     */
    private static float[] floats(String id, Object array) {
        float[] v;
        switch (array) {
            case float[] f -> v = f.clone();
            case byte[] b -> {
                if (b.length % Float.BYTES != 0) {
                    throw new IllegalArgumentException("example '" + id + "': its binary input holds " + b.length
                            + " bytes, not a whole number of float32 values");
                }
                v = new float[b.length / Float.BYTES];
                java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            }
            case double[] d -> v = floats(d);
            case ArraySeq.ofFloat f -> v = f.array().clone();
            case ArraySeq.ofDouble d -> v = floats(d.array());
            case scala.collection.Seq<?> s -> {
                v = new float[s.length()];
                for (int i = 0; i < v.length; i++) {
                    if (!(s.apply(i) instanceof Number n)) {
                        throw new IllegalArgumentException("example '" + id + "' has a null at flat index " + i + " of its input");
                    }
                    v[i] = n.floatValue();
                }
            }
            default -> throw new IllegalArgumentException("example '" + id + "': the input column holds "
                    + array.getClass().getSimpleName() + ", not an array of numbers");
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("example '" + id + "' holds " + v[i] + " at flat index " + i);
            }
        }
        return v;
    }

    private static float[] floats(double[] a) {
        float[] v = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            v[i] = (float) a[i];
        }
        return v;
    }
}
