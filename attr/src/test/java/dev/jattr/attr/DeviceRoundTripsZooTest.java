package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.io.Npy;
import dev.jattr.kernels.Backends;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.testing.SharedData;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How often a run waits for the device to bring values back, on {@link ShadowBackend} (the CUDA
 * backend's protocol on the CPU): a forward of a zoo model brings back its output and nothing
 * else, and LayerIntegratedGradients with n_steps 50 brings back only the layer's values and the
 * attribution, however many ops and chunks it runs. Every other op, forward and backward, keeps
 * its values on the device, so the GPU runs a whole pass without a round trip per op.
 */
class DeviceRoundTripsZooTest {
    @ParameterizedTest
    @CsvSource({"efficientnet_b0,features.4", "mobilenet_v3_small,features.3", "squeezenet1_1,features.7",
        "shufflenet_v2_x0_5,stage2.1"})
    void aForwardBringsBackItsOutputAndAnAttributionItsResults(String name, String layer) {
        Path zoo = SharedData.require("onnx-zoo");
        Graph g = OnnxModel.load(zoo.resolve("models/" + name + ".onnx")).graph();
        String input = g.inputs().getFirst().name();
        Tensor x = Tensors.rows(Npy.read(zoo.resolve("arrays/" + name + ".input.npy")).cast(DType.F32), 0, 2);
        ShadowBackend shadow = new ShadowBackend(Backends.cpu());
        Executor ex = new Executor(g, shadow);
        ex.forward(Map.of(input, x));
        long before = shadow.syncs, calls = shadow.deviceCalls;
        ex.forward(Map.of(input, x));
        assertEquals(g.outputs().size(), shadow.syncs - before, name + ": values brought back by one forward");
        assertTrue(shadow.deviceCalls - calls > 40, name + ": kernels ran on the device: " + (shadow.deviceCalls - calls));

        var in = AttributionInputs.builder().input(input, Tensors.rows(x, 0, 1)).baseline(input, 0.0)
                .target(Target.index(3)).build();
        var lig = CurrentBackend.call(shadow, () -> LayerIntegratedGradients.builder(g).layer(layer).nSteps(50).build());
        CurrentBackend.call(shadow, () -> lig.attribute(in));
        before = shadow.syncs;
        CurrentBackend.call(shadow, () -> lig.attribute(in));
        long trips = shadow.syncs - before;
        // the layer's values at the input and the baseline, the gradients' sum, the attribution and
        // its convergence delta: at most 6 arrays, where a round trip per backward op gave 16 to 58
        assertTrue(trips <= 6, name + ": LayerIntegratedGradients brought back " + trips + " arrays");
    }
}
