package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.MethodArguments;
import dev.jattr.attr.MethodRegistry;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.onnx.OnnxModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory an attribution surely needs is known before it runs, and a run that cannot fit is refused with what to lower. */
class MemoryEstimateTest {
    @TempDir
    Path dir;

    private MemoryEstimate budget(MethodRegistry method, Map<String, String> args) throws IOException {
        return budget(method, args, 2);
    }

    private MemoryEstimate budget(MethodRegistry method, Map<String, String> args, int examples) throws IOException {
        Graph g = OnnxModel.load(TinyModel.write(TinyModel.builder().build(), dir, "model.onnx")).graph();
        MethodArguments a = MethodArguments.fromText(List.of(TinyModel.ACT), false, null, args, Map.of());
        AttributionInputs in = AttributionInputs.builder().input("x", Tensor.of(new float[4 * examples], examples, 4)).build();
        return MemoryEstimate.of(method, a, g, in, List.of("/act/Relu_output_0"));
    }

    @Test
    void stepsTimesExamplesTimesLayerValuesAreCountedBeforeRunning() throws IOException {
        MemoryEstimate b = budget(MethodRegistry.LAYER_INTEGRATED_GRADIENTS, Map.of("n_steps", "1000"));
        assertEquals(3, b.layerSize());
        // without internal_batch_size the steps are chunked by the memory budget, from one step up
        assertEquals(1 * 2 * 3 * 8 + 1000 * 16, b.bytes());
        var e = assertThrows(IllegalArgumentException.class, () -> b.require(10_000));
        assertTrue(e.getMessage().startsWith("LayerIntegratedGradients needs at least 0.0 GiB for 1000 steps × 2 examples (1 steps at once)")
                && e.getMessage().contains("lower --internal-batch-size or --n-steps"), e.getMessage());
        assertEquals(500 * 2 * 3 * 8 + 1000 * 16,
                budget(MethodRegistry.LAYER_INTEGRATED_GRADIENTS, Map.of("n_steps", "1000", "internal_batch_size", "1000")).bytes());
        budget(MethodRegistry.LAYER_INTEGRATED_GRADIENTS, Map.of("n_steps", "1000", "internal_batch_size", "2")).require(100_000);
    }

    @Test
    void stepsThatOverflowAnArrayAreRefusedWhateverTheMemory() throws IOException {
        var cap = assertThrows(IllegalArgumentException.class, () -> budget(MethodRegistry.LAYER_CONDUCTANCE, Map.of("n_steps", "2147483647")));
        assertTrue(cap.getMessage().contains("n_steps") && cap.getMessage().contains("from 1 to 1000000"), cap.getMessage());
        MemoryEstimate b = budget(MethodRegistry.LAYER_CONDUCTANCE, Map.of("n_steps", "1000000", "internal_batch_size", "2000000000"), 100_000);
        assertEquals(1_000_001L, b.points());
        assertEquals(20_000L, b.atOnce());
        var e = assertThrows(IllegalArgumentException.class, () -> b.require(Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("more than a Java array holds"), e.getMessage());
        var shap = assertThrows(IllegalArgumentException.class,
                () -> budget(MethodRegistry.LAYER_GRADIENT_SHAP, Map.of("n_samples", "1000000"), 100_000).require(1L << 32));
        assertTrue(shap.getMessage().contains("lower --n-samples"), shap.getMessage());
    }
}
