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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A zoo model over a generated dataset of a few hundred images (the zoo models take
 * [N, 3, 96, 96]), made in the executors: Spark's rows equal the serial Java API's value for value.
 */
class ZooDatasetTest {
    private static final int EXAMPLES = 200;
    private static final int[] SHAPE = {3, 96, 96};
    private static final int BATCH = 16;
    private static final int PARTITIONS = 4;

    @Test
    void shufflenetGradCamEqualsTheSerialResults() {
        Path model = SharedData.require("onnx-zoo/models/shufflenet_v2_x0_5.onnx");
        MethodSpec spec = MethodSpec.of("LayerGradCam", "conv5", Map.of());
        List<Row> rows = JattrSpark.attribute(TestSpark.generatedFrame(EXAMPLES, SHAPE, 1000, PARTITIONS), model, spec,
                AttributeOptions.defaults().withBatchSize(BATCH)).collectAsList();
        assertEquals(EXAMPLES, rows.size());
        Map<String, Row> byId = new HashMap<>();
        for (Row r : rows) {
            assertNull(byId.put(r.getString(0), r), "duplicate id " + r.getString(0));
        }
        DatasetAttributor serial = new DatasetAttributor(OnnxModel.load(model).graph(), spec);
        // the same batches as the job's: spark.range's partitions are contiguous, and each is cut
        // into batches from its start (a kernel may sum in another order for another batch size)
        long per = EXAMPLES / PARTITIONS;
        for (long start = 0; start < EXAMPLES; start += per) {
            for (long first = start; first < start + per; first += BATCH) {
                List<Example> batch = new ArrayList<>();
                for (long i = first; i < Math.min(start + per, first + BATCH); i++) {
                    batch.add(TestSpark.generated(i, SHAPE, 1000));
                }
                for (ExampleResult e : serial.attribute(batch)) {
                    TestSpark.assertRowEquals(e, byId.get(e.id()));
                }
            }
        }
    }
}
