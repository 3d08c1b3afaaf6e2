package dev.jattr.cli;

import dev.jattr.attr.LayerAttributions;
import dev.jattr.graph.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * How image inputs become model inputs, as torchvision's usual transform chain: resize the
 * shorter side to {@code resize} (bilinear), cut the central {@code crop}×{@code crop} square,
 * then subtract {@code mean} and divide by {@code std} per channel; values start in [0, 1].
 *
 * @param resize the shorter side after resizing, 0 for none
 * @param crop   the side of the central square, 0 for none
 * @param mean   one value per channel or one for all; empty for none
 * @param std    one value per channel or one for all; empty for none
 */
record ImagePreprocessing(int resize, int crop, double[] mean, double[] std) {
    /** The largest --resize or --center-crop side. */
    static final int MAX_SIDE = 4096;

    /** No preprocessing besides scaling to [0, 1]. */
    static ImagePreprocessing none() {
        return new ImagePreprocessing(0, 0, new double[0], new double[0]);
    }

    /** Parses the options (each may be null); fails naming the option. */
    static ImagePreprocessing parse(String resize, String crop, String mean, String std) {
        double[] s = numbers("--std", std);
        for (double v : s) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("--std '" + std + "': " + v + " is not above 0");
            }
        }
        return new ImagePreprocessing(side("--resize", resize), side("--center-crop", crop), numbers("--mean", mean), s);
    }

    /** Whether any option was given. */
    boolean any() {
        return resize > 0 || crop > 0 || mean.length > 0 || std.length > 0;
    }

    private static int side(String option, String text) {
        if (text == null) {
            return 0;
        }
        String s = text.strip();
        if (!s.matches("\\d{1,9}") || Integer.parseInt(s) < 1 || Integer.parseInt(s) > MAX_SIDE) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a whole number of pixels from 1 to " + MAX_SIDE);
        }
        return Integer.parseInt(s);
    }

    private static double[] numbers(String option, String text) {
        if (text == null) {
            return new double[0];
        }
        String[] parts = text.split(",", -1);
        if (parts.length != 1 && parts.length != 3) {
            throw new IllegalArgumentException(option + " '" + text + "' is not one number or three (r,g,b)");
        }
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            if (!p.matches("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d{1,3})?")) {
                throw new IllegalArgumentException(option + " '" + text + "': '" + p + "' is not a number");
            }
            v[i] = Double.parseDouble(p);
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(option + " '" + text + "': '" + p + "' is not a finite number");
            }
        }
        return v;
    }

    /**
     * Resizes and crops {@code pixels} ([C, H, W] in [0, 1]); {@code what} names the file in errors.
     */
    Tensor geometry(String what, Tensor pixels) {
        Tensor t = pixels;
        if (resize > 0) {
            int h = t.dim(1), w = t.dim(2);
            int nh = h <= w ? resize : (int) ((long) resize * h / w);
            int nw = h <= w ? (int) ((long) resize * w / h) : resize;
            if (nh < 1 || nw < 1 || (long) nh * nw > ImageInput.MAX_PIXELS) {
                throw new IllegalArgumentException(what + ": --resize " + resize + " makes the " + w + "×" + h + " image "
                        + nw + "×" + nh + " pixels, which is too " + (nh < 1 || nw < 1 ? "small" : "large"));
            }
            Tensor four = t.reshape(1, t.dim(0), h, w);
            t = LayerAttributions.interpolate(four, new int[] {nh, nw}, LayerAttributions.Mode.BILINEAR);
            t = t.reshape(t.dim(1), nh, nw).map(v -> Math.min(1, Math.max(0, v)));
        }
        if (crop > 0) {
            int c = t.dim(0), h = t.dim(1), w = t.dim(2);
            if (crop > h || crop > w) {
                throw new IllegalArgumentException(what + ": --center-crop " + crop + " is larger than the image (" + w + "×" + h
                        + (resize > 0 ? " after --resize " + resize : "") + ")");
            }
            int top = (int) Math.round((h - crop) / 2.0), left = (int) Math.round((w - crop) / 2.0);
            Tensor src = t;
            t = Tensor.generate(src.dtype(), new int[] {c, crop, crop}, i -> {
                int ch = i / (crop * crop), y = i / crop % crop, x = i % crop;
                return src.getDouble((ch * h + top + y) * w + left + x);
            });
        }
        return t;
    }

    /** Subtracts the mean and divides by the standard deviation per channel of {@code pixels} ([C, H, W]). */
    Tensor normalize(Tensor pixels) {
        int c = pixels.dim(0), plane = pixels.size() / c;
        for (double[] v : new double[][] {mean, std}) {
            if (v.length == 3 && c != 3) {
                throw new IllegalArgumentException((v == mean ? "--mean " : "--std ") + text(v) + " has 3 values but the model input has "
                        + c + " channel" + (c == 1 ? "; give one value" : "s"));
            }
        }
        return Tensor.generate(pixels.dtype(), pixels.shape(), i -> {
            int ch = i / plane;
            double m = mean.length == 0 ? 0 : mean[Math.min(ch, mean.length - 1)];
            double s = std.length == 0 ? 1 : std[Math.min(ch, std.length - 1)];
            return (pixels.getDouble(i) - m) / s;
        });
    }

    private static String text(double[] v) {
        return String.join(",", Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%s", x)).toList());
    }
}
