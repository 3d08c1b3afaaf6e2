package dev.jattr.cli;

import dev.jattr.graph.Tensor;

/**
 * Where a heatmap's positive attribution lies relative to a digit's strokes: the share of the
 * positive mass on stroke pixels or within {@value #BAND} px of one (Euclidean, pixel centres),
 * next to the share of the image the strokes cover. A map that follows the ink puts far more of
 * its mass near the strokes than their area alone would.
 */
final class StrokeMass {
    /** How far from a stroke pixel a pixel still counts as near the strokes, in pixels. */
    static final int BAND = 2;

    /**
     * The shares of one example, each in [0, 1].
     *
     * @param massNear   the positive attribution mass on or near strokes over all positive mass (0 when there is none)
     * @param strokeArea the stroke pixels over all pixels
     * @param bandArea   the pixels on or near strokes over all pixels
     */
    record Share(double massNear, double strokeArea, double bandArea) {}

    private StrokeMass() {}

    /**
     * The shares of example {@code e} of the map {@code a} [N, H, W] against {@code strokes}
     * [N, 1, H, W] (non-zero on strokes).
     */
    static Share of(Tensor a, Tensor strokes, int e) {
        int h = a.dim(1), w = a.dim(2), plane = h * w;
        boolean[] near = near(strokes, e, h, w);
        double positive = 0, onNear = 0;
        int stroke = 0, band = 0;
        for (int i = 0; i < plane; i++) {
            double v = Math.max(0, a.getDouble(e * plane + i));
            positive += v;
            if (near[i]) {
                onNear += v;
                band++;
            }
            if (strokes.getDouble(e * plane + i) != 0) {
                stroke++;
            }
        }
        return new Share(positive > 0 ? onNear / positive : 0, (double) stroke / plane, (double) band / plane);
    }

    /** The mean of the shares of every example. */
    static Share mean(Tensor a, Tensor strokes) {
        int n = a.dim(0);
        double mass = 0, stroke = 0, band = 0;
        for (int e = 0; e < n; e++) {
            Share s = of(a, strokes, e);
            mass += s.massNear();
            stroke += s.strokeArea();
            band += s.bandArea();
        }
        return new Share(mass / n, stroke / n, band / n);
    }

    private static boolean[] near(Tensor strokes, int e, int h, int w) {
        boolean[] near = new boolean[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (strokes.getDouble(e * h * w + y * w + x) == 0) {
                    continue;
                }
                for (int dy = -BAND; dy <= BAND; dy++) {
                    for (int dx = -BAND; dx <= BAND; dx++) {
                        int yy = y + dy, xx = x + dx;
                        if (dx * dx + dy * dy <= BAND * BAND && yy >= 0 && yy < h && xx >= 0 && xx < w) {
                            near[yy * w + xx] = true;
                        }
                    }
                }
            }
        }
        return near;
    }
}
