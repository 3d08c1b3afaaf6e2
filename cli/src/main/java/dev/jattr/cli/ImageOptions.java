package dev.jattr.cli;

import java.util.Arrays;
import java.util.Objects;
import picocli.CommandLine.Option;

/** The preprocessing flags of image inputs, shared by {@code attribute} and {@code batch}. */
final class ImageOptions {
    @Option(names = "--resize", paramLabel = "N", description = "Resize image inputs so that the shorter side is N pixels (bilinear).")
    private String resize;

    @Option(names = "--center-crop", paramLabel = "N", description = "Cut the central N×N pixels of image inputs (after --resize).")
    private String centerCrop;

    @Option(names = "--mean", paramLabel = "R,G,B", description = "Subtract from image inputs per channel, after scaling to [0, 1].")
    private String mean;

    @Option(names = "--std", paramLabel = "R,G,B", description = "Divide image inputs by these per channel, after --mean.")
    private String std;

    /** The preprocessing the flags describe. */
    ImagePreprocessing preprocessing() {
        return ImagePreprocessing.parse(resize, centerCrop, mean, std);
    }

    /** The first preprocessing flag given, for the error when no input is an image. */
    String firstGiven() {
        return Arrays.stream(new String[] {resize == null ? null : "--resize", centerCrop == null ? null : "--center-crop",
                mean == null ? null : "--mean", std == null ? null : "--std"}).filter(Objects::nonNull).findFirst().orElseThrow();
    }
}
