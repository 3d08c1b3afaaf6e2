package dev.jattr.cli;

import dev.jattr.attr.LayerAttributions;
import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Heatmaps of spatial attributions: summed over channels, upsampled bilinearly to the image's
 * size (as Captum's {@code LayerAttribution.interpolate}), coloured with a diverging map centred
 * at zero (blue negative, white zero, red positive, scaled by the largest |a| of the example)
 * and laid with {@link #ALPHA} over the image in grayscale.
 */
final class Heatmap {
    /** The opacity of the colours over the image. */
    static final double ALPHA = 0.6;

    private Heatmap() {}

    /** Whether a tensor of {@code shape} is spatial: [N, C, H, W] or [N, H, W]. */
    static boolean spatial(int[] shape) {
        return shape.length == 3 || shape.length == 4;
    }

    /**
     * The attribution {@code a} ([N, C, h, w] or [N, h, w]) summed over channels and resized to
     * H × W: [N, H, W] as doubles.
     */
    static Tensor upsampled(Tensor a, int height, int width) {
        int[] s = a.shape();
        if (!spatial(s)) {
            throw new IllegalArgumentException("a heatmap needs an attribution of shape [N, C, H, W] or [N, H, W], not "
                    + Arrays.toString(s));
        }
        int n = s[0], c = s.length == 4 ? s[1] : 1, h = s[s.length - 2], w = s[s.length - 1], plane = h * w;
        Tensor summed = Tensor.generate(DType.F64, new int[] {n, 1, h, w}, i -> {
            int e = i / plane, at = i % plane;
            double sum = 0;
            for (int ch = 0; ch < c; ch++) {
                sum += a.getDouble((e * c + ch) * plane + at);
            }
            return sum;
        });
        Tensor up = LayerAttributions.interpolate(summed, new int[] {height, width}, LayerAttributions.Mode.BILINEAR);
        return up.reshape(n, height, width);
    }

    /** One image per example: the attribution map {@code a} [N, H, W] over {@code pixels} [N, C, H, W] in [0, 1]. */
    static List<BufferedImage> render(Tensor a, Tensor pixels) {
        int n = a.dim(0), h = a.dim(1), w = a.dim(2), c = pixels.dim(1), plane = h * w;
        List<BufferedImage> images = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            double max = 0;
            for (int i = 0; i < plane; i++) {
                max = Math.max(max, Math.abs(a.getDouble(e * plane + i)));
            }
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < plane; i++) {
                double gray = 0;
                for (int ch = 0; ch < c; ch++) {
                    gray += pixels.getDouble((e * c + ch) * plane + i) / c;
                }
                double v = max > 0 ? a.getDouble(e * plane + i) / max : 0;
                img.setRGB(i % w, i / w, rgb(v, gray));
            }
            images.add(img);
        }
        return images;
    }

    /** The colour of {@code v} in [−1, 1] over a gray level in [0, 1]. */
    static int rgb(double v, double gray) {
        double r = v < 0 ? 1 + v : 1, g = 1 - Math.abs(v), b = v > 0 ? 1 - v : 1;
        return channel(r, gray) << 16 | channel(g, gray) << 8 | channel(b, gray);
    }

    private static int channel(double colour, double gray) {
        double mixed = ALPHA * colour + (1 - ALPHA) * gray;
        return (int) Math.round(255 * Math.min(1, Math.max(0, mixed)));
    }
}
