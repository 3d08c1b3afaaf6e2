package dev.jattr.onnx;

import static dev.jattr.onnx.TestModels.node;
import static dev.jattr.onnx.TestModels.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link OnnxModel#load(byte[], Path)}: the same graph as from the file, and messages that name the source. */
class LoadFromBytesTest {
    private static final Path SOURCE = Path.of("shipped/m.onnx");

    private static ModelProto matmul(TensorProto w) {
        return TestModels.model(13, List.of(node("mm", "MatMul", List.of("x", "w"), List.of("y"))),
                List.of(value("x", TensorProtos.FLOAT, 1, 3)), List.of(value("y", TensorProtos.FLOAT, 1, 2)), List.of(w));
    }

    @Test
    void bytesLoadTheGraphAndKeepTheSource() {
        ModelProto m = matmul(TestModels.floats("w", new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        OnnxModel model = OnnxModel.load(m.toByteArray(), SOURCE);
        assertEquals(SOURCE, model.source());
        assertEquals(13, model.opset());
        Tensor y = new Executor(model.graph()).forward(Map.of("x", Tensor.of(new float[] {1, 1, 1}, 1, 3))).get("y");
        assertArrayEquals(new float[] {9, 12}, y.floats());
    }

    @Test
    void bytesThatAreNoModelNameTheSource() {
        String m = assertThrows(UnsupportedModelException.class, () -> OnnxModel.load(new byte[] {0x0a, 0x7f, 1}, SOURCE)).getMessage();
        assertTrue(m.startsWith(SOURCE + " is not an ONNX model"), m);
    }

    @Test
    void externalDataNeedsTheFolder() {
        TensorProto w = TensorProto.newBuilder().setName("w").setDataType(TensorProtos.FLOAT).addDims(3).addDims(2)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin")).build();
        String m = assertThrows(UnsupportedModelException.class, () -> OnnxModel.load(matmul(w).toByteArray(), SOURCE)).getMessage();
        assertTrue(m.contains("external data 'w.bin' needs the model's folder"), m);
    }
}
