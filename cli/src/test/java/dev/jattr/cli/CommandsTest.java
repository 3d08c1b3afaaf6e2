package dev.jattr.cli;

import dev.jattr.testing.SharedData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layers, demo, parity, version and help commands, run in-process. */
class CommandsTest {
    @TempDir
    Path dir;

    @Test
    void layersListsNodesWithModulePathsAndShapes() {
        DemoModel demo = DemoModel.extract(dir);
        CliRun r = CliRun.of("layers", demo.model().toString());
        assertEquals(0, r.code(), r.err());
        Graph g = OnnxModel.load(demo.model()).graph();
        Tensor x = Tensor.zeros(DType.F32, 1, 1, 10, 10);
        int[] conv2 = new Executor(g).run(Map.of("image", x), List.of("/conv2/Conv_output_0")).value("/conv2/Conv_output_0").shape();
        String shape = "[batch, " + String.join(", ", Arrays.stream(conv2).skip(1).mapToObj(String::valueOf).toList()) + "]";
        String row = r.out().lines().filter(l -> l.contains("/conv2/Conv ")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        assertTrue(row.matches("\\s*3\\s+/conv2/Conv\\s+Conv\\s+conv2\\s+/conv2/Conv_output_0 " + Pattern.quote(shape)), row);
        assertTrue(r.out().contains("image float32 [batch, 1, 10, 10]"), r.out());
        assertEquals(g.nodes().size(), r.out().lines().filter(l -> l.matches("\\s+\\d+\\s+/.*")).count(), r.out());
    }

    @Test
    void checkReportsAModelReadyToAttribute() {
        DemoModel demo = DemoModel.extract(dir);
        CliRun r = CliRun.of("check", demo.model().toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("Conv") && r.out().matches("(?s).*opset\\s+13\\n.*") && r.out().contains("unsupported  none"), r.out());
    }

    @Test
    void unsupportedOpAndBrokenModelAreOneLine() throws IOException {
        var tensor = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())).build();
        var model = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13))
                .setGraph(OnnxMl.GraphProto.newBuilder().setName("g")
                        .addNode(OnnxMl.NodeProto.newBuilder().setName("weird").setOpType("NoSuchOp").addInput("x").addOutput("y"))
                        .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x").setType(tensor))
                        .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y").setType(tensor)))
                .build();
        Path file = dir.resolve("weird.onnx");
        Files.write(file, model.toByteArray());
        CliRun r = CliRun.of("layers", file.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().startsWith("jattr: node 'weird': op NoSuchOp (opset 13) is not supported"), r.err());

        CliRun check = CliRun.of("check", file.toString());
        assertEquals(1, check.code(), check.err());
        assertTrue(check.out().contains("weird") && check.out().contains("NoSuchOp"), check.out());

        Path junk = dir.resolve("junk.onnx");
        Files.write(junk, new byte[] {(byte) 0xff, 0x13, 0x37, 0x00, 0x42});
        assertEquals(2, CliRun.of("check", junk.toString()).code());
        CliRun j = CliRun.of("layers", junk.toString());
        assertEquals(2, j.code(), j.err());
        assertEquals(1, j.errLines().length, j.err());
        assertTrue(j.err().contains("not an ONNX model"), j.err());
    }

    @Test
    void demoWritesHeatmapsAGridAndAnIndexAllOrNone() throws IOException {
        Path out = dir.resolve("demo");
        CliRun r = CliRun.of("demo", "--n-steps", "16", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("open " + out.toAbsolutePath().resolve("index.html").toUri()), r.out());
        List<String> methods = List.of("LayerGradCam", "LayerIntegratedGradients", "LayerDeepLift", "LayerLRP", "LayerFeatureAblation");
        String html = Files.readString(out.resolve("index.html"));
        for (String m : methods) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(m + " ")), r.out());
            assertTrue(html.contains("<td>" + m + "</td>"), m);
            for (int e = 0; e < 12; e++) {
                String name = DemoPage.heatmapName(m, e);
                assertTrue(html.contains("src=\"" + name + "\""), name);
                BufferedImage h = ImageIO.read(out.resolve(name).toFile());
                assertEquals(28, h.getWidth(), name);
                assertEquals(28, h.getHeight(), name);
                assertTrue(ImageAttributeTest.variance(h) > 10, name + " is blank");
            }
        }
        BufferedImage grid = ImageIO.read(out.resolve("grid.png").toFile());
        int cell = 28 * DemoPage.SCALE + DemoPage.GAP;
        assertEquals(6 * cell + DemoPage.GAP, grid.getWidth());
        assertEquals(12 * cell + DemoPage.GAP, grid.getHeight());
        assertTrue(ImageAttributeTest.variance(grid) > 10, "the grid is blank");
        assertEquals(5 * 12 + 2, Files.list(out).count());
        assertTrue(html.contains("src=\"grid.png\""), html);
        if (Files.getFileStore(out).supportsFileAttributeView("posix")) {
            assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        }

        assertEquals(0, CliRun.of("demo", "--n-steps", "4", "--out", out.toString()).code(), "an earlier demo folder is replaced");
        try (var left = Files.list(dir)) {
            assertEquals(List.of(out), left.toList(), "no temporary folder is left");
        }
        Path mine = Files.createDirectory(dir.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "keep");
        CliRun refused = CliRun.of("demo", "--n-steps", "4", "--out", mine.toString());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("not an earlier demo folder"), refused.err());
        try (var left = Files.list(mine)) {
            assertEquals(List.of(mine.resolve("notes.txt")), left.toList());
        }
    }

    @Test
    void versionAndHelp() {
        CliRun v = CliRun.of("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("jattr "), v.out());
        for (String command : List.of("attribute", "layers", "check", "parity", "demo")) {
            CliRun h = CliRun.of(command, "--help");
            assertEquals(0, h.code(), command);
            assertTrue(h.out().startsWith("Usage: jattr " + command), h.out());
        }
    }

    @Test
    void noCommandIsOneLinePointingToTheHelp() {
        CliRun none = CliRun.of();
        assertEquals(2, none.code());
        assertEquals("jattr: no command given; see 'jattr --help'" + System.lineSeparator(), none.err());
        assertEquals("", none.out());
    }

    @Test
    void unknownCommandAndOptionSuggestTheClosest() {
        CliRun command = CliRun.of("atribute", "--model", "m.onnx");
        assertEquals(2, command.code());
        assertEquals(1, command.errLines().length, command.err());
        assertTrue(command.err().startsWith("jattr: unknown command 'atribute'; did you mean 'attribute'?"), command.err());
        CliRun option = CliRun.of("attribute", "--model", "m.onnx", "--input", "x.npy", "--method", "LayerActivation",
                "--layer", "fc1", "--n-step", "5");
        assertEquals(2, option.code());
        assertEquals(1, option.errLines().length, option.err());
        assertTrue(option.err().startsWith("jattr: unknown option '--n-step'; did you mean '--n-steps'?"), option.err());
    }

    @Test
    void parityPassesTheImplementedMethodsAndFailsOnAWrongReference() throws IOException {
        Path corpus = SharedData.require("captum-reference");
        CliRun ok = CliRun.of("parity", corpus.resolve("cases.json").toString(), "--methods", "LayerActivation");
        assertEquals(0, ok.code(), ok.err());
        String last = ok.out().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("\\d+ passed, 0 failed") && !last.startsWith("0 "), ok.out());
        assertTrue(ok.err().contains("cases run, 0 failed"), ok.err());

        // a LayerActivation case whose "expected" array is the input itself: it must fail
        String c = """
                {"cases": [{"id": "convnet.conv1.wrong", "model": "%s", "method": "LayerActivation", "layer": "conv1",
                  "inputs": {"image": "%s"}, "additional_inputs": {}, "baselines": null, "target": null, "args": {},
                  "expected": "%s", "expected_delta": null, "rtol": 0.001, "compare": "allclose"}]}
                """.formatted(corpus.resolve("models/convnet.onnx"), corpus.resolve("arrays/convnet.input.image.npy"),
                corpus.resolve("arrays/convnet.input.image.npy"));
        Path file = dir.resolve("cases.json");
        Files.writeString(file, c);
        CliRun bad = CliRun.of("parity", file.toString());
        assertEquals(1, bad.code(), bad.out() + bad.err());
        assertTrue(bad.out().contains("FAIL ") && bad.out().strip().endsWith("0 passed, 1 failed"), bad.out());
    }
}
