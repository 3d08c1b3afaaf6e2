package dev.jattr.graph.ops;

/** ONNX's {@code auto_pad} attribute of convolution and pooling. */
public enum AutoPad {
    /** Use the explicit {@code pads}. */
    NOTSET,
    /** Pad so that the output size is ceil(input / stride), extra padding at the end. */
    SAME_UPPER,
    /** As {@link #SAME_UPPER}, extra padding at the beginning. */
    SAME_LOWER,
    /** No padding. */
    VALID;

    /** Parses the attribute's text, failing with the allowed values. */
    public static AutoPad parse(String s) {
        try {
            return valueOf(s.isEmpty() ? "NOTSET" : s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '" + s + "'");
        }
    }
}
