package dev.jattr.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.ops.Binary;
import dev.jattr.graph.ops.BinaryKind;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** y = tanh(x·w) + x, and a side branch s = exp(x) the output does not use. */
class ExecutorTest {
    private static final Graph G = new Graph(List.of(
            new Node("/mul/Mul", new Binary(BinaryKind.MUL), List.of("x", "w"), List.of("xw")),
            new Node("/act/Tanh", Unary.of(UnaryKind.TANH), List.of("xw"), List.of("t")),
            new Node("/res/Add", new Binary(BinaryKind.ADD), List.of("t", "x"), List.of("y")),
            new Node("/side/Exp", Unary.of(UnaryKind.EXP), List.of("x"), List.of("s"))),
            List.of(new ValueInfo("x", DType.F64, new int[] {-1, 2}, List.of("batch", ""))),
            List.of(new ValueInfo("y", DType.F64, new int[] {-1, 2}, List.of("batch", ""))),
            Map.of("w", Tensor.of(new double[] {2, -0.5}, 2)));
    private static final Tensor X = Tensor.of(new double[] {0.1, 0.4, -0.3, 1.2}, 2, 2);

    @Test
    void runsOnlyTheNodesBetweenKnownValuesAndTargets() {
        Trace t = new Executor(G).run(Map.of("x", X), List.of("y"));
        assertEquals(List.of("/mul/Mul", "/act/Tanh", "/res/Add"), t.executed().stream().map(Node::name).toList());
        for (int i = 0; i < 4; i++) {
            double w = i % 2 == 0 ? 2 : -0.5;
            assertEquals(Math.tanh(X.getDouble(i) * w) + X.getDouble(i), t.value("y").getDouble(i), 1e-15);
        }
    }

    /** forward drops values after their last use: x is read again after xw is gone, t is an output read later too. */
    @Test
    void forwardKeepsValuesUntilTheirLastUseAndEveryOutput() {
        Graph g = new Graph(G.nodes(), G.inputs(), List.of(G.outputs().getFirst(),
                new ValueInfo("t", DType.F64, new int[] {-1, 2}, List.of("batch", ""))), G.constants());
        Map<String, Tensor> out = new Executor(g).forward(Map.of("x", X));
        assertEquals(List.of("y", "t"), List.copyOf(out.keySet()));
        for (int i = 0; i < 4; i++) {
            double w = i % 2 == 0 ? 2 : -0.5;
            double t = Math.tanh(X.getDouble(i) * w);
            assertEquals(t, out.get("t").getDouble(i), 1e-15);
            assertEquals(t + X.getDouble(i), out.get("y").getDouble(i), 1e-15);
        }
    }

