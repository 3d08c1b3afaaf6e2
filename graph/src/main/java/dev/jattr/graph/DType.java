package dev.jattr.graph;

/** Element types a {@link Tensor} can hold. Floating types take part in differentiation; the others carry indices, shapes and masks. */
public enum DType {
    /** 32-bit IEEE float, the type of model weights and activations. */
    F32(true, 4),
    /** 64-bit IEEE float, used for gradient checks and float64 models. */
    F64(true, 8),
    /** 64-bit signed integer: shapes, indices and shape arithmetic inside graphs. */
    I64(false, 8),
    /** 32-bit signed integer. */
    I32(false, 4),
    /** Boolean, one byte per element. */
    BOOL(false, 1);

    private final boolean floating;
    private final int bytes;

    DType(boolean floating, int bytes) {
        this.floating = floating;
        this.bytes = bytes;
    }

    /** The bytes one element takes. */
    public int bytes() {
        return bytes;
    }

    /** NumPy's name of the type (float32, int64, bool…), for messages in the user's terms. */
    public String numpyName() {
        return switch (this) {
            case F32 -> "float32";
            case F64 -> "float64";
            case I64 -> "int64";
            case I32 -> "int32";
            case BOOL -> "bool";
        };
    }

    /** Whether values of this type are real numbers that gradients flow through. */
    public boolean isFloating() {
        return floating;
    }
}
