package dev.jattr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jattr.batch.DatasetAttributor;
import dev.jattr.batch.Example;
import dev.jattr.batch.ExampleResult;
import dev.jattr.batch.MethodSpec;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.testing.SharedData;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that fails midway (after its first batch, on its first attempt) is retried
 * ({@code local[2,2]}): the written dataset holds every example once, with the serial values.
 */
class TaskRetryTest {
    @TempDir
    Path dir;

    /** Counts the tasks that ended other than in success. */
    private static final class FailedTasks extends SparkListener {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.reason() != Success$.MODULE$) {
                count.incrementAndGet();
            }
        }
    }

    @Test
    void aTaskKilledMidwayLeavesNoDuplicateOrMissingRow() throws Exception {
        Path model = SharedData.require("captum-reference/models/convnet.onnx");
        List<Example> examples = TestSpark.examples(60, new int[] {1, 10, 10}, 10, 3);
        MethodSpec spec = MethodSpec.of("LayerConductance", "conv1", Map.of("n_steps", "6"));
        FailedTasks failed = new FailedTasks();
        var spark = TestSpark.session();
        spark.sparkContext().addSparkListener(failed);
        try {
            String out = dir.resolve("out").toString();
            JattrSpark.attribute(TestSpark.frame(examples, 3), ModelBytes.read(model), spec, AttributeOptions.defaults().withBatchSize(4),
                    null, 1).write().parquet(out);
            spark.sparkContext().listenerBus().waitUntilEmpty(30_000);
            assertEquals(1, failed.count.get(), "the injected failure");
            List<Row> rows = spark.read().parquet(out).collectAsList();
            assertEquals(examples.size(), rows.size());
            Map<String, Row> byId = new HashMap<>();
            for (Row r : rows) {
                assertNull(byId.put(r.getString(0), r), "duplicate id " + r.getString(0));
            }
            for (ExampleResult e : new DatasetAttributor(OnnxModel.load(model).graph(), spec).attribute(examples)) {
                TestSpark.assertRowMatches(e, byId.get(e.id()));
            }
        } finally {
            spark.sparkContext().removeSparkListener(failed);
        }
    }
}
