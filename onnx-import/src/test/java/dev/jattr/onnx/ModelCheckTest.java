package dev.jattr.onnx;

import static dev.jattr.onnx.TestModels.attr;
import static dev.jattr.onnx.TestModels.floats;
import static dev.jattr.onnx.TestModels.longs;
import static dev.jattr.onnx.TestModels.node;
import static dev.jattr.onnx.TestModels.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckTest {
    @TempDir
    Path dir;

    private static final int F = TensorProtos.FLOAT, I64 = TensorProtos.INT64;

    @Test
    void reportsShapesHistogramAndANonDifferentiableOpOnThePath() {
        var m = TestModels.model(13, List.of(
                        node("mm", "MatMul", List.of("x", "w"), List.of("h")),
                        node("act", "Relu", List.of("h"), List.of("r")),
                        node("hard", "Hardmax", List.of("r"), List.of("onehot")),
                        node("gate", "Mul", List.of("onehot", "r"), List.of("y")),
                        node("side", "Hardmax", List.of("x"), List.of("aux"))),
                List.of(value("x", F, -1, 3)), List.of(value("y", F, -1, 2), value("aux", F, -1, 3)),
                List.of(floats("w", new float[6], 3, 2)));
        ModelCheck c = ModelCheck.of(TestModels.write(m, dir, "m.onnx"));
        assertEquals(13, c.opset());
        assertEquals("jattr-test 1", c.producer());
        assertEquals(List.of("x"), c.inputs().stream().map(v -> v.name()).toList());
        assertEquals("[batch, 3]", c.inputs().getFirst().shapeText());
        assertEquals(Map.of("MatMul", 1, "Relu", 1, "Hardmax", 2, "Mul", 1), c.opHistogram());
        assertTrue(c.unsupported().isEmpty());
        assertTrue(c.typedPath());
        // The side Hardmax feeds only the second output: not on the path to 'y'.
        assertEquals(List.of("node 'hard' (Hardmax)"), c.pathBlockers());
        assertFalse(c.differentiable());
        String text = c.render();
        assertTrue(text.contains("x  F32 [batch, 3]"), text);
        assertTrue(text.contains("Hardmax") && text.contains("node 'hard' (Hardmax)"), text);
        assertFalse(text.contains("node 'side'"), text);
    }

    @Test
    void listsEveryUnsupportedNodeWithoutStoppingAtTheFirst() {
        var m = TestModels.model(13, List.of(
                        node("a", "FancyOp", List.of("x"), List.of("p")),
                        node("b", "Relu", List.of("p"), List.of("q")),
                        node("c", "MaxPool", List.of("q"), List.of("r"), TestModels.ints("strides", 2, 2)),
                        node("d", "OtherOp", List.of("r"), List.of("y"))),
                List.of(value("x", F, 1, 1, 4, 4)), List.of(value("y", F, 1, 1, 2, 2)), List.of());
        ModelCheck c = ModelCheck.of(TestModels.write(m, dir, "u.onnx"));
        assertEquals(List.of("a", "c", "d"), c.unsupported().stream().map(ModelCheck.Unsupported::node).toList());
        assertTrue(c.unsupported().get(1).reason().contains("kernel_shape"), c.unsupported().get(1).reason());
        assertFalse(c.typedPath());
        assertEquals(List.of("node 'a' (FancyOp), not supported", "node 'c' (MaxPool), not supported",
                "node 'd' (OtherOp), not supported"), c.pathBlockers());
        assertTrue(c.render().contains("node 'd' (OtherOp): op OtherOp (opset 13) is not supported"), c.render());
    }

    @Test
    void integerSidePathsDoNotBlockTheGradient() {
        // k (int64) → BitShift → ReduceSum's axes: BitShift has no gradient but carries no floating value.
        var m = TestModels.model(13, List.of(
                        node("shift", "BitShift", List.of("k", "one"), List.of("axes"), attr("direction", "LEFT")),
                        node("sum", "ReduceSum", List.of("x", "axes"), List.of("s")),
                        node("act", "Tanh", List.of("s"), List.of("y"))),
                List.of(value("x", F, 2, 3), value("k", I64, 1)), List.of(value("y", F, 1, 3)),
                List.of(longs("one", new long[] {1}, 1)));
        ModelCheck c = ModelCheck.of(TestModels.write(m, dir, "i.onnx"));
        assertTrue(c.typedPath());
        assertEquals(List.of(), c.pathBlockers());
        assertTrue(c.differentiable());
        assertTrue(c.render().contains("differentiable path to 'y': yes"), c.render());
    }
}
