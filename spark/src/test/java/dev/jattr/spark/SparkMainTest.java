package dev.jattr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jattr.batch.DatasetAttributor;
import dev.jattr.batch.Example;
import dev.jattr.batch.ExampleResult;
import dev.jattr.batch.MethodSpec;
import dev.jattr.batch.NpySource;
import dev.jattr.batch.TargetChoice;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.testing.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jattr-spark} in-process on the shared session: exit codes, one-line errors, and output read back with equal values. */
class SparkMainTest {
    private static final int N = 30;

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        TestSpark.session();
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = SparkMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String convnet() {
        return SharedData.require("captum-reference/models/convnet.onnx").toString();
    }

    /** A stacked float64 .npy of {@code N} convnet inputs, with NaN at {@code nanRow} (-1 for none), and its labels. */
    private Path npy(String name, int nanRow) {
        SplittableRandom random = new SplittableRandom(7);
        double[] v = new double[N * 100];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextDouble() * 2 - 1;
        }
        if (nanRow >= 0) {
            v[nanRow * 100 + 5] = Double.NaN;
        }
        Path file = dir.resolve(name);
        Npy.write(file, Tensor.of(v, N, 1, 10, 10));
        long[] labels = new long[N];
        for (int i = 0; i < N; i++) {
            labels[i] = i % 10;
        }
        Npy.write(dir.resolve("labels.npy"), Tensor.of(labels, N));
        return file;
    }

    private static Map<String, Row> readBack(String out) {
        Map<String, Row> byId = new HashMap<>();
        for (Row r : TestSpark.session().read().parquet(out + "/*.parquet").collectAsList()) {
            assertNull(byId.put(r.getString(0), r), "duplicate id " + r.getString(0));
        }
        return byId;
    }

    @Test
    void npyInputEndToEnd() throws Exception {
        Path input = npy("images.npy", -1);
        String out = dir.resolve("out").toString();
        Run r = run("--master", "local[2]", "--model", convnet(), "--input", input.toString(), "--labels", dir.resolve("labels.npy").toString(),
                "--method", "LayerIntegratedGradients", "--layer", "conv1", "--n-steps", "8", "--target", "label", "--out", out,
                "--batch-size", "4", "--partitions", "3");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("wrote " + N + " examples to " + out), r.out());

        List<Example> examples;
        try (NpySource source = NpySource.open(input, dir.resolve("labels.npy"))) {
            examples = source.read(0, N);
        }
        MethodSpec spec = new MethodSpec("LayerIntegratedGradients", "conv1", Map.of("n_steps", "8"), false, null, TargetChoice.label(), 0,
                true, 10);
        List<ExampleResult> serial = new DatasetAttributor(OnnxModel.load(Path.of(convnet())).graph(), spec).attribute(examples);
        Map<String, Row> rows = readBack(out);
        assertEquals(N, rows.size());
        for (ExampleResult e : serial) {
            TestSpark.assertRowMatches(e, rows.get(e.id()));
        }

        JsonNode summary = new ObjectMapper().readTree(Files.readString(Path.of(out, SparkRun.SUMMARY)));
        assertEquals(N, summary.at("/counts/examples").asInt());
        assertEquals("LayerIntegratedGradients", summary.at("/run/method").asText());
        assertTrue(summary.at("/throughput/examples_per_second").asDouble() > 0);
        JsonNode listed = summary.get("examples");
        assertEquals(N, listed.size());
        for (int i = 0; i < N; i++) {
            ExampleResult e = serial.get(i);
            assertEquals(e.id(), listed.get(i).get("id").asText(), "input order");
            assertEquals(e.target().intValue(), listed.get(i).get("target").asInt());
            // other batches than the serial call's: float32 rounding apart (TestSpark.assertRowMatches)
            assertEquals(e.sum(), listed.get(i).get("sum").asDouble(), 1e-4 * Math.max(1e-3, Math.abs(e.sum())));
            assertEquals(e.delta(), listed.get(i).get("delta").asDouble(), 1e-6 * Math.max(1, Math.abs(e.delta())));
        }
    }

    @Test
    void parquetInputWithItsColumns() {
        List<Example> examples = TestSpark.examples(N, new int[] {1, 10, 10}, 10, 11);
        String input = dir.resolve("in.parquet").toString();
        TestSpark.frame(examples, 2).withColumnRenamed("id", "name").withColumnRenamed("input", "pixels").withColumnRenamed("label", "digit")
                .write().mode(SaveMode.ErrorIfExists).parquet(input);
        String out = dir.resolve("out").toString();
        Run r = run("--model", convnet(), "--input", input, "--id-column", "name", "--column", "pixels", "--label-column", "digit",
                "--target", "label", "--method", "LayerGradientXActivation", "--layer", "pool1", "--top-k", "3", "--out", out);
        assertEquals(0, r.code(), r.err());
        MethodSpec spec = new MethodSpec("LayerGradientXActivation", "pool1", Map.of(), false, null, TargetChoice.label(), 0, true, 3);
        Map<String, Row> rows = readBack(out);
        assertEquals(N, rows.size());
        for (ExampleResult e : new DatasetAttributor(OnnxModel.load(Path.of(convnet())).graph(), spec).attribute(examples)) {
            TestSpark.assertRowMatches(e, rows.get(e.id()));
        }
    }

    @Test
    void theBenchHookTimesARun() {
        Path input = npy("images.npy", -1);
        SparkRun r = SparkBench.time(TestSpark.session(), Path.of(convnet()), input, MethodSpec.of("LayerGradCam", "conv1", Map.of()), 8, 2);
        assertEquals(N, r.examples());
        assertTrue(r.examplesPerSecond() > 0);
        assertEquals(N, ((List<?>) r.summary().get("examples")).size());
    }

    /** Checks that {@code r} failed with exit code 2 and one line {@code jattr: …} holding {@code words}. */
    private static void assertUserError(Run r, String words) {
        assertEquals(SparkMain.USER_ERROR, r.code(), r.err());
        assertTrue(r.err().startsWith("jattr: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(words), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void badArgumentsEndInOneLine() {
        Path input = npy("images.npy", -1);
        List<String> base = List.of("--model", convnet(), "--input", input.toString(), "--method", "LayerGradCam", "--layer", "conv1");
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of("--out", dir.resolve("o1").toString(), "--batch-size", "0"));
        assertUserError(run(args.toArray(String[]::new)), "--batch-size '0' must be a whole number from 1 to 1048576");

        args = new ArrayList<>(base);
        args.addAll(List.of("--out", dir.resolve("o4").toString(), "--shard-size", "10"));
        assertUserError(run(args.toArray(String[]::new)), "--shard-size applies to jattr batch; Spark writes one file per partition");

        args = new ArrayList<>(List.of("--model", convnet(), "--input", dir.toString(), "--method", "LayerGradCam", "--layer", "conv1",
                "--out", dir.resolve("o5").toString()));
        assertUserError(run(args.toArray(String[]::new)), "is a folder; jattr-spark reads a stacked .npy or Parquet");

        assertUserError(run("--model", convnet(), "--frobnicate"), "see 'jattr-spark --help'");

        args = new ArrayList<>(List.of("--model", convnet(), "--input", input.toString(), "--method", "LayerGradCam", "--layer", "nope"));
        args.addAll(List.of("--out", dir.resolve("o2").toString()));
        assertUserError(run(args.toArray(String[]::new)), "nope");

        args = new ArrayList<>(base);
        args.addAll(List.of("--out", dir.toString()));
        assertUserError(run(args.toArray(String[]::new)), "exists; give a new output folder");

        args = new ArrayList<>(List.of("--model", dir.resolve("missing.onnx").toString(), "--input", input.toString(), "--method",
                "LayerGradCam", "--layer", "conv1", "--out", dir.resolve("o3").toString()));
        assertUserError(run(args.toArray(String[]::new)), "model file: file not found: ");
    }

    @Test
    void aBadExampleFailsTheJobInOneLineNamingIt() {
        Path input = npy("nan.npy", 17);
        Run r = run("--model", convnet(), "--input", input.toString(), "--method", "LayerGradCam", "--layer", "conv1", "--out",
                dir.resolve("out").toString());
        assertUserError(r, "example 17 holds NaN");
    }
}
