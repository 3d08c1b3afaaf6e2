package dev.jattr.batch.parquet;

/** How {@link ParquetWriter} compresses pages. */
public enum ParquetCompression {
    /** No compression (Parquet codec UNCOMPRESSED). */
    UNCOMPRESSED(0),
    /** Deflate in gzip framing, with {@link java.util.zip} (Parquet codec GZIP). */
    GZIP(2);

    private final int codec;

    ParquetCompression(int codec) {
        this.codec = codec;
    }

    /** Parquet's {@code CompressionCodec} id. */
    int codec() {
        return codec;
    }
}
