package dev.jattr.onnx;

import static dev.jattr.onnx.TestModels.node;
import static dev.jattr.onnx.TestModels.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Control-flow bodies that read values two scopes out: an If inside a Loop body reading a model input. */
class ControlFlowImportTest {
    private static final int FLOAT = 1, INT64 = 7, BOOL = 9;

    private static AttributeProto graph(String name, GraphProto g) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.GRAPH).setG(g).build();
    }

    @Test
    void nestedBodiesCaptureOuterValues() {
        GraphProto then = GraphProto.newBuilder().setName("then")
                .addNode(node("add", "Add", List.of("y_in", "step"), List.of("then_y")))
                .addOutput(value("then_y", FLOAT, 1)).build();
        GraphProto otherwise = GraphProto.newBuilder().setName("else")
                .addNode(node("sub", "Sub", List.of("y_in", "step"), List.of("else_y")))
                .addOutput(value("else_y", FLOAT, 1)).build();
        GraphProto body = GraphProto.newBuilder().setName("body")
                .addInput(value("i", INT64)).addInput(value("cond_in", BOOL)).addInput(value("y_in", FLOAT, 1))
                .addNode(node("keep", "Identity", List.of("cond_in"), List.of("cond_out")))
                .addNode(node("if", "If", List.of("cond_in"), List.of("y_out"), graph("then_branch", then),
                        graph("else_branch", otherwise)))
                .addNode(node("trace", "Identity", List.of("y_out"), List.of("scan_out")))
                .addOutput(value("cond_out", BOOL)).addOutput(value("y_out", FLOAT, 1)).addOutput(value("scan_out", FLOAT, 1))
                .build();
        var model = TestModels.model(13,
                List.of(node("loop", "Loop", List.of("trips", "", "y0"), List.of("y", "ys"), graph("body", body))),
                List.of(value("trips", INT64), value("y0", FLOAT, 1), value("step", FLOAT, 1)),
                List.of(value("y", FLOAT, 1), value("ys", FLOAT, 3, 1)), List.of());
        Graph g = OnnxModel.importGraph(model.getGraph(), 13, Path.of("."), OpRegistry.standard());
        Map<String, Tensor> out = new Executor(g).forward(Map.of("trips", Tensor.of(new long[] {3}),
                "y0", Tensor.of(new float[] {1}, 1), "step", Tensor.of(new float[] {2}, 1)));
        assertArrayEquals(new float[] {7}, out.get("y").floats());
        assertArrayEquals(new int[] {3, 1}, out.get("ys").shape());
        assertArrayEquals(new float[] {3, 5, 7}, out.get("ys").floats());
    }
}
