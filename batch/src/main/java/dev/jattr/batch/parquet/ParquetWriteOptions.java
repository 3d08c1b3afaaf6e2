package dev.jattr.batch.parquet;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How {@link ParquetWriter} lays out a file. Nothing here depends on the clock or the machine,
 * so equal rows with equal options give byte-identical files.
 *
 * @param createdBy the footer's {@code created_by}, for example {@code "jattr version 0.1.0"}
 * @param compression how pages are compressed
 * @param rowGroupBytes a row group is written once its buffered pages reach this many bytes
 * @param rowGroupRows a row group is written once it holds this many rows
 * @param pageBytes a page is closed, at a row boundary, once its values reach this many bytes
 * @param metadata key/value pairs for the footer, written in key order
 */
public record ParquetWriteOptions(
        String createdBy,
        ParquetCompression compression,
        long rowGroupBytes,
        int rowGroupRows,
        int pageBytes,
        SortedMap<String, String> metadata) {
    /** The default row group size, 64 MiB. */
    public static final long DEFAULT_ROW_GROUP_BYTES = 64L << 20;
    /** The default row count that closes a row group. */
    public static final int DEFAULT_ROW_GROUP_ROWS = 1 << 20;
    /** The default page size, 1 MiB. */
    public static final int DEFAULT_PAGE_BYTES = 1 << 20;

    /**
     * Checks the sizes and copies the metadata.
     *
     * @throws IllegalArgumentException if a size is not positive or the row group exceeds 1 GiB
     */
    public ParquetWriteOptions {
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(compression, "compression");
        if (rowGroupBytes <= 0 || rowGroupBytes > (1L << 30) || rowGroupRows <= 0 || pageBytes <= 0) {
            throw new IllegalArgumentException("Parquet sizes must be positive and a row group at most 1 GiB: rowGroupBytes "
                    + rowGroupBytes + ", rowGroupRows " + rowGroupRows + ", pageBytes " + pageBytes);
        }
        metadata = Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
    }

    /**
     * Uncompressed pages of 1 MiB, row groups of 64 MiB or 2^20 rows, no metadata, created by
     * {@code "jattr"}.
     *
     * @return the defaults
     */
    public static ParquetWriteOptions defaults() {
        return new ParquetWriteOptions("jattr", ParquetCompression.UNCOMPRESSED, DEFAULT_ROW_GROUP_BYTES,
                DEFAULT_ROW_GROUP_ROWS, DEFAULT_PAGE_BYTES, new TreeMap<>());
    }

    /**
     * These options with another {@code created_by}.
     *
     * @param value the writer's name and version
     * @return new options
     */
    public ParquetWriteOptions withCreatedBy(String value) {
        return new ParquetWriteOptions(value, compression, rowGroupBytes, rowGroupRows, pageBytes, metadata);
    }

    /**
     * These options with another compression.
     *
     * @param value the compression
     * @return new options
     */
    public ParquetWriteOptions withCompression(ParquetCompression value) {
        return new ParquetWriteOptions(createdBy, value, rowGroupBytes, rowGroupRows, pageBytes, metadata);
    }

    /**
     * These options with other row group limits.
     *
     * @param bytes the buffered bytes that close a row group
     * @param rows the row count that closes a row group
     * @return new options
     */
    public ParquetWriteOptions withRowGroupSize(long bytes, int rows) {
        return new ParquetWriteOptions(createdBy, compression, bytes, rows, pageBytes, metadata);
    }

    /**
     * These options with another page size.
     *
     * @param bytes the value bytes that close a page
     * @return new options
     */
    public ParquetWriteOptions withPageBytes(int bytes) {
        return new ParquetWriteOptions(createdBy, compression, rowGroupBytes, rowGroupRows, bytes, metadata);
    }

    /**
     * These options with one more footer key/value pair (replacing an earlier value of the key).
     *
     * @param key the key
     * @param value the value
     * @return new options
     */
    public ParquetWriteOptions withMetadata(String key, String value) {
        SortedMap<String, String> more = new TreeMap<>(metadata);
        more.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new ParquetWriteOptions(createdBy, compression, rowGroupBytes, rowGroupRows, pageBytes, more);
    }

    /**
     * These options with the pairs of {@code pairs} added.
     *
     * @param pairs keys and values
     * @return new options
     */
    public ParquetWriteOptions withMetadata(Map<String, String> pairs) {
        SortedMap<String, String> more = new TreeMap<>(metadata);
        more.putAll(pairs);
        return new ParquetWriteOptions(createdBy, compression, rowGroupBytes, rowGroupRows, pageBytes, more);
    }
}
