package dev.jattr.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates a benchmark model and its input in the shared corpora. */
final class ZooModel {
    private ZooModel() {}

    /** The shared folder: system property jattr.shared, else ../shared. */
    static Path shared() {
        Path p = Path.of(System.getProperty("jattr.shared", "../shared"));
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("shared corpora not found at " + p.toAbsolutePath() + " (set -Djattr.shared=...)");
        }
        return p;
    }

    /** The model file: a zoo model by name, or a captum-reference model. */
    static Path model(String name) {
        Path zoo = shared().resolve("onnx-zoo/models/" + name + ".onnx");
        return Files.exists(zoo) ? zoo : shared().resolve("captum-reference/models/" + name + ".onnx");
    }

    /** The input .npy of the model's forward case. */
    static Path input(String name) {
        Path zoo = shared().resolve("onnx-zoo/arrays/" + name + ".input.npy");
        return Files.exists(zoo) ? zoo : shared().resolve("captum-reference/arrays/" + name + ".input.image.npy");
    }
}
