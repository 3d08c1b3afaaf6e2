package dev.jattr.batch;

import java.util.Arrays;
import java.util.Objects;

/**
 * One example of a dataset: its id (a file name, a row number or the dataset's id column), its
 * input values in row-major order with their shape (without the batch dimension), and its label
 * when the dataset has one.
 *
 * @param id     the example's id, unique in its dataset
 * @param values the input values
 * @param shape  the input's shape without the batch dimension
 * @param label  the example's label, or null
 */
public record Example(String id, float[] values, int[] shape, Integer label) {
    /** Checks that the values fill the shape. */
    public Example {
        Objects.requireNonNull(id, "id");
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("example '" + id + "' has shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("example '" + id + "' holds " + values.length + " values; its shape "
                    + Arrays.toString(shape) + " needs " + n);
        }
    }
}
