package dev.jattr.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The small convolutional network shipped inside the jar for the tests and examples ({@code jattr
 * demo} uses the digit classifier, {@link DigitNet}): the model of
 * the Captum reference corpus's {@code convnet} cases (input {@code image} [batch, 1, 10, 10],
 * output {@code output}: softmax probabilities [batch, 10]) and its two example images.
 *
 * @param model the model file
 * @param input the .npy file of the example images
 */
record DemoModel(Path model, Path input) {
    /** The model's input name. */
    static final String INPUT_NAME = "image";
    /** The layer the demo attributes to. */
    static final String LAYER = "conv2";

    /** Copies the bundled files into {@code dir} and returns their paths. */
    static DemoModel extract(Path dir) {
        return new DemoModel(copy("convnet.onnx", dir), copy("convnet.input.image.npy", dir));
    }

    private static Path copy(String name, Path dir) {
        Path target = dir.resolve(name);
        try (InputStream in = DemoModel.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks the demo resource /demo/" + name);
            }
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the demo model to " + dir + ": " + e.getMessage(), e);
        }
        return target;
    }
}
