package dev.jattr.attr;

import dev.jattr.graph.Graph;

/**
 * Options of Captum's path methods (integrated gradients, internal influence, conductance): how
 * many points, where on the path, and how many rows one evaluation may hold. Defaults are Captum's.
 *
 * @param <B> the concrete builder
 */
public abstract class PathBuilder<B extends PathBuilder<B>> extends LayerMethod.Builder<B> {
    int nSteps = 50;
    IntegrationMethod method = IntegrationMethod.GAUSS_LEGENDRE;
    int internalBatchSize;
    private MemoryBudget memoryBudget;

    /** A builder for {@code graph}. */
    protected PathBuilder(Graph graph) {
        super(graph);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The number of integration steps, Captum's {@code n_steps} (default 50). */
    public B nSteps(int value) {
        nSteps = value;
        return self();
    }

    /** The quadrature, Captum's {@code method} (default Gauss–Legendre). */
    public B method(IntegrationMethod value) {
        method = java.util.Objects.requireNonNull(value, "method");
        return self();
    }

    /**
     * Captum's {@code internal_batch_size}: the most rows one evaluation of path points holds
     * (0, the default: as many points per evaluation as the {@link #memoryBudget} allows; Captum
     * evaluates all points at once).
     */
    public B internalBatchSize(int value) {
        internalBatchSize = value;
        return self();
    }

    /**
     * The memory one evaluation of path points may use when {@link #internalBatchSize} is not
     * given (default {@link MemoryBudget#defaultBudget()}): chunks of points are sized from it.
     */
    public B memoryBudget(MemoryBudget value) {
        memoryBudget = java.util.Objects.requireNonNull(value, "memoryBudget");
        return self();
    }

    /** The budget set, or the default. */
    MemoryBudget memoryBudget() {
        return memoryBudget != null ? memoryBudget : MemoryBudget.defaultBudget();
    }

    /** Fails unless n_steps is at least {@code minimum}. */
    void requireSteps(int minimum) {
        if (nSteps < minimum) {
            throw new IllegalArgumentException("n_steps must be at least " + minimum + ", got " + nSteps);
        }
    }
}
