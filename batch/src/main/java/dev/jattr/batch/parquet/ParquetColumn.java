package dev.jattr.batch.parquet;

import java.util.Objects;

/**
 * One top-level column of a Parquet file.
 *
 * @param name the column name, not empty
 * @param type the value type
 * @param nullable whether a row may hold null ({@code optional} in Parquet) rather than
 *     {@code required}; for a list type, whether the whole list may be null
 */
public record ParquetColumn(String name, ParquetType type, boolean nullable) {
    /**
     * Checks the name and type.
     *
     * @throws IllegalArgumentException if the name is empty
     */
    public ParquetColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a Parquet column needs a name");
        }
    }

    /**
     * A column whose values are never null.
     *
     * @param name the column name
     * @param type the value type
     * @return the column
     */
    public static ParquetColumn required(String name, ParquetType type) {
        return new ParquetColumn(name, type, false);
    }

    /**
     * A column whose values may be null.
     *
     * @param name the column name
     * @param type the value type
     * @return the column
     */
    public static ParquetColumn optional(String name, ParquetType type) {
        return new ParquetColumn(name, type, true);
    }
}
