package dev.jattr.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Handwritten-style digits drawn procedurally: each digit is a few strokes (polylines and arcs in
 * a unit box), drawn with a random thickness, slant, rotation, scale, offset and jitter of its
 * points, anti-aliased onto a {@value #SIZE}×{@value #SIZE} canvas (ink 1 on 0, as MNIST), with
 * Gaussian noise. The stroke mask is where the clean ink covers at least half a pixel.
 */
final class DigitStrokes {
    /** The side of a digit image in pixels. */
    static final int SIZE = 28;

    private static final List<List<List<double[]>>> STROKES = List.of(
            List.of(arc(0.5, 0.5, 0.28, 0.4, 0, 360)),
            List.of(line(0.32, 0.26, 0.52, 0.1, 0.52, 0.9)),
            List.of(join(arc(0.5, 0.32, 0.25, 0.22, 200, 380), line(0.75, 0.38, 0.25, 0.9, 0.8, 0.9))),
            List.of(arc(0.48, 0.3, 0.24, 0.2, 210, 450), arc(0.48, 0.69, 0.27, 0.21, 270, 510)),
            List.of(line(0.62, 0.9, 0.62, 0.1, 0.18, 0.64, 0.82, 0.64)),
            List.of(join(line(0.75, 0.1, 0.32, 0.1, 0.29, 0.46), arc(0.48, 0.66, 0.27, 0.23, 240, 500))),
            List.of(join(line(0.68, 0.1, 0.38, 0.4), arc(0.5, 0.68, 0.23, 0.22, 215, 575))),
            List.of(line(0.2, 0.1, 0.8, 0.1, 0.42, 0.9)),
            List.of(arc(0.5, 0.29, 0.19, 0.18, 0, 360), arc(0.5, 0.7, 0.24, 0.21, 0, 360)),
            List.of(join(arc(0.48, 0.32, 0.22, 0.21, 0, 360), line(0.7, 0.33, 0.62, 0.9))));

    /**
     * One digit.
     *
     * @param label  the digit 0–9
     * @param pixels the image, row-major, in [0, 1]
     * @param stroke where the strokes are
     */
    record Digit(int label, float[] pixels, boolean[] stroke) {}

    private DigitStrokes() {}

    /** A digit of {@code label} drawn with the randomness of {@code r}. */
    static Digit draw(int label, SplittableRandom r) {
        double scale = SIZE * r.nextDouble(0.62, 0.82), aspect = r.nextDouble(0.8, 1.15), slant = r.nextDouble(-0.35, 0.35);
        double angle = r.nextDouble(-0.2, 0.2), cos = Math.cos(angle), sin = Math.sin(angle);
        double cx = SIZE / 2.0 + r.nextDouble(-2.5, 2.5), cy = SIZE / 2.0 + r.nextDouble(-2.5, 2.5);
        double radius = r.nextDouble(0.7, 1.6), noise = r.nextDouble(0, 0.08);
        List<double[]> segments = new ArrayList<>();
        for (List<double[]> stroke : STROKES.get(label)) {
            double[] prev = null;
            double jx = r.nextDouble(-0.04, 0.04), jy = r.nextDouble(-0.04, 0.04);
            for (double[] p : stroke) {
                double u = (p[0] - 0.5 + jx + r.nextDouble(-0.015, 0.015)) * aspect, v = p[1] - 0.5 + jy + r.nextDouble(-0.015, 0.015);
                u += slant * -v;
                double x = cx + scale * (cos * u - sin * v), y = cy + scale * (sin * u + cos * v);
                if (prev != null) {
                    segments.add(new double[] {prev[0], prev[1], x, y});
                }
                prev = new double[] {x, y};
            }
        }
        float[] pixels = new float[SIZE * SIZE];
        boolean[] mask = new boolean[SIZE * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            double px = i % SIZE + 0.5, py = i / SIZE + 0.5, d = Double.MAX_VALUE;
            for (double[] s : segments) {
                d = Math.min(d, distance(px, py, s));
            }
            double ink = Math.clamp(radius + 0.5 - d, 0, 1);
            mask[i] = ink >= 0.5;
            pixels[i] = (float) Math.clamp(ink + noise * r.nextGaussian(), 0, 1);
        }
        return new Digit(label, pixels, mask);
    }

    private static double distance(double px, double py, double[] s) {
        double dx = s[2] - s[0], dy = s[3] - s[1], len = dx * dx + dy * dy;
        double t = len == 0 ? 0 : Math.clamp(((px - s[0]) * dx + (py - s[1]) * dy) / len, 0, 1);
        double ex = s[0] + t * dx - px, ey = s[1] + t * dy - py;
        return Math.sqrt(ex * ex + ey * ey);
    }

    private static List<double[]> line(double... xy) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) {
            points.add(new double[] {xy[i], xy[i + 1]});
        }
        return points;
    }

    /** An elliptic arc from angle {@code from} to {@code to} in degrees (0 = right, 90 = down). */
    private static List<double[]> arc(double cx, double cy, double rx, double ry, double from, double to) {
        List<double[]> points = new ArrayList<>();
        int n = (int) Math.ceil(Math.abs(to - from) / 15);
        for (int i = 0; i <= n; i++) {
            double a = Math.toRadians(from + (to - from) * i / n);
            points.add(new double[] {cx + rx * Math.cos(a), cy + ry * Math.sin(a)});
        }
        return points;
    }

    @SafeVarargs
    private static List<double[]> join(List<double[]>... parts) {
        List<double[]> all = new ArrayList<>();
        for (List<double[]> p : parts) {
            all.addAll(p);
        }
        return all;
    }
}
