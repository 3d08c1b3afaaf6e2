package dev.jattr.onnx;

/**
 * Lowers one ONNX node onto the IR: reads its attributes into a typed op record and adds one
 * or more IR nodes (or folds it into a constant) through the {@link ImportContext}.
 */
@FunctionalInterface
public interface OpImporter {
    /** Imports the context's current node. */
    void lower(ImportContext ctx);
}
