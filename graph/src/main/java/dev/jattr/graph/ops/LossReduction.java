package dev.jattr.graph.ops;

/** How a loss op combines its per-element losses (the ONNX {@code reduction} attribute). */
public enum LossReduction {
    /** One loss per element, unreduced. */
    NONE,
    /** The sum of the losses. */
    SUM,
    /** The weighted mean: the sum of the losses divided by the sum of the weights used. */
    MEAN;

    /** The reduction named by an ONNX attribute value ({@code none}, {@code sum} or {@code mean}). */
    public static LossReduction parse(String name) {
        return switch (name) {
            case "none" -> NONE;
            case "sum" -> SUM;
            case "mean" -> MEAN;
            default -> throw new IllegalArgumentException("reduction must be none, sum or mean, got \"" + name + "\"");
        };
    }
}
