package dev.jattr.batch.parquet;

/**
 * The column types this package writes and reads, and the Java value each one takes in
 * {@link ParquetWriter#writeRow} and gives back from {@link ParquetReader#rows}.
 *
 * <p>A list type is written as the standard three-level LIST:
 * <pre>{@code <required|optional> group name (LIST) { repeated group list { required <element> element; } } }</pre>
 * Spark writes the same layout, but with an {@code optional} element (its {@code containsNull}
 * default); the element is {@code required} here because a Java primitive array cannot hold a
 * null. Spark, parquet-mr and pyarrow read either.
 */
public enum ParquetType {
    /** Physical INT32, Java {@link Integer}. */
    INT32(Integer.class, 1, 4),
    /** Physical INT64, Java {@link Long}. */
    INT64(Long.class, 2, 8),
    /** Physical FLOAT, Java {@link Float}. */
    FLOAT(Float.class, 4, 4),
    /** Physical DOUBLE, Java {@link Double}. */
    DOUBLE(Double.class, 5, 8),
    /** Physical BYTE_ARRAY with the STRING logical type (UTF-8), Java {@link String}. */
    STRING(String.class, 6, 4),
    /** A list of INT32, Java {@code int[]}. */
    INT32_LIST(int[].class, 1, 4),
    /** A list of INT64, Java {@code long[]}. */
    INT64_LIST(long[].class, 2, 8),
    /** A list of FLOAT, Java {@code float[]}. */
    FLOAT_LIST(float[].class, 4, 4),
    /** A list of DOUBLE, Java {@code double[]}. */
    DOUBLE_LIST(double[].class, 5, 8);

    private final Class<?> javaType;
    private final int physicalType;
    private final int minPlainBytes;

    ParquetType(Class<?> javaType, int physicalType, int minPlainBytes) {
        this.javaType = javaType;
        this.physicalType = physicalType;
        this.minPlainBytes = minPlainBytes;
    }

    /**
     * The Java class of a value of this type.
     *
     * @return for example {@code Integer.class} or {@code float[].class}
     */
    public Class<?> javaType() {
        return javaType;
    }

    /**
     * Whether this is one of the list types.
     *
     * @return true for the {@code *_LIST} types
     */
    public boolean isList() {
        return javaType.isArray();
    }

    /** Parquet's physical type id (the Thrift {@code Type} enum) of the values. */
    int physicalType() {
        return physicalType;
    }

    /** The fewest bytes one PLAIN-encoded value takes: the width, or the length prefix of a string. */
    int minPlainBytes() {
        return minPlainBytes;
    }

    /** The scalar type with the given physical type id, or null when it is not one of ours. */
    static ParquetType scalarOf(int physicalType) {
        for (ParquetType t : values()) {
            if (!t.isList() && t.physicalType == physicalType) {
                return t;
            }
        }
        return null;
    }

    /** The list type whose elements have the given scalar type, or null when there is none. */
    static ParquetType listOf(ParquetType element) {
        return switch (element) {
            case INT32 -> INT32_LIST;
            case INT64 -> INT64_LIST;
            case FLOAT -> FLOAT_LIST;
            case DOUBLE -> DOUBLE_LIST;
            default -> null;
        };
    }
}
