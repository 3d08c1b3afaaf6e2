package dev.jattr.batch.parquet;

import java.util.Arrays;

/** Collects one list value's numbers in primitive form, growing as they are read. */
final class NumberList {
    /** The longest list read, 2^26 elements: far past any tensor row, well inside the heap. */
    static final int MAX_LENGTH = 1 << 26;

    private final ParquetType element;
    private int[] ints = new int[0];
    private long[] longs = new long[0];
    private float[] floats = new float[0];
    private double[] doubles = new double[0];
    private int size;

    NumberList(ParquetType element) {
        this.element = element;
    }

    void clear() {
        size = 0;
    }

    /** Appends the cursor's current value. */
    void add(ColumnCursor c) {
        if (size == MAX_LENGTH) {
            throw new ParquetException(c.where() + ": a list longer than " + ColumnCursor.fmt(MAX_LENGTH) + " elements");
        }
        int capacity = Math.max(16, Math.min(MAX_LENGTH, size * 2));
        switch (element) {
            case INT32 -> {
                if (size == ints.length) {
                    ints = Arrays.copyOf(ints, capacity);
                }
                ints[size] = c.intValue();
            }
            case INT64 -> {
                if (size == longs.length) {
                    longs = Arrays.copyOf(longs, capacity);
                }
                longs[size] = c.longValue();
            }
            case FLOAT -> {
                if (size == floats.length) {
                    floats = Arrays.copyOf(floats, capacity);
                }
                floats[size] = c.floatValue();
            }
            default -> {
                if (size == doubles.length) {
                    doubles = Arrays.copyOf(doubles, capacity);
                }
                doubles[size] = c.doubleValue();
            }
        }
        size++;
    }

    /** The collected numbers as a fresh array of the element type. */
    Object toArray() {
        return switch (element) {
            case INT32 -> Arrays.copyOf(ints, size);
            case INT64 -> Arrays.copyOf(longs, size);
            case FLOAT -> Arrays.copyOf(floats, size);
            default -> Arrays.copyOf(doubles, size);
        };
    }
}
