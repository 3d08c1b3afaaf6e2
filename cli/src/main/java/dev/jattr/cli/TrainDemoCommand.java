package dev.jattr.cli;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jattr train-demo}: trains the demo's digit classifier ({@link DigitNet}) on procedurally
 * drawn digits and writes it with its sample digits and their stroke masks, as shipped in the jar.
 */
@Command(name = "train-demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Train the demo's digit classifier with jattr's own gradients and write it with sample digits.")
final class TrainDemoCommand implements Callable<Integer> {
    /** The seed of the shipped model. */
    static final long SHIPPED_SEED = 7;
    /** The samples shipped: digits 0–9, then 3 and 8 again. */
    static final int[] SAMPLE_LABELS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 3, 8};

    @Spec
    private CommandSpec spec;

    @Option(names = "--seed", paramLabel = "S", description = "The seed of the weights and digits (default ${DEFAULT-VALUE}).")
    private long seed = SHIPPED_SEED;

    @Option(names = "--steps", paramLabel = "N", description = "Training batches of 32 digits (default ${DEFAULT-VALUE}).")
    private int steps = 1500;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write digits.onnx and the samples to.")
    private String out;

    @Override
    public Integer call() {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps " + steps + " is not a whole number of at least 1");
        }
        Path dir = Arguments.path("--out", out);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + out + " is not a folder");
        }
        PrintWriter o = spec.commandLine().getOut();
        long start = System.nanoTime();
        Map<String, float[]> w = DigitNet.trainAlone(seed, steps, 32, line -> {
            o.println(line);
            o.flush();
        });
        double accuracy = DigitNet.accuracy(DigitNet.graph(w), seed + 1_000_003, 1000);
        Map<Path, OutputFiles.FileWriter> files = new LinkedHashMap<>();
        files.put(dir.resolve(DigitNet.MODEL_FILE), f -> Files.write(f, DigitNet.model(w).toByteArray()));
        Tensor[] samples = samples(seed);
        files.put(dir.resolve(DigitNet.SAMPLES_FILE), f -> Npy.write(f, samples[0]));
        files.put(dir.resolve(DigitNet.MASKS_FILE), f -> Npy.write(f, samples[1]));
        OutputFiles.writeAll(files);
        o.printf(Locale.ROOT, "accuracy on 1000 fresh digits %.1f %%, %.0f s; wrote %s%n", 100 * accuracy, (System.nanoTime() - start) / 1e9,
                String.join(", ", files.keySet().stream().map(Path::toString).toList()));
        return 0;
    }

    /** The sample digits of {@link #SAMPLE_LABELS} [12, 1, 28, 28] and their stroke masks (1 on strokes) of the same shape. */
    static Tensor[] samples(long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5eed);
        int side = DigitStrokes.SIZE, plane = side * side, n = SAMPLE_LABELS.length;
        float[] pixels = new float[n * plane], masks = new float[n * plane];
        for (int e = 0; e < n; e++) {
            DigitStrokes.Digit d = DigitStrokes.draw(SAMPLE_LABELS[e], r);
            System.arraycopy(d.pixels(), 0, pixels, e * plane, plane);
            for (int i = 0; i < plane; i++) {
                masks[e * plane + i] = d.stroke()[i] ? 1 : 0;
            }
        }
        return new Tensor[] {Tensor.of(pixels, n, 1, side, side), Tensor.of(masks, n, 1, side, side)};
    }
}
