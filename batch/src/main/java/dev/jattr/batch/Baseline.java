package dev.jattr.batch;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The baseline of the attributed input: one number for every value (Captum's default 0), or rows
 * of values shaped like one example: one row broadcast to every example, or a distribution of
 * rows for the SHAP methods.
 */
public sealed interface Baseline extends Serializable {
    /** The same number for every input value. */
    static Baseline of(double value) {
        return new Value(value);
    }

    /**
     * Rows of values, each shaped like one example.
     *
     * @param values the rows, row-major
     * @param shape  the rows' shape: [rows, example dimensions…]
     */
    static Baseline rows(float[] values, int[] shape) {
        return new Rows(values, shape);
    }

    /**
     * A number.
     *
     * @param value the baseline value
     */
    record Value(double value) implements Baseline {
        /** Checks that the value is finite. */
        public Value {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("the baseline " + value + " is not a finite number");
            }
        }

        @Override
        public String toString() {
            return Double.toString(value);
        }
    }

    /**
     * Rows of values.
     *
     * @param values the rows, row-major
     * @param shape  [rows, example dimensions…]
     */
    record Rows(float[] values, int[] shape) implements Baseline {
        /** Checks the shape against the values, and that they are finite. */
        public Rows {
            values = values.clone();
            shape = shape.clone();
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (shape.length < 1 || shape[0] < 1 || n != values.length) {
                throw new IllegalArgumentException("baseline rows of shape " + Arrays.toString(shape) + " with " + values.length + " values");
            }
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new IllegalArgumentException("the baseline holds " + values[i] + " at flat index " + i);
                }
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Rows r && Arrays.equals(values, r.values) && Arrays.equals(shape, r.shape);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(values) + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return "rows " + Arrays.toString(shape) + " (hash " + Integer.toHexString(hashCode()) + ")";
        }
    }
}
