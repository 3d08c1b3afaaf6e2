package dev.jattr.cli;

import dev.jattr.attr.Attribution;
import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.LayerIntegratedGradients;
import dev.jattr.attr.Target;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jattr demo}: LayerIntegratedGradients on layer {@code conv2} of the small convolutional
 * network bundled in the jar, explaining each example's predicted class, with a readable summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Attribute the bundled convnet's predictions to its layer conv2 with LayerIntegratedGradients.")
final class DemoCommand implements Callable<Integer> {
    private static final int TOP = 5;

    @Spec
    private CommandSpec spec;

    @Option(names = "--n-steps", paramLabel = "N", description = "Integration steps (default ${DEFAULT-VALUE}).")
    private int nSteps = 50;

    @Override
    public Integer call() {
        if (nSteps < 1) {
            throw new IllegalArgumentException("--n-steps " + nSteps + " is not a whole number of at least 1");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("jattr-demo");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        try {
            run(DemoModel.extract(dir));
        } finally {
            delete(dir);
        }
        return 0;
    }

    private void run(DemoModel demo) {
        Graph graph = OnnxModel.load(demo.model()).graph();
        Tensor images = Npy.read(demo.input());
        int n = images.dim(0);
        Tensor probs = new Executor(graph).forward(java.util.Map.of(DemoModel.INPUT_NAME, images.cast(graph.inputs().getFirst().dtype())))
                .values().iterator().next();
        int classes = probs.dim(1);
        int[] predicted = new int[n];
        for (int e = 0; e < n; e++) {
            int base = e * classes;
            predicted[e] = IntStream.range(0, classes).boxed().max(Comparator.comparingDouble(c -> probs.getDouble(base + c))).orElseThrow();
        }
        LayerIntegratedGradients lig = LayerIntegratedGradients.builder(graph).layer(DemoModel.LAYER)
                .nSteps(nSteps).returnConvergenceDelta(true).build();
        Attribution a = lig.attribute(AttributionInputs.builder().input(DemoModel.INPUT_NAME, images)
                .target(Target.perExample(predicted)).build());
        Tensor attr = a.single();
        double[] delta = a.delta().orElseThrow().toDoubles();
        double[] sums = Tensors.sumPerRow(attr);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("jattr demo: LayerIntegratedGradients on layer %s of the bundled convnet (input %s %s, %d examples),%n",
                DemoModel.LAYER, DemoModel.INPUT_NAME, java.util.Arrays.toString(images.shape()), n);
        out.printf("%d Gauss-Legendre steps from a zero baseline, explaining each example's predicted class.%n", nSteps);
        out.printf("attribution shape %s (examples, channels, height, width)%n", java.util.Arrays.toString(attr.shape()));
        int channels = attr.dim(1), plane = attr.size() / (n * channels);
        for (int e = 0; e < n; e++) {
            double[] perChannel = new double[channels];
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < plane; i++) {
                    perChannel[c] += attr.getDouble((e * channels + c) * plane + i);
                }
            }
            int ex = e;
            out.printf(Locale.ROOT, "example %d: predicted class %d (probability %.4f)%n", e, predicted[e], probs.getDouble(e * classes + predicted[e]));
            String top = IntStream.range(0, channels).boxed()
                    .sorted(Comparator.comparingDouble((Integer c) -> perChannel[c]).reversed()).limit(TOP)
                    .map(c -> String.format(Locale.ROOT, "#%d %+.5f", c, perChannel[c]))
                    .reduce((x, y) -> x + ", " + y).orElse("");
            out.printf("  top-%d channels by total attribution: %s%n", Math.min(TOP, channels), top);
            out.printf(Locale.ROOT, "  completeness: sum of attributions %.6f, f(x) - f(baseline) %.6f, delta %.3g%n",
                    sums[ex], sums[ex] - delta[ex], delta[ex]);
        }
        out.flush();
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
