package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jattr.batch.DatasetAttributor;
import dev.jattr.batch.Example;
import dev.jattr.batch.ExampleResult;
import dev.jattr.batch.MethodSpec;
import dev.jattr.batch.ResultShards;
import dev.jattr.batch.TargetChoice;
import dev.jattr.batch.parquet.ParquetSchema;
import dev.jattr.batch.parquet.ParquetColumn;
import dev.jattr.batch.parquet.ParquetType;
import dev.jattr.batch.parquet.ParquetWriteOptions;
import dev.jattr.batch.parquet.ParquetWriter;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jattr batch}: values, resumption after a real kill, errors. */
class BatchCommandTest {
    @TempDir
    Path dir;

    private static String model() {
        return SharedData.require("captum-reference/models/convnet.onnx").toString();
    }

    private static float[] data(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * 100];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private Path npy(int n) {
        Path f = dir.resolve("data.npy");
        Npy.write(f, Tensor.of(data(n, 3), n, 1, 10, 10));
        return f;
    }

    private static List<String> shards(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".parquet")).sorted().toList();
        }
    }

    private static List<ExampleResult> results(Path out) throws IOException {
        List<ExampleResult> all = new ArrayList<>();
        for (String s : shards(out)) {
            all.addAll(ResultShards.read(out.resolve(s)));
        }
        return all;
    }

    @Test
    void aNpyDatasetGivesTheJavaApisValues() throws IOException {
        Path data = npy(7);
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("batch", "--model", model(), "--input", data.toString(), "--method", "LayerIntegratedGradients",
                "--layer", "conv1", "--n-steps", "5", "--target", "2", "--top-k", "3", "--shard-size", "4", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals("LayerIntegratedGradients conv1: 7 examples in 2 shards (2 written, 0 already done)", r.out().strip()
                .replaceAll(", [0-9.e+]+ examples/s -> .*", ""));
        assertEquals(List.of("part-00000.parquet", "part-00001.parquet"), shards(out));
        var graph = OnnxModel.load(Path.of(model())).graph();
        List<Example> xs = new ArrayList<>();
        float[] v = data(7, 3);
        for (int i = 0; i < 7; i++) {
            xs.add(new Example(Integer.toString(i), java.util.Arrays.copyOfRange(v, 100 * i, 100 * i + 100), new int[] {1, 10, 10}, null));
        }
        List<ExampleResult> expected = new DatasetAttributor(graph, new MethodSpec("LayerIntegratedGradients", "conv1",
                Map.of("n_steps", "5"), false, null, TargetChoice.index(2), 0, true, 3)).attribute(xs);
        List<ExampleResult> got = results(out);
        assertEquals(7, got.size());
        for (int i = 0; i < 7; i++) {
            assertEquals(expected.get(i).id(), got.get(i).id());
            assertEquals(2, got.get(i).target());
            assertArrayEquals(expected.get(i).attribution(), got.get(i).attribution());
            assertEquals(expected.get(i).delta(), got.get(i).delta());
            assertEquals(3, got.get(i).topIndex().length);
        }
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("5", summary.path("arguments").path("--n-steps").asText());
        assertEquals(7, summary.path("examples").size());
    }

    @Test
    void aParquetDatasetWithIdsAndLabels() throws IOException {
        Path data = dir.resolve("data.parquet");
        float[] v = data(5, 4);
        ParquetSchema schema = ParquetSchema.of(ParquetColumn.required("name", ParquetType.STRING),
                ParquetColumn.required("pixels", ParquetType.DOUBLE_LIST), ParquetColumn.optional("label", ParquetType.INT64));
        try (ParquetWriter w = ParquetWriter.open(data, schema, ParquetWriteOptions.defaults())) {
            for (int i = 0; i < 5; i++) {
                double[] row = new double[100];
                for (int j = 0; j < 100; j++) {
                    row[j] = v[100 * i + j];
                }
                w.writeRow("img" + i, row, (long) (9 - i));
            }
        }
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("batch", "--model", model(), "--input", data.toString(), "--id-column", "name", "--label-column", "label",
                "--target", "label", "--method", "LayerGradCam", "--layer", "conv2", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        List<ExampleResult> got = results(out);
        for (int i = 0; i < 5; i++) {
            assertEquals("img" + i, got.get(i).id());
            assertEquals(9 - i, got.get(i).target());
            assertEquals(null, got.get(i).delta());
        }
    }

    @Test
    void aFolderOfImagesInFileNameOrder() throws IOException {
        Path model = dir.resolve("digits.onnx");
        try (var in = BatchCommandTest.class.getResourceAsStream("/demo/digits.onnx")) {
            Files.copy(in, model);
        }
        Path images = Files.createDirectories(dir.resolve("images"));
        Random r = new Random(8);
        for (String name : List.of("b.png", "a.png", "c.png")) {
            var img = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    img.getRaster().setSample(x, y, 0, r.nextInt(256));
                }
            }
            javax.imageio.ImageIO.write(img, "png", images.resolve(name).toFile());
        }
        Files.writeString(images.resolve("notes.txt"), "not an image");
        Path out = dir.resolve("out");
        CliRun run = CliRun.of("batch", "--model", model.toString(), "--input", images.toString(), "--method", "LayerGradCam",
                "--layer", "conv2", "--out", out.toString(), "--quiet");
        assertEquals(0, run.code(), run.err());
        List<ExampleResult> got = results(out);
        assertEquals(List.of("a.png", "b.png", "c.png"), got.stream().map(ExampleResult::id).toList());
        var graph = OnnxModel.load(model).graph();
        List<Example> xs = new ArrayList<>();
        for (String name : List.of("a.png", "b.png", "c.png")) {
            Tensor t = ImageInput.read("--input", graph.inputs().getFirst(), images.resolve(name).toString(), ImagePreprocessing.none())
                    .tensor();
            xs.add(new Example(name, t.floats().clone(), java.util.Arrays.copyOfRange(t.shape(), 1, t.rank()), null));
        }
        List<ExampleResult> expected = new DatasetAttributor(graph, MethodSpec.of("LayerGradCam", "conv2", Map.of())).attribute(xs);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(expected.get(i).attribution(), got.get(i).attribution());
            assertEquals(expected.get(i).prediction(), got.get(i).target(), "the default target is the prediction");
        }
    }

    @Test
    void aRunKilledMidwayThenRerunEqualsAnUninterruptedRunByteForByte() throws Exception {
        Path data = npy(24);
        Path whole = dir.resolve("whole"), resumed = dir.resolve("resumed");
        List<String> args = List.of("batch", "--model", model(), "--input", data.toString(), "--method", "LayerConductance",
                "--layer", "conv1", "--n-steps", "200", "--shard-size", "3", "--batch-size", "1", "--quiet", "--out");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(args);
        cmd.add(resumed.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && System.nanoTime() < deadline && (!Files.isDirectory(resumed) || shards(resumed).size() < 2)) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), () -> "the run ended before it could be killed: " + read(dir.resolve("killed.log")));
        p.destroyForcibly().waitFor();
        int before = shards(resumed).size();
        assertTrue(before >= 2 && before < 8, "killed after " + before + " of 8 shards");
        assertFalse(Files.exists(resumed.resolve("summary.json")));
        List<String> rerun = new ArrayList<>(args);
        rerun.add(resumed.toString());
        CliRun r = CliRun.of(rerun.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("8 shards (" + (8 - before) + " written, " + before + " already done)"), r.out());
        List<String> full = new ArrayList<>(args);
        full.add(whole.toString());
        assertEquals(0, CliRun.of(full.toArray(String[]::new)).code());
        assertEquals(shards(whole), shards(resumed));
        for (String s : shards(whole)) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(s)), Files.readAllBytes(resumed.resolve(s)), s);
        }
        try (Stream<Path> s = Files.list(resumed)) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(), "no temporary file is left");
        }
    }

    @Test
    void damagedDatasetsFailInOneLineNamingTheFile() throws IOException {
        Path npy = npy(4);
        byte[] bytes = Files.readAllBytes(npy);
        Path truncated = dir.resolve("truncated.npy");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        Path garbage = dir.resolve("garbage.parquet");
        Files.write(garbage, "PAR1 this is not parquet PAR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Path nan = dir.resolve("nan.npy");
        float[] v = data(2, 5);
        v[150] = Float.NaN;
        Npy.write(nan, Tensor.of(v, 2, 1, 10, 10));
        Path wrongShape = dir.resolve("wrong.npy");
        Npy.write(wrongShape, Tensor.of(data(2, 6), 2, 1, 5, 20));
        String[][] cases = {
            {truncated.toString(), "jattr: " + truncated + ": header field 'shape' (4, 1, 10, 10) of float32 needs 1600 data bytes, but the file holds 1590 (truncated?)"},
            {garbage.toString(), "jattr: " + garbage + ": "},
            {nan.toString(), "jattr: " + nan + ": example 1 holds NaN at flat index 50"},
            {wrongShape.toString(), "jattr: the examples have shape [1, 5, 20], but model input 'image' takes"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("out-" + Path.of(c[0]).getFileName());
            CliRun r = CliRun.of("batch", "--model", model(), "--input", c[0], "--method", "LayerGradCam", "--layer", "conv1",
                    "--out", out.toString());
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.errLines().length, r.err());
            assertTrue(r.err().startsWith(c[1]), "got: " + r.err() + "wanted: " + c[1]);
            if (!c[0].endsWith("nan.npy")) {
                assertFalse(Files.exists(out), "nothing is written: " + c[0]);
            }
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void badArgumentsFailInOneLineAndWriteNothing() throws IOException {
        Path data = npy(3);
        Path out = dir.resolve("never");
        String[][] cases = {
            {"--target", "best"},
            {"--top-k", "-1"},
            {"--shard-size", "0"},
            {"--column", "x"},
            {"--labels", "nope.npy"},
            {"--resize", "32"},
            {"--layer", "nosuchlayer"},
            {"--arg", "return_convergence_delta=true"},
        };
        String[] expected = {
            "jattr: --target 'best' must be 'predicted', 'label' or an output index (0, 1, …)",
            "jattr: --top-k '-1' must be a whole number from 0 to 10000",
            "jattr: --shard-size '0' must be a whole number from 1 to 1048576",
            "jattr: --column applies to a Parquet dataset",
            "jattr: --labels: file not found: nope.npy",
            "jattr: --resize applies to image inputs, and --input is not a folder of images",
            "jattr: no layer named 'nosuchlayer'",
            "jattr: argument return_convergence_delta is set by jattr batch itself; leave it out",
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("batch", "--model", model(), "--input", data.toString(), "--method",
                    "LayerGradientXActivation", "--layer", "conv1", "--out", out.toString()));
            for (int j = 0; j < cases[i].length; j += 2) {
                int at = args.indexOf(cases[i][j]);
                if (at >= 0) {
                    args.set(at + 1, cases[i][j + 1]);
                } else {
                    args.add(cases[i][j]);
                    args.add(cases[i][j + 1]);
                }
            }
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", cases[i]) + ": " + r.err());
            assertEquals(1, r.errLines().length, r.err());
            assertTrue(r.err().strip().startsWith(expected[i]), "got: " + r.err().strip() + "\nwanted: " + expected[i]);
            assertFalse(Files.exists(out), "nothing is written on a failure: " + String.join(" ", cases[i]));
        }
    }
}
