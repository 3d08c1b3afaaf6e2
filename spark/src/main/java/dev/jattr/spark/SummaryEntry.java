package dev.jattr.spark;

import java.io.Serializable;

/**
 * What the run summary lists of one example, with its place in the input (partition, then row in
 * the partition) so that the driver can list the examples in input order.
 *
 * @param order  the partition index in the high bits, the row in the partition in the low 33 bits
 * @param id     the example's id
 * @param target the explained output, or null
 * @param sum    the sum of the attribution
 * @param delta  the convergence delta, or null
 */
record SummaryEntry(long order, String id, Integer target, double sum, Double delta) implements Serializable {
    /** The order of row {@code row} of partition {@code partition}. */
    static long order(int partition, long row) {
        return ((long) partition << 33) + row;
    }
}
