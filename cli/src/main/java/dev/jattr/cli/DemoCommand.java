package dev.jattr.cli;

import dev.jattr.attr.Attribution;
import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.LayerActivation;
import dev.jattr.attr.LayerDeepLift;
import dev.jattr.attr.LayerFeatureAblation;
import dev.jattr.attr.LayerGradCam;
import dev.jattr.attr.LayerIntegratedGradients;
import dev.jattr.attr.LayerLRP;
import dev.jattr.attr.LayerMethod;
import dev.jattr.attr.Target;
import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jattr demo}: five layer methods at {@code conv2} of the shipped digit classifier, on its
 * twelve sample digits, each explaining the predicted class; writes a heatmap per method and
 * digit, a grid of them and an {@code index.html} with the convergence deltas, runtimes and how
 * much positive attribution lies on or near the strokes ({@link StrokeMass}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Attribute the shipped digit classifier's predictions at layer conv2 with five methods and write heatmaps and index.html.")
final class DemoCommand implements Callable<Integer> {
    /** The layer the demo attributes to. */
    static final String LAYER = "conv2";

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "The folder to write (default ${DEFAULT-VALUE}); replaced when it holds an earlier demo.")
    private Path out = Path.of("jattr-demo");

    @Option(names = "--n-steps", paramLabel = "N", description = "Integration steps of LayerIntegratedGradients (default ${DEFAULT-VALUE}).")
    private int nSteps = 50;

    /**
     * One method's result on all samples.
     *
     * @param method  the Captum name
     * @param maps    the attribution summed over channels and upsampled to the digits, [N, H, W]
     * @param delta   the mean |convergence delta| over the samples, where the method has one
     * @param millis  the time {@code attribute} took
     * @param share   the stroke shares, averaged over the samples
     */
    record MethodResult(String method, Tensor maps, OptionalDouble delta, double millis, StrokeMass.Share share) {}

    /**
     * The demo's results.
     *
     * @param pixels    the samples [N, 1, H, W]
     * @param strokes   their stroke masks [N, 1, H, W]
     * @param predicted the predicted class of each sample
     * @param methods   each method's result
     */
    record Results(Tensor pixels, Tensor strokes, int[] predicted, List<MethodResult> methods) {}

    @Override
    public Integer call() {
        if (nSteps < 1) {
            throw new IllegalArgumentException("--n-steps " + nSteps + " is not a whole number of at least 1");
        }
        Results r = run(nSteps);
        Path index = DemoPage.write(out, r);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("jattr demo: five methods at layer %s of the shipped digit classifier, %d sample digits, target = predicted class%n",
                LAYER, r.predicted().length);
        o.printf(Locale.ROOT, "%-25s %9s %8s %17s %12s %10s%n", "method", "|delta|", "ms", "mass near strokes", "stroke area",
                "band area");
        for (MethodResult m : r.methods()) {
            o.printf(Locale.ROOT, "%-25s %9s %8.0f %16.1f%% %11.1f%% %9.1f%%%n", m.method(),
                    m.delta().isPresent() ? String.format(Locale.ROOT, "%.2e", m.delta().getAsDouble()) : "-",
                    m.millis(), 100 * m.share().massNear(), 100 * m.share().strokeArea(), 100 * m.share().bandArea());
        }
        o.println("open " + index.toUri());
        o.flush();
        return 0;
    }

    /** Runs the five methods on the shipped samples. */
    static Results run(int nSteps) {
        Path dir;
        try {
            dir = Files.createTempDirectory("jattr-demo");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        try {
            Graph graph = OnnxModel.load(resource(DigitNet.MODEL_FILE, dir)).graph();
            Tensor pixels = Npy.read(resource(DigitNet.SAMPLES_FILE, dir));
            Tensor strokes = Npy.read(resource(DigitNet.MASKS_FILE, dir));
            return run(graph, pixels, strokes, nSteps);
        } finally {
            delete(dir);
        }
    }

    private static Results run(Graph graph, Tensor pixels, Tensor strokes, int nSteps) {
        int n = pixels.dim(0), h = pixels.dim(2), w = pixels.dim(3);
        Tensor logits = new Executor(graph).forward(Map.of(DigitNet.INPUT, pixels)).get(DigitNet.OUTPUT);
        int classes = logits.dim(1);
        int[] predicted = new int[n];
        for (int e = 0; e < n; e++) {
            for (int c = 1; c < classes; c++) {
                if (logits.getDouble(e * classes + c) > logits.getDouble(e * classes + predicted[e])) {
                    predicted[e] = c;
                }
            }
        }
        AttributionInputs in = AttributionInputs.builder().input(DigitNet.INPUT, pixels).target(Target.perExample(predicted)).build();
        List<Map.Entry<String, Function<Graph, LayerMethod>>> methods = List.of(
                Map.entry("LayerGradCam", g -> LayerGradCam.builder(g).layer(LAYER).build()),
                Map.entry("LayerIntegratedGradients", g -> LayerIntegratedGradients.builder(g).layer(LAYER).nSteps(nSteps)
                        .returnConvergenceDelta(true).build()),
                Map.entry("LayerDeepLift", g -> LayerDeepLift.builder(g).layer(LAYER).returnConvergenceDelta(true).build()),
                Map.entry("LayerLRP", g -> LayerLRP.builder(g).layer(LAYER).returnConvergenceDelta(true).build()),
                Map.entry("LayerFeatureAblation", g -> LayerFeatureAblation.builder(g).layer(LAYER)
                        .layerMask(positions(g, pixels)).perturbationsPerEval(14).build()));
        List<MethodResult> results = new ArrayList<>();
        for (var m : methods) {
            LayerMethod method = m.getValue().apply(graph);
            long start = System.nanoTime();
            Attribution a = method.attribute(in);
            double millis = (System.nanoTime() - start) / 1e6;
            Tensor maps = Heatmap.upsampled(a.single(), h, w);
            OptionalDouble delta = a.delta().map(d -> Arrays.stream(d.toDoubles()).map(Math::abs).average())
                    .orElse(OptionalDouble.empty());
            results.add(new MethodResult(m.getKey(), maps, delta, millis, StrokeMass.mean(maps, strokes)));
        }
        return new Results(pixels, strokes, predicted, List.copyOf(results));
    }

    /** A feature mask [1, 1, h, w] of the layer: all channels at one position are one feature. */
    private static Tensor positions(Graph graph, Tensor pixels) {
        Tensor one = Tensor.generate(DType.F32, new int[] {1, pixels.dim(1), pixels.dim(2), pixels.dim(3)}, pixels::getDouble);
        int[] s = LayerActivation.builder(graph).layer(LAYER).build()
                .attribute(AttributionInputs.builder().input(DigitNet.INPUT, one).build()).single().shape();
        int h = s[2], w = s[3];
        int[] ids = new int[h * w];
        Arrays.setAll(ids, i -> i);
        return Tensor.of(ids, 1, 1, h, w);
    }

    private static Path resource(String name, Path dir) {
        Path target = dir.resolve(name);
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks the demo resource /demo/" + name);
            }
            Files.copy(in, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the demo resource " + name + " to " + dir + ": " + e.getMessage(), e);
        }
        return target;
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
