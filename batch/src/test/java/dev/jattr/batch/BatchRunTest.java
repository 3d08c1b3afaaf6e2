package dev.jattr.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jattr.attr.Progress;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import dev.jattr.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchRunTest {
    private static final MethodSpec SPEC = MethodSpec.of("LayerIntegratedGradients", "conv1", Map.of("n_steps", "6"));

    @TempDir
    Path dir;

    private Path dataset(int n) {
        Random r = new Random(11);
        float[] v = new float[n * 100];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        Path file = dir.resolve("data.npy");
        Npy.write(file, Tensor.of(v, n, 1, 10, 10));
        return file;
    }

    private static Path model() {
        return SharedData.require("captum-reference/models/convnet.onnx");
    }

    private static BatchRun.Result run(Path data, Path out, Progress progress) {
        Graph g = DatasetAttributorTest.convnet();
        try (NpySource source = NpySource.open(data, null)) {
            return BatchRun.run(g, model(), source, SPEC, new BatchRun.Options(out, 3, 2, progress, Map.of("method", "LIG")));
        }
    }

    private static List<String> shards(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".parquet")).sorted().toList();
        }
    }

    @Test
    void shardsHoldTheJavaApisValuesAndTheSummaryListsEveryExample() throws IOException {
        Path data = dataset(10);
        Path out = dir.resolve("out");
        BatchRun.Result r = run(data, out, null);
        assertEquals(10, r.examples());
        assertEquals(4, r.shards());
        assertEquals(4, r.shardsWritten());
        assertEquals(List.of("part-00000.parquet", "part-00001.parquet", "part-00002.parquet", "part-00003.parquet"), shards(out));
        List<ExampleResult> all = new ArrayList<>();
        for (String s : shards(out)) {
            all.addAll(ResultShards.read(out.resolve(s)));
        }
        // the Java API called on the run's own cut (shards of 3, calls of 2): the same bits
        List<ExampleResult> expected = new ArrayList<>();
        try (NpySource source = NpySource.open(data, null)) {
            DatasetAttributor attributor = new DatasetAttributor(DatasetAttributorTest.convnet(), SPEC);
            for (int shard = 0; shard < 10; shard += 3) {
                for (int at = shard; at < Math.min(10, shard + 3); at += 2) {
                    expected.addAll(attributor.attribute(source.read(at, Math.min(2, Math.min(10, shard + 3) - at))));
                }
            }
        }
        assertEquals(10, all.size());
        for (int i = 0; i < 10; i++) {
            ExampleResult a = all.get(i), e = expected.get(i);
            assertEquals(Integer.toString(i), a.id());
            assertEquals(e.target(), a.target());
            assertEquals(e.prediction(), a.prediction());
            assertArrayEquals(e.attribution(), a.attribution());
            assertArrayEquals(e.shape(), a.shape());
            assertEquals(e.sum(), a.sum());
            assertEquals(e.delta(), a.delta());
            assertArrayEquals(e.topIndex(), a.topIndex());
            assertArrayEquals(e.topValue(), a.topValue());
        }
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(10, s.path("counts").path("examples").asInt());
        assertEquals("LIG", s.path("arguments").path("method").asText());
        assertTrue(s.path("throughput").path("examples_per_second").asDouble() > 0);
        JsonNode examples = s.path("examples");
        assertEquals(10, examples.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(Integer.toString(i), examples.get(i).path("id").asText());
            assertEquals(expected.get(i).target().intValue(), examples.get(i).path("target").asInt());
            assertEquals(expected.get(i).sum(), examples.get(i).path("sum").asDouble());
            assertEquals(expected.get(i).delta(), examples.get(i).path("delta").asDouble());
        }
    }

    @Test
    void aRunKilledMidwayAndRerunWritesTheSameBytesAsAnUninterruptedOne() throws IOException {
        Path data = dataset(10);
        Path whole = dir.resolve("whole"), resumed = dir.resolve("resumed");
        run(data, whole, null);
        // killed after 5 examples: in the middle of shard 1, after shard 0 was written
        RuntimeException killed = assertThrows(RuntimeException.class, () -> run(data, resumed, (m, done, total) -> {
            if (done >= 5) {
                throw new RuntimeException("killed");
            }
        }));
        assertEquals("killed", killed.getMessage());
        assertEquals(List.of("part-00000.parquet"), shards(resumed));
        assertFalse(Files.exists(resumed.resolve("summary.json")));
        Files.write(resumed.resolve(".part-00001.parquet.tmp"), new byte[] {'P', 'A', 'R', '1', 0}); // a half-written shard
        BatchRun.Result r = run(data, resumed, null);
        assertEquals(1, r.shardsSkipped());
        assertEquals(3, r.shardsWritten());
        assertEquals(shards(whole), shards(resumed));
        for (String s : shards(whole)) {
            assertArrayEquals(Files.readAllBytes(whole.resolve(s)), Files.readAllBytes(resumed.resolve(s)), s);
        }
        assertFalse(Files.exists(resumed.resolve(".part-00001.parquet.tmp")));
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(whole.resolve("summary.json").toFile()).path("examples"),
                json.readTree(resumed.resolve("summary.json").toFile()).path("examples"));
    }

    @Test
    void aFolderHoldingAnotherRunIsRefusedNamingWhatDiffers() {
        Path data = dataset(4);
        Path out = dir.resolve("out");
        run(data, out, null);
        Graph g = DatasetAttributorTest.convnet();
        MethodSpec other = MethodSpec.of("LayerIntegratedGradients", "conv1", Map.of("n_steps", "7"));
        try (NpySource source = NpySource.open(data, null)) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> BatchRun.run(g, model(), source, other, new BatchRun.Options(out, 3, 2, null, Map.of())));
            assertEquals("--out " + out + " holds a run with other arguments (arguments was {\"n_steps\":\"6\"}, now {\"n_steps\":\"7\"});"
                    + " give another --out, or delete it to start over", e.getMessage());
        }
    }
}
