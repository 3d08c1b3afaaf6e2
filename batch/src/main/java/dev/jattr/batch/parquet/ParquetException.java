package dev.jattr.batch.parquet;

/**
 * A Parquet file is malformed, uses a feature this package does not support, or a value does
 * not fit the schema. The message is one line that names the file (where there is one) and what
 * is wrong.
 */
public final class ParquetException extends IllegalArgumentException {
    /**
     * Creates the exception.
     *
     * @param message one line: the file, the place in it, and what is wrong
     */
    public ParquetException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the lower-level failure that caused it.
     *
     * @param message one line: the file, the place in it, and what is wrong
     * @param cause the failure underneath, for example a {@link java.util.zip.ZipException}
     */
    public ParquetException(String message, Throwable cause) {
        super(message, cause);
    }
}