    /**
     * A closed trace gives its computed values' buffers back: a second run of the same plan draws
     * every buffer from the arena and allocates none; the given input is left alone, and reading
     * the closed trace fails.
     */
    @Test
    void closingATraceGivesItsBuffersToTheNextRun() {
        Executor ex = new Executor(G);
        Tensor x = Tensor.of(new double[] {0.1, 0.4, -0.3, 1.2}, 2, 2);
        Trace first = ex.run(Map.of("x", x), List.of("y"));
        double y3 = first.value("y").getDouble(3);
        long created = ex.arena().created();
        assertTrue(created > 0, "the first run drew new buffers");
        first.close();
        first.close(); // twice does nothing
        assertEquals(0.1, x.getDouble(0), 0, "the given value is the caller's");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> first.value("y"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        long reused = ex.arena().reused();
        try (Trace second = ex.run(Map.of("x", x), List.of("y"))) {
            assertEquals(created, ex.arena().created(), "the second run allocated no buffer");
            assertTrue(ex.arena().reused() - reused >= 3, "it reused the first run's xw, t and y");
            assertEquals(y3, second.value("y").getDouble(3), 0);
        }
        // without closing, the kept values stay the caller's and the next run allocates anew
        Trace third = ex.run(Map.of("x", x), List.of("y"));
        long afterThird = ex.arena().created();
        ex.run(Map.of("x", x), List.of("y"));
        assertTrue(ex.arena().created() > afterThird, "an open trace's buffers are not reused");
        assertEquals(y3, third.value("y").getDouble(3), 0);
    }

    @Test
    void aKnownValueReplacesItsProducer() {
        Tensor t = Tensor.full(DType.F64, 0.5, 2, 2);
        Trace r = new Executor(G).run(Map.of("x", X, "t", t), List.of("y"));
        assertEquals(List.of("/res/Add"), r.executed().stream().map(Node::name).toList());
        assertEquals(0.5 + X.getDouble(3), r.value("y").getDouble(3), 0);
        assertFalse(r.has("xw"));
    }

    @Test
    void backwardMatchesTheAnalyticGradientAndAppliesRules() {
        Trace r = new Executor(G).run(Map.of("x", X), List.of("y", "s"));
        Tensor seed = Tensor.full(DType.F64, 1, 2, 2);
        Map<String, Tensor> g = r.backward(Map.of("y", seed), List.of("x", "t", "s"), BackwardRules.gradient());
        for (int i = 0; i < 4; i++) {
            double w = i % 2 == 0 ? 2 : -0.5, th = Math.tanh(X.getDouble(i) * w);
            assertEquals(w * (1 - th * th) + 1, g.get("x").getDouble(i), 1e-14);
            assertEquals(1, g.get("t").getDouble(i), 0);
            assertEquals(0, g.get("s").getDouble(i), 0, "the output does not depend on s");
        }
        // a rule set that doubles the gradient through the Tanh node only
        BackwardRules doubled = n -> n.name().equals("/act/Tanh")
                ? (node, in, out, go, wanted) -> node.op().backward(in, out, new Tensor[] {Tensors.scale(go[0], 2)}, wanted)
                : BackwardRule.GRADIENT;
        Tensor gx = r.backward(Map.of("y", seed), List.of("x"), doubled).get("x");
        for (int i = 0; i < 4; i++) {
            double w = i % 2 == 0 ? 2 : -0.5, th = Math.tanh(X.getDouble(i) * w);
            assertEquals(2 * w * (1 - th * th) + 1, gx.getDouble(i), 1e-14);
        }
    }

    @Test
    void errorsNameTheValueAndTheNode() {
        var missing = assertThrows(IllegalArgumentException.class, () -> new Executor(G).run(Map.of(), List.of("y")));
        assertEquals("graph input 'x' was not given (it is needed by node '/mul/Mul' (Mul))", missing.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> new Executor(G).run(Map.of("x", X), List.of("z")));
        assertEquals("the graph has no value named 'z'", unknown.getMessage());
        var shapes = assertThrows(ExecutionException.class,
                () -> new Executor(G).run(Map.of("x", Tensor.zeros(DType.F64, 2, 3)), List.of("y")));
        assertTrue(shapes.getMessage().startsWith("node '/mul/Mul' (Mul): shapes [2, 3] and [2] do not broadcast"), shapes.getMessage());
        var dangling = assertThrows(IllegalArgumentException.class, () -> new Graph(
                List.of(new Node("n", Unary.of(UnaryKind.RELU), List.of("nowhere"), List.of("o"))), List.of(), List.of(), Map.of()));
        assertTrue(dangling.getMessage().contains("reads value 'nowhere'"), dangling.getMessage());
        var twice = assertThrows(IllegalArgumentException.class, () -> new Graph(List.of(
                new Node("a", Unary.of(UnaryKind.RELU), List.of("x"), List.of("o")),
                new Node("b", Unary.of(UnaryKind.TANH), List.of("x"), List.of("o"))),
                G.inputs(), List.of(), Map.of()));
        assertTrue(twice.getMessage().contains("value 'o' is written by both"), twice.getMessage());
    }

    private static String modulePath(String nodeName) {
        return new Node(nodeName, Unary.of(UnaryKind.RELU), List.of("x"), List.of("o")).modulePath();
    }

    @Test
    void modulePathsComeFromExporterScopes() {
        assertEquals("block2.conv2", new Node("/block2/conv2/Conv", Unary.of(UnaryKind.RELU), List.of("x"), List.of("o")).modulePath());
        assertEquals("", new Node("/Flatten", Unary.of(UnaryKind.RELU), List.of("x"), List.of("o")).modulePath());
        assertEquals("", new Node("conv_12", Unary.of(UnaryKind.RELU), List.of("x"), List.of("o")).modulePath());
        // a scope that extends the previous one by ".child" names that child (torchvision exports)
        assertEquals("layer4.1.conv2", modulePath("/layer4/layer4.1/conv2/Conv"));
        assertEquals("features.1.conv.0.0", modulePath("/features/features.1/conv/conv.0/conv.0.0/Conv"));
        assertEquals("features.4.2", modulePath("/features/features.4/features.4.2/Add"));
        assertEquals("features.6.0.block.2", modulePath("/features/features.6/features.6.0/block/block.2/Mul"));
        // a child named like its parent is a new segment; a scope that merely shares a prefix is not an extension
        assertEquals("a.a.0", modulePath("/a/a/a.0/Relu"));
        assertEquals("layer.layer2", modulePath("/layer/layer2/Relu"));
        assertArrayEquals(new int[] {2, 3, 4}, Shapes.broadcast(new int[] {3, 1}, new int[] {2, 1, 4}));
    }
}
