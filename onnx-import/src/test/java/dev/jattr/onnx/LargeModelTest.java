package dev.jattr.onnx;

import static dev.jattr.onnx.TestModels.node;
import static dev.jattr.onnx.TestModels.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Models beyond protobuf's default 64 MiB message limit, and weights stored as external data
 * beside the model (location, offset, length), load and run. Files go under target/ and are deleted.
 */
class LargeModelTest {
    private final Path dir = Path.of("target", "large-model-test");

    @AfterEach
    void cleanUp() throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static float weight(int i) {
        return (i % 1000) * 0.001f - 0.5f;
    }

    @Test
    void loadsAModelLargerThan64MiB() throws IOException {
        int n = 17 * 1024 * 1024; // 68 MiB of float32 weights
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = weight(i);
        }
        var m = TestModels.model(13, List.of(node("add", "Add", List.of("x", "w"), List.of("y"))),
                List.of(value("x", TensorProtos.FLOAT, 1)), List.of(value("y", TensorProtos.FLOAT, n)),
                List.of(TestModels.floats("w", w, n)));
        w = null;
        Path file = TestModels.write(m, dir, "big.onnx");
        m = null;
        assertTrue(Files.size(file) > 64L * 1024 * 1024, "the model file should exceed 64 MiB");
        OnnxModel model = OnnxModel.load(file);
        Tensor y = new Executor(model.graph()).forward(Map.of("x", Tensor.of(new float[] {2f}, 1))).get("y");
        for (int i : new int[] {0, 1, 999, 1000, n / 2 + 7, n - 1}) {
            assertEquals(weight(i) + 2f, y.floats()[i], 0f, "element " + i);
        }
    }

    @Test
    void loadsWeightsFromExternalDataFiles() throws IOException {
        // Two tensors share one data file at aligned offsets; a third fills a file of its own (no offset or length).
        float[] w = {1, 2, 3, 4, 5, 6}, b = {0.5f, -0.5f};
        float[] c = {10, 20};
        Files.createDirectories(dir.resolve("weights"));
        try (OutputStream o = Files.newOutputStream(dir.resolve("weights/shared.bin"))) {
            o.write(new byte[16]); // unrelated leading bytes
            o.write(bytes(w));
            o.write(new byte[8]);
            o.write(bytes(b));
        }
        Files.write(dir.resolve("c.bin"), bytes(c));
        var m = TestModels.model(13, List.of(
                        node("mm", "MatMul", List.of("x", "w"), List.of("h")),
                        node("add", "Add", List.of("h", "b"), List.of("hb")),
                        node("mul", "Mul", List.of("hb", "c"), List.of("y"))),
                List.of(value("x", TensorProtos.FLOAT, 1, 3)), List.of(value("y", TensorProtos.FLOAT, 1, 2)),
                List.of(external("w", "weights/shared.bin", 16, 24, 3, 2), external("b", "weights/shared.bin", 48, 8, 2),
                        external("c", "c.bin", -1, -1, 2)));
        Path file = TestModels.write(m, dir, "ext.onnx");
        Tensor y = new Executor(OnnxModel.load(file).graph()).forward(Map.of("x", Tensor.of(new float[] {1, 0, -1}, 1, 3)))
                .get("y");
        // x·w = [1·1 − 1·5, 1·2 − 1·6] = [−4, −4]; + b = [−3.5, −4.5]; · c = [−35, −90].
        assertEquals(-35f, y.floats()[0], 1e-6f);
        assertEquals(-90f, y.floats()[1], 1e-6f);
    }

    private static byte[] bytes(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        return buf.array();
    }

    private static TensorProto external(String name, String location, long offset, long length, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProtos.FLOAT)
                .addAllDims(TestModels.boxed(dims)).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        if (offset >= 0) {
            t.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)));
            t.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(length)));
        }
        return t.build();
    }
}
