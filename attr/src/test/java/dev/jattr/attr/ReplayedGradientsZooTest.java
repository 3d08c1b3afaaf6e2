package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.io.Npy;
import dev.jattr.kernels.Backends;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.testing.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * LayerIntegratedGradients whose chunks, forward and backward, are replayed from a recording of
 * their device work after the first calls (a CUDA graph on the GPU), on {@link ShadowBackend}:
 * over calls with new images and targets each attribution equals that of a method object's first,
 * op-by-op, call, and the later calls replay.
 */
class ReplayedGradientsZooTest {
    @ParameterizedTest
    @CsvSource({"efficientnet_b0,features.4,true", "mobilenet_v3_small,features.3,true",
        // SqueezeNet's MaxPool gradient finds the window winners again on the host, which a
        // recording cannot wait for: its chunks run op by op (and this row fails once they replay)
        "squeezenet1_1,features.7,false", "shufflenet_v2_x0_5,stage2.1,true"})
    void replayedChunksGiveTheAttributionsOfRunsOpByOp(String name, String layer, boolean replays) {
        Path zoo = SharedData.require("onnx-zoo");
        Graph g = OnnxModel.load(zoo.resolve("models/" + name + ".onnx")).graph();
        String input = g.inputs().getFirst().name();
        Tensor x = Tensors.rows(Npy.read(zoo.resolve("arrays/" + name + ".input.npy")).cast(DType.F32), 0, 1);
        ShadowBackend shadow = new ShadowBackend(Backends.cpu());
        LayerMethod lig = CurrentBackend.call(shadow,
                () -> LayerIntegratedGradients.builder(g).layer(layer).nSteps(20).build());
        for (int call = 0; call < 4; call++) {
            float scale = 1f + 0.3f * call, shift = 0.05f * call;
            Tensor image = x.map(v -> v * scale - shift);
            AttributionInputs in = AttributionInputs.builder().input(input, image).baseline(input, 0.0)
                    .target(Target.index(call % 3)).build();
            Tensor got = CurrentBackend.call(shadow, () -> lig.attribute(in)).single();
            ShadowBackend fresh = new ShadowBackend(Backends.cpu());
            Tensor expected = CurrentBackend.call(fresh, () -> LayerIntegratedGradients.builder(g).layer(layer).nSteps(20)
                    .build().attribute(in)).single();
            float scaleOf = 0;
            for (float v : expected.floats()) {
                scaleOf = Math.max(scaleOf, Math.abs(v));
            }
            assertArrayEquals(expected.floats(), got.floats(), 1e-5f * Math.max(scaleOf, 1e-6f), name + ", call " + call);
        }
        if (replays) {
            assertTrue(shadow.replays >= 2, name + ": calls 2 and 3 replayed the recorded chunk: " + shadow.replays);
        } else {
            assertEquals(0, shadow.replays, name + ": its chunks run op by op");
        }
    }
}
