package dev.jattr.onnx;

/** A model jattr cannot load: malformed, or using an op, type or attribute it does not support. The message says what and where. */
public final class UnsupportedModelException extends RuntimeException {
    /** An exception with a complete one-line message. */
    public UnsupportedModelException(String message) {
        super(message);
    }

    /** An exception with a message and its cause. */
    public UnsupportedModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
