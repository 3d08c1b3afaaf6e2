package dev.jattr.attr;

import dev.jattr.testing.SharedData;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.ops.Cast;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * LayerIntegratedGradients on a middle layer of each zoo model (one image, zero baseline, the
 * predicted class, 50 Gauss–Legendre steps): completeness must hold within 1% of
 * |f(x) − f(baseline)|. The zoo's random-weight models barely depend on their input (for
 * mobilenet_v3_small and efficientnet_b0, f(x) − f(0) is about 1e-10 of outputs about 1e-3, below
 * float32 resolution), so the check runs the graph in float64: every floating constant and every
 * Cast to float32 is promoted.
 */
class ZooIntegratedGradientsTest {
    @TestFactory
    Stream<DynamicTest> convergenceDeltaIsBelowOnePercent() {
        Path zoo = SharedData.require("onnx-zoo");
        return Stream.of("squeezenet1_1", "shufflenet_v2_x0_5", "mobilenet_v3_small", "efficientnet_b0")
                .map(m -> DynamicTest.dynamicTest(m, () -> check(zoo, m)));
    }

    private static void check(Path zoo, String name) {
        Graph graph = inDoublePrecision(OnnxModel.load(zoo.resolve("models/" + name + ".onnx")).graph());
        String input = graph.inputs().getFirst().name(), output = graph.outputs().getFirst().name();
        // completeness holds at a layer every path from the input to the output crosses: take the
        // first such node from the middle of the graph on (inside a ShuffleNet unit, half the
        // channels bypass the convolutions)
        List<Node> nodes = graph.nodes();
        Node middle = nodes.subList(nodes.size() / 2, nodes.size()).stream()
                .filter(n -> separates(graph, input, output, n)).findFirst().orElseThrow();
        Tensor x = Tensors.rows(Npy.read(zoo.resolve("arrays/" + name + ".input.npy")), 0, 1).cast(DType.F64);
        Tensor base = Tensor.zeros(x.dtype(), x.shape());
        Executor ex = new Executor(graph);
        Tensor fx = ex.forward(Map.of(input, x)).get(output), fb = ex.forward(Map.of(input, base)).get(output);
        int target = 0;
        for (int i = 1; i < fx.size(); i++) {
            target = fx.getDouble(i) > fx.getDouble(target) ? i : target;
        }
        double gap = Math.abs(fx.getDouble(target) - fb.getDouble(target));
        long t0 = System.nanoTime();
        Attribution a = LayerIntegratedGradients.builder(graph).layer(middle.name()).nSteps(50).internalBatchSize(10)
                .returnConvergenceDelta(true).build()
                .attribute(AttributionInputs.builder().input(input, x).baseline(input, base).target(Target.index(target)).build());
        double delta = Math.abs(a.delta().orElseThrow().getDouble(0));
        System.out.printf("%s layer %s: |delta| %.3g, |f(x) - f(b)| %.3g, %.1f s%n", name, middle.name(), delta, gap,
                (System.nanoTime() - t0) / 1e9);
        assertTrue(delta < 0.01 * gap, () -> name + " at " + middle.name() + ": convergence delta " + delta + " is not below 1% of "
                + gap);
    }

    /** Whether every path from {@code input} to {@code output} goes through {@code node}'s outputs. */
    static boolean separates(Graph g, String input, String output, Node node) {
        java.util.Set<String> reached = new java.util.HashSet<>(List.of(input));
        for (Node n : g.nodes()) {
            if (n != node && n.inputs().stream().anyMatch(reached::contains)) {
                reached.addAll(n.outputs());
            }
        }
        return !reached.contains(output) && node.outputs().size() == 1 && g.nodes().indexOf(node) < g.nodes().size() - 1;
    }

    /** The same graph computing in float64. */
    static Graph inDoublePrecision(Graph g) {
        Map<String, Tensor> constants = new java.util.LinkedHashMap<>();
        g.constants().forEach((k, v) -> constants.put(k, v.dtype() == DType.F32 ? v.cast(DType.F64) : v));
        List<Node> nodes = g.nodes().stream().map(n -> n.op() instanceof Cast c && c.to() == DType.F32
                ? new Node(n.name(), new Cast(DType.F64, Cast.Narrowing.NONE), n.inputs(), n.outputs()) : n).toList();
        List<dev.jattr.graph.ValueInfo> inputs = g.inputs().stream().map(v -> new dev.jattr.graph.ValueInfo(v.name(),
                v.dtype() == DType.F32 ? DType.F64 : v.dtype(), v.dims(), v.dimNames())).toList();
        return new Graph(nodes, inputs, g.outputs(), constants);
    }
}
