package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jattr.graph.Arena;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.testing.SharedData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Pooling buffers changes no bit: on every zoo model the forward, LayerIntegratedGradients and
 * LayerConductance give exactly the values they give with the arena off ({@link Arena#disabledDuring}),
 * over repeated runs and several chunks, where a buffer released too early would show.
 *
 * <p>The kernels' own results are not reproducible to the bit while the JIT compiles them (a
 * Vector API reduction sums lanes in another order once intrinsified), so each comparison runs
 * warm, in a JVM with one processor (see the module's pom), and is made only between an arena-off
 * result and the arena-off result after it agreeing (up to three tries).
 */
class ArenaZooTest {
    static final List<String> MODELS = List.of("squeezenet1_1", "shufflenet_v2_x0_5", "mobilenet_v3_small", "efficientnet_b0");

    @TestFactory
    Stream<DynamicTest> forwardIsBitIdenticalWithTheArena() {
        Path zoo = SharedData.require("onnx-zoo");
        return MODELS.stream().map(m -> DynamicTest.dynamicTest(m, () -> {
            Graph g = OnnxModel.load(zoo.resolve("models/" + m + ".onnx")).graph();
            Map<String, Tensor> feeds = Map.of(g.inputs().getFirst().name(), Npy.read(zoo.resolve("arrays/" + m + ".input.npy")));
            Executor pooled = new Executor(g), fresh = new Executor(g);
            Supplier<double[]> on = () -> flat(pooled.forward(feeds));
            Supplier<double[]> off = () -> Arena.disabledDuring(() -> flat(fresh.forward(feeds)));
            assertBitIdentical(off, on, m);
            assertTrue(pooled.arena().reused() > 0, m + ": the arena served nothing");
        }));
    }

    @TestFactory
    Stream<DynamicTest> layerAttributionsAreBitIdenticalWithTheArena() {
        Path zoo = SharedData.require("onnx-zoo");
        return MODELS.stream().map(m -> DynamicTest.dynamicTest(m, () -> {
            Graph g = OnnxModel.load(zoo.resolve("models/" + m + ".onnx")).graph();
            String input = g.inputs().getFirst().name();
            Tensor x = Tensors.rows(Npy.read(zoo.resolve("arrays/" + m + ".input.npy")), 0, 1);
            List<Node> nodes = g.nodes();
            Node layer = nodes.subList(nodes.size() / 2, nodes.size()).stream().filter(n -> n.op().type().equals("Conv"))
                    .findFirst().orElseThrow();
            AttributionInputs in = AttributionInputs.builder().input(input, x).target(Target.index(3)).build();
            Supplier<Attribution> lig = () -> LayerIntegratedGradients.builder(g).layer(layer.name()).nSteps(6)
                    .internalBatchSize(2).build().attribute(in);
            Supplier<Attribution> cond = () -> LayerConductance.builder(g).layer(layer.name()).nSteps(5)
                    .internalBatchSize(2).build().attribute(in);
            for (Supplier<Attribution> method : List.of(lig, cond)) {
                assertBitIdentical(() -> Arena.disabledDuring(method).single().toDoubles(), () -> method.get().single().toDoubles(),
                        m + " at " + layer.name());
            }
        }));
    }

    /** Warms both up, then compares {@code on} with an {@code off} result that the next {@code off} result reproduces. */
    private static void assertBitIdentical(Supplier<double[]> off, Supplier<double[]> on, String what) {
        for (int i = 0; i < 3; i++) {
            off.get();
            on.get();
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            double[] before = off.get(), pooled = on.get(), after = off.get();
            if (Arrays.equals(before, after)) {
                assertArrayEquals(before, pooled, 0, what + ": differs with the arena");
                return;
            }
        }
        fail(what + ": the arena-off runs do not reproduce each other, nothing to compare with");
    }

    private static double[] flat(Map<String, Tensor> outputs) {
        return outputs.values().stream().flatMapToDouble(t -> Arrays.stream(t.toDoubles())).toArray();
    }
}
