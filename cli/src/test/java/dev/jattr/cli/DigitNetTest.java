package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped digit classifier and {@code jattr train-demo}. */
class DigitNetTest {
    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        try (InputStream in = DigitNetTest.class.getResourceAsStream("/demo/" + name)) {
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        }
    }

    @Test
    void theShippedModelClassifiesFreshDigits() throws IOException {
        Graph g = OnnxModel.load(resource(DigitNet.MODEL_FILE)).graph();
        double accuracy = DigitNet.accuracy(g, 424242, 500);
        assertTrue(accuracy >= 0.97, "accuracy " + accuracy + " on 500 fresh digits");
    }

    @Test
    void theShippedSamplesAreTheSeedsSamples() throws IOException {
        Tensor[] s = TrainDemoCommand.samples(TrainDemoCommand.SHIPPED_SEED);
        Tensor pixels = Npy.read(resource(DigitNet.SAMPLES_FILE)), masks = Npy.read(resource(DigitNet.MASKS_FILE));
        assertEquals(Arrays.toString(new int[] {12, 1, 28, 28}), Arrays.toString(pixels.shape()));
        assertTrue(Arrays.equals(s[0].toDoubles(), pixels.toDoubles()) && Arrays.equals(s[1].toDoubles(), masks.toDoubles()));
        double strokes = Arrays.stream(masks.toDoubles()).sum() / masks.size();
        assertTrue(strokes > 0.05 && strokes < 0.5, "strokes cover " + strokes + " of the samples");
    }

    @Test
    void trainDemoWritesALoadableModel() {
        CliRun r = CliRun.of("train-demo", "--seed", "3", "--steps", "20", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("accuracy on 1000 fresh digits"), r.out());
        assertEquals(10, OnnxModel.load(dir.resolve(DigitNet.MODEL_FILE)).graph().outputs().getFirst().dims()[1]);
    }
}
