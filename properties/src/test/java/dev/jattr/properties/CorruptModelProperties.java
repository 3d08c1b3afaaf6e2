package dev.jattr.properties;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.jattr.graph.DType;
import dev.jattr.graph.ExecutionException;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.onnx.UnsupportedModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Errors are part of the interface: a damaged model file either loads and runs, or fails with
 * jattr's own exceptions and a message, never with a NullPointerException, an index out of
 * bounds or a class cast from deep inside the importer.
 */
class CorruptModelProperties {
    private static final byte[] MODEL = model().toByteArray();

    /** Conv → Relu → Flatten → Gemm → Softmax with initializers: a small real model. */
    static ModelProto model() {
        Random r = new Random(7);
        GraphProto.Builder g = GraphProto.newBuilder().setName("g");
        g.addInitializer(floats("w", r, 2, 1, 3, 3)).addInitializer(floats("b", r, 2))
                .addInitializer(floats("fw", r, 3, 2 * 4 * 4)).addInitializer(floats("fb", r, 3));
        g.addNode(node("/conv/Conv", "Conv", new String[] {"x", "w", "b"}, "c").addAttribute(ints("pads", 1, 1, 1, 1)));
        g.addNode(node("/act/Relu", "Relu", new String[] {"c"}, "a"));
        g.addNode(node("/Flatten", "Flatten", new String[] {"a"}, "f"));
        g.addNode(node("/fc/Gemm", "Gemm", new String[] {"f", "fw", "fb"}, "z").addAttribute(
                AttributeProto.newBuilder().setName("transB").setType(AttributeProto.AttributeType.INT).setI(1)));
        g.addNode(node("/Softmax", "Softmax", new String[] {"z"}, "y"));
        g.addInput(value("x", -1, 1, 4, 4)).addOutput(value("y", -1, 3));
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g)
                .build();
    }

    @Property(tries = 300)
    void aDamagedModelFailsWithAMessageOrRuns(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int flips,
            @ForAll boolean truncate) throws IOException {
        Random r = new Random(seed);
        byte[] bytes = MODEL.clone();
        for (int i = 0; i < flips; i++) {
            int at = r.nextInt(bytes.length);
            bytes[at] = (byte) (r.nextBoolean() ? r.nextInt(256) : bytes[at] ^ (1 << r.nextInt(8)));
        }
        if (truncate) {
            bytes = java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length));
        }
        Path file = Files.createTempFile("corrupt", ".onnx");
        try {
            Files.write(file, bytes);
            String outcome;
            try {
                Graph g = OnnxModel.load(file).graph();
                Tensor x = Tensor.generate(DType.F32, new int[] {2, 1, 4, 4}, i -> (i % 7) / 7.0);
                String in = g.inputs().isEmpty() ? "x" : g.inputs().getFirst().name();
                new Executor(g).forward(Map.of(in, x));
                outcome = "ran";
            } catch (UnsupportedModelException | IllegalArgumentException | ExecutionException | UncheckedIOException
                    | IllegalStateException | ArithmeticException e) {
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    throw new AssertionError("an error without a message", e);
                }
                outcome = e.getClass().getSimpleName();
            }
            Statistics.label("outcome").collect(outcome);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static TensorProto floats(String name, Random r, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
        long n = 1;
        for (long d : dims) {
            t.addDims(d);
            n *= d;
        }
        for (long i = 0; i < n; i++) {
            t.addFloatData((float) r.nextGaussian());
        }
        return t.build();
    }

    private static NodeProto.Builder node(String name, String op, String[] inputs, String output) {
        NodeProto.Builder n = NodeProto.newBuilder().setName(name).setOpType(op).addOutput(output);
        for (String i : inputs) {
            n.addInput(i);
        }
        return n;
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch") : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(s))).build();
    }
}
