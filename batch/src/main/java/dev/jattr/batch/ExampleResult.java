package dev.jattr.batch;

/**
 * The attribution of one example, as one row of a result shard.
 *
 * @param id          the example's id
 * @param target      the explained output index, or null without a target
 * @param prediction  the index of the example's largest output, or null for an output of one number
 * @param attribution the attribution values, row-major
 * @param shape       the attribution's shape (without the batch dimension)
 * @param sum         the sum of the attribution values (in double precision)
 * @param delta       the convergence delta, or null when the method has none or it was not asked for
 * @param topIndex    flat indices into the attribution of its largest values by magnitude, largest first
 * @param topValue    the attribution values at {@code topIndex}
 */
public record ExampleResult(String id, Integer target, Integer prediction, float[] attribution, int[] shape, double sum,
        Double delta, int[] topIndex, float[] topValue) {
}
