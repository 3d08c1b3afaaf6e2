package dev.jattr.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds small ONNX models in memory with the generated protobuf classes, for importer tests. */
final class TestModels {
    private TestModels() {}

    static NodeProto node(String name, String op, List<String> in, List<String> out, AttributeProto... attrs) {
        return NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(in).addAllOutput(out).addAllAttribute(List.of(attrs))
                .build();
    }

    static AttributeProto attr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto attr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto attr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }

    static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    /** A tensor value; a dimension of −1 becomes the symbolic "batch". */
    static ValueInfoProto value(String name, int elemType, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s))).build();
    }

    /** A float tensor with its data as raw little-endian bytes. */
    static TensorProto floats(String name, float[] data, long... dims) {
        ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProtos.FLOAT).addAllDims(boxed(dims))
                .setRawData(ByteString.copyFrom(buf.array())).build();
    }

    /** An int64 tensor. */
    static TensorProto longs(String name, long[] data, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(TensorProtos.INT64).addAllDims(boxed(dims));
        for (long v : data) {
            b.addInt64Data(v);
        }
        return b.build();
    }

    static List<Long> boxed(long[] dims) {
        return java.util.Arrays.stream(dims).boxed().toList();
    }

    static ModelProto model(int opset, List<NodeProto> nodes, List<ValueInfoProto> in, List<ValueInfoProto> out,
            List<TensorProto> initializers) {
        GraphProto g = GraphProto.newBuilder().setName("test").addAllNode(nodes).addAllInput(in).addAllOutput(out)
                .addAllInitializer(initializers).build();
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("jattr-test").setProducerVersion("1")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
    }

    /** Writes {@code m} to {@code dir/name}. */
    static Path write(ModelProto m, Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve(name);
            try (OutputStream o = Files.newOutputStream(f)) {
                m.writeTo(o);
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
