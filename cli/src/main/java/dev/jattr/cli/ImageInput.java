package dev.jattr.cli;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.ValueInfo;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Image files as model inputs: PNG or JPEG, grayscale or colour, decoded with the standard
 * library's {@link ImageIO} after checking the declared size, preprocessed, converted to the
 * channels the model takes and stacked as a batch in NCHW layout.
 *
 * @param tensor     the model input [N, C, H, W], normalized
 * @param pixels     the same images in [0, 1] before normalization, for heatmaps
 * @param conversion what was done to fit the model's channels ("" when nothing)
 */
record ImageInput(Tensor tensor, Tensor pixels, String conversion) {
    /** The most pixels an image may declare (4096 × 4096). */
    static final long MAX_PIXELS = 4096L * 4096L;

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp");

    static {
        ImageIO.setUseCache(false);
    }

    /** Whether {@code file} names an image by its extension (the rest are .npy arrays). */
    static boolean isImage(String file) {
        String lower = file.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /** Whether {@code text} is a comma-separated list of image files, each part an image. */
    static boolean isImageList(String text) {
        return Arrays.stream(text.split(",", -1)).allMatch(ImageInput::isImage);
    }

    /**
     * Reads the images of {@code files} (comma-separated) as model input {@code input}.
     *
     * @param option how the value was given, for errors: {@code --input image=a.png}
     */
    static ImageInput read(String option, ValueInfo input, String files, ImagePreprocessing prep) {
        int[] dims = input.dims();
        if (dims.length != 4) {
            throw new IllegalArgumentException(option + ": model input '" + input.name() + "' has shape " + input.shapeText()
                    + "; an image needs [batch, channels, height, width]");
        }
        if (dims[1] > 0 && dims[1] != 1 && dims[1] != 3) {
            throw new IllegalArgumentException(option + ": model input '" + input.name() + "' has " + dims[1]
                    + " channels; images give 1 (gray) or 3 (RGB)");
        }
        List<Tensor> images = new ArrayList<>();
        List<String> conversions = new ArrayList<>();
        String[] names = files.split(",", -1);
        for (String file : names) {
            String what = option + " (" + file + ")";
            Tensor pixels = prep.geometry(what, decode(what, file));
            int want = dims[1] > 0 ? dims[1] : pixels.dim(0);
            if (want != pixels.dim(0)) {
                conversions.add(file + (want == 1 ? " RGB to grayscale" : " grayscale to RGB"));
                pixels = channels(pixels, want);
            }
            if (dims[2] > 0 && pixels.dim(1) != dims[2] || dims[3] > 0 && pixels.dim(2) != dims[3]) {
                throw new IllegalArgumentException(what + ": the image is " + pixels.dim(2) + "×" + pixels.dim(1)
                        + " pixels but model input '" + input.name() + "' takes " + input.shapeText()
                        + "; use --resize and --center-crop");
            }
            if (!images.isEmpty() && !Arrays.equals(images.getFirst().shape(), pixels.shape())) {
                throw new IllegalArgumentException(what + ": the image is " + pixels.dim(2) + "×" + pixels.dim(1) + " with "
                        + pixels.dim(0) + " channel(s) but " + names[0] + " is " + images.getFirst().dim(2) + "×"
                        + images.getFirst().dim(1) + " with " + images.getFirst().dim(0) + "; a batch needs one size");
            }
            images.add(pixels);
        }
        Tensor pixels = stack(images);
        Tensor normalized = stack(images.stream().map(prep::normalize).toList());
        return new ImageInput(normalized.cast(input.dtype()), pixels,
                conversions.isEmpty() ? "" : "converted " + String.join(", ", conversions));
    }

    private static Tensor stack(List<Tensor> images) {
        int[] one = images.getFirst().shape();
        int size = images.getFirst().size();
        return Tensor.generate(dev.jattr.graph.DType.F32, new int[] {images.size(), one[0], one[1], one[2]},
                i -> images.get(i / size).getDouble(i % size));
    }

    /** [1, H, W] as RGB by repetition, or [3, H, W] as luminance (ITU-R BT.601, as PIL's "L"). */
    private static Tensor channels(Tensor pixels, int want) {
        int plane = pixels.dim(1) * pixels.dim(2);
        if (want == 3) {
            return Tensor.generate(pixels.dtype(), new int[] {3, pixels.dim(1), pixels.dim(2)}, i -> pixels.getDouble(i % plane));
        }
        return Tensor.generate(pixels.dtype(), new int[] {1, pixels.dim(1), pixels.dim(2)},
                i -> 0.299 * pixels.getDouble(i) + 0.587 * pixels.getDouble(plane + i) + 0.114 * pixels.getDouble(2 * plane + i));
    }

    /** Decodes one PNG or JPEG file as [C, H, W] in [0, 1], C = 1 for gray and 3 for colour. */
    static Tensor decode(String what, String file) {
        Path p = Arguments.existingFile(what, file);
        try (ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
            if (in == null) {
                throw new IllegalArgumentException(what + ": cannot open " + file);
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException(what + ": " + file + " is not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!format.equals("png") && !format.equals("jpeg") && !format.equals("jpg")) {
                    throw new IllegalArgumentException(what + ": " + file + " is a " + format.toUpperCase(Locale.ROOT)
                            + " image; jattr reads PNG and JPEG");
                }
                reader.setInput(in, true, true);
                long w = reader.getWidth(0), h = reader.getHeight(0);
                if (w < 1 || h < 1 || w * h > MAX_PIXELS) {
                    throw new IllegalArgumentException(what + ": " + file + " declares " + w + "×" + h
                            + " pixels; jattr reads images of 1 to " + MAX_PIXELS + " pixels");
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new IllegalArgumentException(what + ": " + file + " is damaged (" + clean(warnings.getFirst()) + ")");
                }
                return pixels(image);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": cannot decode " + file + " (" + clean(e.getMessage()) + ")", e);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(what)) {
                throw e;
            }
            throw new IllegalArgumentException(what + ": cannot decode " + file + " (damaged or truncated)", e);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new IllegalArgumentException(what + ": cannot decode " + file + " (damaged or truncated)", e);
        }
    }

    /** A decoder's message when it reads as plain words, else a plain description. */
    private static String clean(String message) {
        if (message == null || message.isBlank() || message.matches("(?s).*(Exception|java\\.|javax\\.|\\bnull\\b|\\bat ).*")) {
            return "damaged or truncated";
        }
        return Main.oneLine(message);
    }

    private static Tensor pixels(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        int w = image.getWidth(), h = image.getHeight();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
            Raster r = image.getRaster();
            double max = (1L << cm.getComponentSize(0)) - 1;
            return Tensor.generate(dev.jattr.graph.DType.F32, new int[] {1, h, w}, i -> r.getSample(i % w, i / w, 0) / max);
        }
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        int plane = w * h;
        return Tensor.generate(dev.jattr.graph.DType.F32, new int[] {3, h, w},
                i -> (rgb[i % plane] >> (16 - 8 * (i / plane)) & 0xff) / 255.0);
    }
}
