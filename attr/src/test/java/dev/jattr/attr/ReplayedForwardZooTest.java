package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forward passes replayed from a recording of their device work (a CUDA graph on the GPU), on
 * {@link ShadowBackend}, whose recordings, like CUDA's, run nothing until replayed and then run the
 * recorded kernel calls on the recorded device memory: each zoo model's outputs over runs with
 * different inputs equal those of a run op by op (within rounding, as the CPU's do), and
 * after the recording no kernel call goes through the host's op-by-op path again.
 */
class ReplayedForwardZooTest {
    @ParameterizedTest
    @ValueSource(strings = {"efficientnet_b0", "mobilenet_v3_small", "squeezenet1_1", "shufflenet_v2_x0_5"})
    void replayedForwardsEqualTheCpusOnNewInputs(String name) {
        Path zoo = SharedData.require("onnx-zoo");
        Graph g = OnnxModel.load(zoo.resolve("models/" + name + ".onnx")).graph();
        String input = g.inputs().getFirst().name();
        String output = g.outputs().getFirst().name();
        Tensor x = Npy.read(zoo.resolve("arrays/" + name + ".input.npy")).cast(DType.F32);
        ShadowBackend shadow = new ShadowBackend(Backends.cpu());
        Executor onShadow = new Executor(g, shadow), onCpu = new Executor(g, Backends.cpu());
        long callsBeforeReplays = -1;
        for (int run = 0; run < 4; run++) {
            // a different batch of two images each run: shifted and scaled copies of the case's input
            float scale = 1f + 0.25f * run;
            Tensor batch = Tensors.repeat0(Tensors.rows(x, 0, 1), 2).map(v -> v * scale + 0.1 * (scale - 1));
            // op by op, as every executor's first run of a plan goes
            Tensor expected = new Executor(g, new ShadowBackend(Backends.cpu())).forward(Map.of(input, batch)).get(output);
            assertArrayEquals(onCpu.forward(Map.of(input, batch)).get(output).floats(), expected.floats(), 1e-5f);
            Tensor got = onShadow.forward(Map.of(input, batch)).get(output);
            // (within a few units in the last place: two executors need not pick the same CPU kernel paths)
            assertArrayEquals(expected.floats(), got.floats(), 1e-6f, name + ", run " + run);
            if (run == 1) {
                callsBeforeReplays = shadow.deviceCalls;
            }
        }
        assertEquals(3, shadow.replays, "run 1 recorded and replayed, runs 2 and 3 replayed");
        assertEquals(callsBeforeReplays, shadow.deviceCalls, "replays issue no kernel call op by op");
        assertTrue(callsBeforeReplays > 40, "the model's kernels ran on the device: " + callsBeforeReplays);
    }
}
