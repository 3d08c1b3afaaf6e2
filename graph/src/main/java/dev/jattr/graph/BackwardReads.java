package dev.jattr.graph;

/**
 * Which forward values an op's vector-Jacobian product reads the elements of: a bit per input and
 * per output (positions past 62 always count as read). The types and shapes of all of them stay
 * available to the backward pass; a value no later step reads is released after the forward, so a
 * declaration must not leave out a value {@link Op#backward} reads.
 *
 * @param inputs  bit {@code i} set when input {@code i} is read
 * @param outputs bit {@code k} set when output {@code k} is read
 */
public record BackwardReads(long inputs, long outputs) {
    /** Every input and output: the safe default. */
    public static final BackwardReads ALL = new BackwardReads(-1L, -1L);
    /** Nothing but types and shapes (Add, Reshape, Concat…). */
    public static final BackwardReads NONE = new BackwardReads(0, 0);
    /** The outputs only (Sigmoid, Softmax…). */
    public static final BackwardReads OUTPUTS = new BackwardReads(0, -1L);

    /** The inputs at {@code positions} and no output. */
    public static BackwardReads inputs(int... positions) {
        long m = 0;
        for (int p : positions) {
            m |= 1L << p;
        }
        return new BackwardReads(m, 0);
    }

    /** Whether input {@code i}'s elements are read. */
    public boolean readsInput(int i) {
        return i > 62 || (inputs >>> i & 1) != 0;
    }

    /** Whether output {@code k}'s elements are read. */
    public boolean readsOutput(int k) {
        return k > 62 || (outputs >>> k & 1) != 0;
    }
}
