package dev.jattr.onnx;

/** Importers for elementwise math, activation, normalisation, reduction and linear-algebra ops. */
final class MathImporters {
    private MathImporters() {}

    static void registerAll(OpRegistry r) {
    }
}
