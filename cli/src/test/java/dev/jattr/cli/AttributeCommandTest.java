package dev.jattr.cli;

import dev.jattr.testing.SharedData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.attr.Attribution;
import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.LayerIntegratedGradients;
import dev.jattr.attr.Target;
import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jattr attribute} run in-process on the bundled demo model. */
class AttributeCommandTest {
    @TempDir
    Path dir;
    DemoModel demo;
    Path out;

    @BeforeEach
    void extract() {
        demo = DemoModel.extract(dir);
        out = dir.resolve("attr.npy");
    }

    private CliRun attribute(String... extra) {
        String[] base = {"attribute", "--model", demo.model().toString(), "--input", "image=" + demo.input(),
                "--out", out.toString()};
        return CliRun.of(Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new));
    }

    @Test
    void writesTheSameAttributionAsTheJavaApi() {
        CliRun r = attribute("--method", "LayerIntegratedGradients", "--layer", "conv2", "--target", "3,5",
                "--baseline", "image=0.25", "--n-steps", "20", "--integration", "riemann_middle", "--delta");
        assertEquals(0, r.code(), r.err());

        Graph g = OnnxModel.load(demo.model()).graph();
        Attribution api = LayerIntegratedGradients.builder(g).layer("conv2").nSteps(20)
                .method(dev.jattr.attr.IntegrationMethod.RIEMANN_MIDDLE).returnConvergenceDelta(true).build()
                .attribute(AttributionInputs.builder().input("image", Npy.read(demo.input())).baseline("image", 0.25)
                        .target(Target.perExample(3, 5)).build());
        Tensor written = Npy.read(out);
        assertEquals(DType.F32, written.dtype());
        assertArrayEquals(api.single().shape(), written.shape());
        assertArrayEquals(api.single().cast(DType.F32).floats(), written.floats());
        Tensor delta = Npy.read(dir.resolve("attr.delta.npy"));
        assertArrayEquals(api.delta().orElseThrow().cast(DType.F32).floats(), delta.floats());
        assertEquals(1, r.out().lines().count(), r.out());
        assertTrue(r.out().contains("shape [2, 4, 2, 2]") && r.out().contains("delta ["), r.out());
    }

    @Test
    void deltaIsTheCompletenessGapOfTheWrittenAttribution() {
        CliRun r = attribute("--method", "LayerIntegratedGradients", "--layer", "conv2", "--target", "3", "--delta");
        assertEquals(0, r.code(), r.err());
        Graph g = OnnxModel.load(demo.model()).graph();
        Tensor x = Npy.read(demo.input()).cast(DType.F32);
        Tensor fx = new Executor(g).forward(Map.of("image", x)).get("output");
        Tensor fb = new Executor(g).forward(Map.of("image", Tensor.zeros(DType.F32, x.shape()))).get("output");
        double[] sums = Tensors.sumPerRow(Npy.read(out));
        Tensor delta = Npy.read(dir.resolve("attr.delta.npy"));
        for (int e = 0; e < 2; e++) {
            double gap = sums[e] - (fx.getDouble(e * 10 + 3) - fb.getDouble(e * 10 + 3));
            assertEquals(gap, delta.getDouble(e), 1e-6);
        }
    }

    @Test
    void matchesCaptumsReference() {
        Path ref = SharedData.require("captum-reference/arrays");
        CliRun r = attribute("--method", "LayerIntegratedGradients", "--layer", "conv2", "--target", "3,7",
                "--baseline", "image=" + ref.resolve("convnet.baseline.image.npy"), "--delta");
        assertEquals(0, r.code(), r.err());
        Tensor expected = Npy.read(ref.resolve("convnet.conv2.LayerIntegratedGradients.gausslegendre.attr.npy"));
        Tensor actual = Npy.read(out);
        double tol = 2e-3 * expected.maxAbs() + 1e-6;
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.getDouble(i), actual.getDouble(i), tol, "element " + i);
        }
    }

    @Test
    void severalLayersGoToNumberedFiles() {
        CliRun r = attribute("--method", "LayerActivation", "--layer", "conv1", "--layer", "conv2");
        assertEquals(0, r.code(), r.err());
        Graph g = OnnxModel.load(demo.model()).graph();
        Tensor x = Npy.read(demo.input()).cast(DType.F32);
        var trace = new Executor(g).run(Map.of("image", x), java.util.List.of("/conv1/Conv_output_0", "/conv2/Conv_output_0"));
        assertArrayEquals(trace.value("/conv1/Conv_output_0").floats(), Npy.read(out).floats());
        assertArrayEquals(trace.value("/conv2/Conv_output_0").floats(), Npy.read(dir.resolve("attr.1.npy")).floats());
        assertEquals(2, r.out().lines().count(), r.out());
    }

    @Test
    void unknownLayerIsOneLineListingCandidates() throws IOException {
        CliRun r = attribute("--method", "LayerIntegratedGradients", "--layer", "conv9");
        assertUserError(r, "jattr: no layer named 'conv9'");
        assertTrue(r.err().contains("conv2"), r.err());
    }

    @Test
    void missingInputFileIsOneLine() throws IOException {
        CliRun r = CliRun.of("attribute", "--model", demo.model().toString(), "--input", "image=" + dir.resolve("nope.npy"),
                "--method", "LayerActivation", "--layer", "conv2", "--out", out.toString());
        assertUserError(r, "jattr: input 'image': file not found");
    }

    @Test
    void nanInputIsOneLine() throws IOException {
        Tensor x = Npy.read(demo.input());
        x.setDouble(7, Double.NaN);
        Path bad = dir.resolve("nan.npy");
        Npy.write(bad, x);
        CliRun r = CliRun.of("attribute", "--model", demo.model().toString(), "--input", "image=" + bad,
                "--method", "LayerIntegratedGradients", "--layer", "conv2", "--out", out.toString());
        assertUserError(r, "jattr: input 'image'");
        assertTrue(r.err().contains("NaN") && r.err().contains("flat index 7"), r.err());
    }

    @Test
    void argumentTheMethodDoesNotTakeIsAnError() throws IOException {
        assertUserError(attribute("--method", "LayerActivation", "--layer", "conv2", "--n-steps", "5"),
                "jattr: --n-steps (n_steps) is not an argument of LayerActivation");
        assertUserError(attribute("--method", "LayerIntegratedGradients", "--layer", "conv2", "--arg", "n_steps=many"),
                "jattr: --arg n_steps: \"many\" is not a whole number");
        assertUserError(attribute("--method", "LayerIntegratedGradients", "--layer", "conv2", "--target", "3", "--delta",
                "--arg", "return_convergence_delta=false"), "jattr: argument return_convergence_delta is given twice");
    }

    @Test
    void badTargetAndUnknownMethodAreOneLine() throws IOException {
        assertUserError(attribute("--method", "LayerGradientXActivation", "--layer", "conv2", "--target", "12"),
                "jattr: target 12 is out of range");
        assertUserError(attribute("--method", "Saliency", "--layer", "conv2"), "jattr: unknown method 'Saliency'");
        assertUserError(attribute("--layer", "conv2"), "jattr: Missing required option");
        assertUserError(attribute("--method", "LayerActivation", "--layer", "conv2", "--out", dir.resolve("attr2.npy").toString()),
                "jattr: --out is given 2 times for 1 attribution tensor; give it once");
    }

    @Test
    void aRepeatedBaselineAndAnOutputOverTheInputAreOneLine() throws IOException {
        assertUserError(attribute("--method", "LayerIntegratedGradients", "--layer", "conv2", "--baseline", "image=0", "--baseline", "image=1"),
                "jattr: --baseline gives the baseline of 'image' twice ('0' and '1')");
        CliRun r = CliRun.of("attribute", "--model", demo.model().toString(), "--input", "image=" + demo.input(),
                "--method", "LayerActivation", "--layer", "conv2", "--out", dir.resolve(".").resolve(demo.input().getFileName()).toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("is the same file as --input image="), r.err());
    }

    @Test
    void sizesThatCannotFitAreRefusedBeforeAllocating() throws IOException {
        assertUserError(attribute("--method", "LayerIntegratedGradients", "--layer", "conv1", "--n-steps", "1000000",
                "--internal-batch-size", "2000000000", "--target", "3"), "jattr: a tensor of shape [2000000, 2, 8, 8] would hold");
        assertUserError(attribute("--method", "LayerIntegratedGradients", "--layer", "conv2", "--n-steps", "2000000000",
                "--target", "3"), "jattr: --n-steps (n_steps): 2000000000 is not a whole number from 1 to 1000000");
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun r = attribute("--method", "LayerActivation", "--layer", "conv9", "--verbose");
        assertEquals(2, r.code());
        assertTrue(r.errLines().length > 1 && r.err().contains("at dev.jattr.attr.Layer.resolve"), r.err());
    }

    /** Exit code 2, one line on standard error starting with {@code prefix}, nothing on standard output, no file written. */
    private void assertUserError(CliRun r, String prefix) throws IOException {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().startsWith(prefix), r.err());
        assertEquals("", r.out());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(java.util.List.of(), files.filter(p -> p.getFileName().toString().startsWith("attr")).toList());
        }
    }
}
