package dev.jattr.cli;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small valid ONNX model for tests that break one part of it: input {@code x} [batch, 4],
 * {@code /fc1/MatMul} with initializer {@code fc1.weight} [4, 3], {@code /act/Relu},
 * {@code /fc2/MatMul} with {@code fc2.weight} [3, 2], output {@code y} [batch, 2]; opset 13.
 */
final class TinyModel {
    /** The layers a test can name. */
    static final String FC1 = "fc1", ACT = "act", FC2 = "fc2";

    private TinyModel() {}

    /** The model as a builder, to be broken by the caller. */
    static ModelProto.Builder builder() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny")
                .addInput(value("x", -1, 4))
                .addOutput(value("y", -1, 2))
                .addInitializer(floats("fc1.weight", new float[] {0.5f, -0.25f, 0.75f, 1f, 0.5f, -0.5f, -1f, 0.25f, 0.5f, 0.25f, 1f, -0.75f}, 4, 3))
                .addInitializer(floats("fc2.weight", new float[] {1f, -0.5f, 0.5f, 1f, -0.25f, 0.75f}, 3, 2))
                .addNode(node("/fc1/MatMul", "MatMul", List.of("x", "fc1.weight"), List.of("/fc1/MatMul_output_0")))
                .addNode(node("/act/Relu", "Relu", List.of("/fc1/MatMul_output_0"), List.of("/act/Relu_output_0")))
                .addNode(node("/fc2/MatMul", "MatMul", List.of("/act/Relu_output_0", "fc2.weight"), List.of("y")));
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("jattr-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(g);
    }

    /** Writes {@code model} to {@code dir/name} and returns the path. */
    static Path write(ModelProto model, Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, model.toByteArray());
        return p;
    }

    /** Writes the valid model as {@code model.onnx} and an input {@code x.npy} of {@code batch} rows. */
    static void writeValid(Path dir, int batch) throws IOException {
        write(builder().build(), dir, "model.onnx");
        writeInput(dir, "x.npy", batch);
    }

    /** Writes an input of {@code batch} rows of four distinct values. */
    static void writeInput(Path dir, String name, int batch) {
        float[] v = new float[batch * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.25f * (i % 7) - 0.5f;
        }
        Npy.write(dir.resolve(name), Tensor.of(v, batch, 4));
    }

    static NodeProto node(String name, String op, List<String> in, List<String> out) {
        return NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(in).addAllOutput(out).build();
    }

    /** A float tensor initializer with typed data. */
    static TensorProto floats(String name, float[] v, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        for (float x : v) {
            t.addFloatData(x);
        }
        return t.build();
    }

    /** A float tensor value; a dimension of −1 becomes the symbolic {@code batch}. */
    static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(s))).build();
    }
}
