package dev.jattr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.batch.DatasetAttributor;
import dev.jattr.batch.Example;
import dev.jattr.batch.ExampleResult;
import dev.jattr.batch.MethodSpec;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.testing.SharedData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The Java API on the captum-reference convnet (input 'image' [N, 1, 10, 10] float64): fast checks of every path. */
class JattrSparkTest {
    private static final int[] SHAPE = {1, 10, 10};

    private static Path convnet() {
        return SharedData.require("captum-reference/models/convnet.onnx");
    }

    private static List<ExampleResult> serial(Path model, MethodSpec spec, List<Example> examples) {
        return new DatasetAttributor(OnnxModel.load(model).graph(), spec).attribute(examples);
    }

    @Test
    void resultsEqualTheSerialJavaApiWithinRounding() {
        List<Example> examples = TestSpark.examples(150, SHAPE, 10, 1);
        MethodSpec spec = MethodSpec.of("LayerIntegratedGradients", "conv1", Map.of("n_steps", "8"));
        Dataset<Row> out = JattrSpark.attribute(TestSpark.frame(examples, 3), convnet(), spec, AttributeOptions.defaults().withBatchSize(7));
        assertEquals(ResultSchema.SCHEMA, out.schema());
        Map<String, Row> rows = out.collectAsList().stream().collect(Collectors.toMap(r -> r.getString(0), Function.identity()));
        assertEquals(examples.size(), rows.size());
        for (ExampleResult e : serial(convnet(), spec, examples)) {
            TestSpark.assertRowMatches(e, rows.get(e.id()));
        }
    }

    @Test
    void doubleInputsAndLabelTargetsEqualTheSerialValues() {
        List<Example> examples = TestSpark.examples(20, SHAPE, 10, 5);
        MethodSpec spec = new MethodSpec("LayerIntegratedGradients", "pool1", Map.of("n_steps", "8"), false, null, dev.jattr.batch.TargetChoice.label(), 0.25, true, 5);
        Dataset<Row> df = TestSpark.frame(examples, 2).withColumn("input", org.apache.spark.sql.functions.col("input").cast("array<double>"));
        int importsBefore = ExecutorModels.imports();
        List<Row> rows = JattrSpark.attribute(df, convnet(), spec, AttributeOptions.defaults().withLabelColumn("label")).collectAsList();
        JattrSpark.attribute(df, convnet(), spec, AttributeOptions.defaults().withLabelColumn("label")).count();
        assertTrue(ExecutorModels.imports() - importsBefore <= 1, "the model is imported once per JVM");
        Map<String, Row> byId = rows.stream().collect(Collectors.toMap(r -> r.getString(0), Function.identity()));
        for (ExampleResult e : serial(convnet(), spec, examples)) {
            TestSpark.assertRowMatches(e, byId.get(e.id()));
        }
    }

    @Test
    void aMissingColumnFailsOnTheDriverNamingTheColumns() {
        Dataset<Row> df = TestSpark.frame(TestSpark.examples(4, SHAPE, 10, 2), 1);
        MethodSpec spec = MethodSpec.of("LayerGradientXActivation", "conv1", Map.of());
        var e = assertThrows(IllegalArgumentException.class,
                () -> JattrSpark.attribute(df, convnet(), spec, AttributeOptions.defaults().withIdColumn("name")));
        assertTrue(e.getMessage().contains("no id column 'name'"), e.getMessage());
    }
}
