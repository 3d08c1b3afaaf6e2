package dev.jattr.onnx;

import static dev.jattr.onnx.TestModels.node;
import static dev.jattr.onnx.TestModels.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.jattr.graph.ExecutionException;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Limits;
import dev.jattr.graph.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One regression test per root cause of the hostile-model hardening: each fault fails with jattr's message naming it. */
class HostileModelTest {
    @TempDir
    Path dir;

    private static final float[] W = {1, 2, 3, 4, 5, 6};

    /** y = x·w, w [3, 2] given by {@code w}. */
    private static ModelProto matmul(TensorProto w) {
        return TestModels.model(13, List.of(node("mm", "MatMul", List.of("x", "w"), List.of("y"))),
                List.of(value("x", TensorProtos.FLOAT, 1, 3)), List.of(value("y", TensorProtos.FLOAT, 1, 2)), List.of(w));
    }

    private static TensorProto external(String location, String offset, String length) {
        TensorProto.Builder t = TensorProto.newBuilder().setName("w").setDataType(TensorProtos.FLOAT).addDims(3).addDims(2)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        if (offset != null) {
            t.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(offset));
        }
        if (length != null) {
            t.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(length));
        }
        return t.build();
    }

    private String loadFails(ModelProto m) {
        Path f = TestModels.write(m, dir.resolve("model"), "m.onnx");
        return assertThrows(UnsupportedModelException.class, () -> OnnxModel.load(f)).getMessage();
    }

    private static void assertMentions(String message, String... fragments) {
        for (String f : fragments) {
            assertTrue(message.contains(f), () -> "'" + message + "' should mention '" + f + "'");
        }
    }

    @Test
    void externalDataIsConfinedToTheModelFolder() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model")), sibling = Files.createDirectories(dir.resolve("sibling"));
        byte[] bytes = TestModels.floats("w", W, 3, 2).getRawData().toByteArray();
        Files.write(sibling.resolve("w.bin"), bytes);
        Files.write(model.resolve("w.bin"), bytes);
        assertMentions(loadFails(matmul(external("../sibling/w.bin", null, null))), "'w'", "leaves the model's folder");
        assertMentions(loadFails(matmul(external(sibling.resolve("w.bin").toString(), null, null))), "absolute path");
        Files.createSymbolicLink(model.resolve("out.bin"), sibling.resolve("w.bin"));
        assertMentions(loadFails(matmul(external("out.bin", null, null))), "link leaving");
        Files.createSymbolicLink(model.resolve("passwd.bin"), Path.of("/etc/passwd"));
        assertMentions(loadFails(matmul(external("passwd.bin", null, null))), "link leaving");
        Files.createDirectories(model.resolve("folder"));
        assertMentions(loadFails(matmul(external("folder", null, null))), "not a regular file");
        assertMentions(loadFails(matmul(external("w.bin", "-4", null))), "offset -4 is negative");
        assertMentions(loadFails(matmul(external("w.bin", "four", null))), "offset 'four'");
        assertMentions(loadFails(matmul(external("w.bin", "0", "400"))), "past the end");
        assertMentions(loadFails(matmul(external("w.bin", "4", null))), "holds 20 bytes", "need 24");
        // Inside the folder, through a link that stays inside, it loads.
        Files.createSymbolicLink(model.resolve("in.bin"), Path.of("w.bin"));
        Path ok = TestModels.write(matmul(external("sub/../in.bin", "0", "24")), model, "ok.onnx");
        assertEquals(1, OnnxModel.load(ok).graph().nodes().size());
    }

    @Test
    void externalDataFifoIsRefusedWithoutBlocking() throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", model.resolve("pipe.bin").toString()).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("mkfifo is not available");
            return;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo failed");
        String m = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> loadFails(matmul(external("pipe.bin", null, null))));
        assertMentions(m, "'w'", "not a regular file");
    }

    @Test
    void declaredSizesAreCheckedAgainstTheDataBeforeAllocating() {
        TensorProto.Builder huge = TensorProto.newBuilder().setName("w").setDataType(TensorProtos.FLOAT).addDims(1L << 31).addDims(2);
        assertMentions(loadFails(matmul(huge.build())), "initializer 'w'", "4294967296 elements");
        assertMentions(loadFails(matmul(huge.clearDims().addDims(1L << 32).addDims(1L << 32).addDims(1L << 32).build())),
                "2^63 or more");
        assertMentions(loadFails(matmul(huge.clearDims().addDims(-3).addDims(2).build())), "initializer 'w'", "negative");
        // 2^28 elements declared, 24 bytes present: refused before a gigabyte is allocated.
        TensorProto big = TestModels.floats("w", W, 3, 2).toBuilder().clearDims().addDims(1L << 14).addDims(1L << 14).build();
        assertMentions(loadFails(matmul(big)), "raw_data holds 24 bytes", "need 1073741824");
        TensorProto longer = TestModels.floats("w", W, 3, 2).toBuilder().setRawData(ByteString.copyFrom(new byte[28])).build();
        assertMentions(loadFails(matmul(longer)), "raw_data holds 28 bytes");
        TensorProto both = TestModels.floats("w", W, 3, 2).toBuilder().addFloatData(1).build();
        assertMentions(loadFails(matmul(both)), "'w'", "twice");
        TensorProto typedShort = TensorProto.newBuilder().setName("w").setDataType(TensorProtos.FLOAT).addDims(3).addDims(2)
                .addFloatData(1).build();
        assertMentions(loadFails(matmul(typedShort)), "float_data holds 1 values", "need 6");
    }

    @Test
    void ambiguousGraphsAreRefusedNamingTheName() {
        TensorProto w = TestModels.floats("w", W, 3, 2);
        ModelProto m = matmul(w);
        assertMentions(loadFails(m.toBuilder().setGraph(m.getGraph().toBuilder().addInitializer(w)).build()), "initializer 'w'",
                "twice");
        assertMentions(loadFails(m.toBuilder().setGraph(m.getGraph().toBuilder().addInput(value("x", TensorProtos.FLOAT, 1, 3)))
                .build()), "input 'x'", "twice");
        assertMentions(loadFails(m.toBuilder().setGraph(m.getGraph().toBuilder().addOutput(value("y", TensorProtos.FLOAT, 1, 2)))
                .build()), "output 'y'", "twice");
        assertMentions(loadFails(m.toBuilder().setGraph(m.getGraph().toBuilder().addNode(node("r", "Relu", List.of("y"), List.of("w"))))
                .build()), "node 'r'", "'w', which is an initializer");
        assertMentions(loadFails(m.toBuilder().setGraph(m.getGraph().toBuilder().addNode(node("r", "Relu", List.of("y"), List.of("x"))))
                .build()), "'x', which is a graph input");
        assertMentions(loadFails(m.toBuilder().setGraph(m.getGraph().toBuilder().addNode(node("mm", "Relu", List.of("y"), List.of("z"))))
                .build()), "two nodes are named 'mm'");
        assertMentions(loadFails(m.toBuilder().setGraph(m.getGraph().toBuilder().clearOutput()).build()), "no outputs");
        assertMentions(loadFails(m.toBuilder().clearOpsetImport().build()), "m.onnx", "declares no opset");
        assertMentions(loadFails(m.toBuilder().clearOpsetImport().addOpsetImport(ai.onnx.proto.OnnxMl.OperatorSetIdProto.newBuilder()
                .setVersion(0)).build()), "opset 0");
        AttributeProto one = TestModels.attr("value_float", 1f), two = TestModels.ints("value_ints", 1);
        ModelProto constant = TestModels.model(13, List.of(node("c", "Constant", List.of(), List.of("k"), one, two),
                node("add", "Add", List.of("x", "k"), List.of("y"))), List.of(value("x", TensorProtos.FLOAT, 1)),
                List.of(value("y", TensorProtos.FLOAT, 1)), List.of());
        assertMentions(loadFails(constant), "node 'c'", "value_float and value_ints");
    }

    @Test
    void nanIsRefusedEverywhereAndInfinityWhereItCannotBeMeant() {
        float[] nan = W.clone();
        nan[4] = Float.NaN;
        assertMentions(loadFails(matmul(TestModels.floats("w", nan, 3, 2))), "initializer 'w'", "NaN", "index 4");
        float[] inf = W.clone();
        inf[1] = Float.NEGATIVE_INFINITY;
        assertMentions(loadFails(matmul(TestModels.floats("w", inf, 3, 2))), "initializer 'w'", "node 'mm'", "-Infinity");
        ModelProto leaky = TestModels.model(13, List.of(node("act", "LeakyRelu", List.of("x"), List.of("y"),
                TestModels.attr("alpha", Float.POSITIVE_INFINITY))), List.of(value("x", TensorProtos.FLOAT, 2)),
                List.of(value("y", TensorProtos.FLOAT, 2)), List.of());
        assertMentions(loadFails(leaky), "node 'act'", "'alpha'", "Infinity");
        // A −∞ mask added to the input and an infinite Clip bound are legitimate.
        ModelProto mask = TestModels.model(13, List.of(node("mask", "Add", List.of("x", "m"), List.of("h")),
                node("clip", "Clip", List.of("h", "lo"), List.of("y"))), List.of(value("x", TensorProtos.FLOAT, 2)),
                List.of(value("y", TensorProtos.FLOAT, 2)), List.of(TestModels.floats("m", new float[] {0, Float.NEGATIVE_INFINITY}, 2),
                        TestModels.floats("lo", new float[] {Float.NEGATIVE_INFINITY})));
        Path f = TestModels.write(mask, dir, "mask.onnx");
        Tensor y = new Executor(OnnxModel.load(f).graph()).forward(Map.of("x", Tensor.of(new float[] {1, 2}, 2))).get("y");
        assertEquals(Float.NEGATIVE_INFINITY, y.floats()[1]);
    }

    @Test
    void unboundedWorkFailsNamingTheNode() {
        GraphProto body = GraphProto.newBuilder().setName("body").addInput(value("i", TensorProtos.INT64))
                .addInput(value("c", TensorProtos.BOOL)).addInput(value("v", TensorProtos.FLOAT))
                .addNode(node("bc", "Identity", List.of("c"), List.of("c2"))).addNode(node("bv", "Identity", List.of("v"), List.of("v2")))
                .addOutput(value("c2", TensorProtos.BOOL)).addOutput(value("v2", TensorProtos.FLOAT)).build();
        NodeProto loop = node("loop", "Loop", List.of("", "go", "x"), List.of("y")).toBuilder().addAttribute(AttributeProto.newBuilder()
                .setName("body").setType(AttributeProto.AttributeType.GRAPH).setG(body)).build();
        ModelProto endless = TestModels.model(13, List.of(loop), List.of(value("x", TensorProtos.FLOAT)),
                List.of(value("y", TensorProtos.FLOAT)), List.of(TensorProto.newBuilder().setName("go").setDataType(TensorProtos.BOOL)
                        .addInt32Data(1).build()));
        var g = OnnxModel.load(TestModels.write(endless, dir, "loop.onnx")).graph();
        System.setProperty(Limits.LOOP_ITERATIONS, "1000");
        try {
            var e = assertThrows(ExecutionException.class, () -> new Executor(g).forward(Map.of("x", Tensor.scalar(1))));
            assertMentions(e.getMessage(), "node 'loop'", "1000 iterations");
        } finally {
            System.clearProperty(Limits.LOOP_ITERATIONS);
        }
        assertEquals(1_000_000, Limits.maxLoopIterations());

        ModelProto range = TestModels.model(13, List.of(node("r", "Range", List.of("s", "l", "d"), List.of("y"))),
                List.of(), List.of(value("y", TensorProtos.INT64, -1)), List.of(TestModels.longs("s", new long[] {0}),
                        TestModels.longs("l", new long[] {1L << 40}), TestModels.longs("d", new long[] {1})));
        var rg = OnnxModel.load(TestModels.write(range, dir, "range.onnx")).graph();
        var re = assertThrows(ExecutionException.class, () -> new Executor(rg).forward(Map.of()));
        assertMentions(re.getMessage(), "node 'r'", "1099511627776 elements");
    }

    @Test
    void topologicalSortIsLinearAndNestingIsBounded() {
        int n = 100_000;
        List<NodeProto> nodes = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            nodes.add(node("n" + i, "Identity", List.of(i == 0 ? "x" : "h" + (i - 1)), List.of(i == n - 1 ? "y" : "h" + i)));
        }
        ModelProto chain = TestModels.model(13, nodes, List.of(value("x", TensorProtos.FLOAT, 1)), List.of(value("y", TensorProtos.FLOAT, 1)),
                List.of());
        Path f = TestModels.write(chain, dir, "chain.onnx");
        var g = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> OnnxModel.load(f).graph());
        assertEquals("n0", g.nodes().getFirst().name());

        GraphProto leaf = GraphProto.newBuilder().setName("leaf").addNode(node("leaf", "Identity", List.of("x"), List.of("r")))
                .addOutput(value("r", TensorProtos.FLOAT, 1)).build();
        GraphProto branch = leaf;
        for (int d = 0; d < OnnxModel.MAX_SUBGRAPH_DEPTH + 1; d++) {
            NodeProto ifNode = node("if" + d, "If", List.of("go"), List.of("r")).toBuilder()
                    .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(branch))
                    .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeProto.AttributeType.GRAPH).setG(leaf))
                    .build();
            branch = GraphProto.newBuilder().setName("level" + d).addNode(ifNode).addOutput(value("r", TensorProtos.FLOAT, 1)).build();
        }
        ModelProto nested = TestModels.model(13, List.of(node("top", "Identity", List.of("x"), List.of("y"))), List.of(value("x",
                TensorProtos.FLOAT, 1)), List.of(value("y", TensorProtos.FLOAT, 1)), List.of());
        NodeProto deep = branch.getNode(0).toBuilder().setOutput(0, "y").setName("top").build();
        nested = nested.toBuilder().setGraph(nested.getGraph().toBuilder().setNode(0, deep).addInitializer(TensorProto.newBuilder()
                .setName("go").setDataType(TensorProtos.BOOL).addInt32Data(1))).build();
        assertMentions(loadFails(nested), "nested", "at most " + OnnxModel.MAX_SUBGRAPH_DEPTH);
    }

    @Test
    void malformedNodesAndBytesFailWithMessages() throws IOException {
        ModelProto oneInput = TestModels.model(13, List.of(node("bn", "BatchNormalization", List.of("x"), List.of("y"))),
                List.of(value("x", TensorProtos.FLOAT, 1, 2)), List.of(value("y", TensorProtos.FLOAT, 1, 2)), List.of());
        String m = loadFails(oneInput);
        assertMentions(m, "node 'bn'", "do not fit the op");
        assertTrue(!m.contains("out of bounds") && !m.contains("toIndex"), m);
        byte[] bytes = matmul(TestModels.floats("w", W, 3, 2)).toByteArray();
        Path cut = Files.write(dir.resolve("cut.onnx"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        String c = assertThrows(UnsupportedModelException.class, () -> OnnxModel.load(cut)).getMessage();
        assertMentions(c, "cut.onnx", "is not an ONNX model");
        assertTrue(!c.contains("CodedInputStream") && !c.contains("Exception"), c);
    }
}
