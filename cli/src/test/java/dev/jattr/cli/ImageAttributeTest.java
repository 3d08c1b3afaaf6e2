package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import dev.jattr.testing.SharedData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jattr attribute} with a PNG input and {@code --heatmap} on a zoo model. */
class ImageAttributeTest {
    @TempDir
    Path dir;

    /** A 96×96 colour picture: a red disc on a blue-green gradient. */
    static BufferedImage picture(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x - size * 0.4, dy = y - size * 0.55;
                boolean disc = dx * dx + dy * dy < size * size / 16.0;
                int r = disc ? 220 : 40, g = disc ? 40 : 255 * x / size, b = disc ? 30 : 255 * y / size;
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    @Test
    void gradCamHeatmapOfSqueezenetFollowsTheAttributionsSign() throws IOException {
        Path model = SharedData.require("onnx-zoo/models/squeezenet1_1.onnx");
        Path png = dir.resolve("cat.png");
        ImageIO.write(picture(96), "png", png.toFile());
        CliRun r = CliRun.of("attribute", "--model", model.toString(), "--input", "image=" + png, "--method", "LayerGradCam",
                "--layer", "features.7", "--target", "7", "--mean", "0.485,0.456,0.406", "--std", "0.229,0.224,0.225",
                "--out", dir.resolve("a.npy").toString(), "--heatmap", dir.resolve("h.png").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("heatmap -> " + dir.resolve("h.png")), r.out());
        BufferedImage h = ImageIO.read(dir.resolve("h.png").toFile());
        assertEquals(96, h.getWidth());
        assertEquals(96, h.getHeight());
        assertTrue(variance(h) > 10, "the heatmap is blank: variance " + variance(h));
        Tensor a = Heatmap.upsampled(Npy.read(dir.resolve("a.npy")), 96, 96);
        double max = 0;
        for (int i = 0; i < 96 * 96; i++) {
            max = Math.max(max, Math.abs(a.getDouble(i)));
        }
        int checked = 0;
        for (int i = 0; i < 96 * 96; i += 37) {
            double v = a.getDouble(i) / max;
            if (Math.abs(v) > 0.5) {
                int rgb = h.getRGB(i % 96, i / 96), red = rgb >> 16 & 0xff, blue = rgb & 0xff;
                assertTrue(v > 0 ? red > blue + 60 : blue > red + 60, "pixel " + i + " of attribution " + v + "·max is red " + red
                        + ", blue " + blue);
                checked++;
            }
        }
        assertTrue(checked >= 5, "only " + checked + " strongly attributed pixels checked");
        assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    /** The variance of the pixels' summed channels. */
    static double variance(BufferedImage img) {
        double s = 0, s2 = 0;
        int n = img.getWidth() * img.getHeight();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                double v = (rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff);
                s += v;
                s2 += v * v;
            }
        }
        return s2 / n - (s / n) * (s / n);
    }
}
