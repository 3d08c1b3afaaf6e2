package dev.jattr.graph;

/** Which values a run keeps for its caller and for a backward pass that may follow ({@link Executor#run(java.util.Map, java.util.Collection, Retention)}). */
public enum Retention {
    /** Every value the run computed stays readable, and any number of backward passes with any {@link BackwardRules} may follow. */
    EVERYTHING,
    /**
     * The targets and the known values stay readable; of the others only the elements the ops' own
     * vector-Jacobian products read ({@link Op#backwardReads}), for one backward pass with
     * {@link BackwardRules#gradient()}, which releases them as it goes.
     */
    GRADIENT,
    /** Only the targets and the known values: no backward pass follows. */
    RESULTS
}
