package dev.jattr.attr;

import dev.jattr.graph.Graph;

/**
 * Options of Captum's path methods (integrated gradients, internal influence, conductance): how
 * many points, where on the path, and how many rows one evaluation may hold. Defaults are Captum's.
 *
 * @param <B> the concrete builder
 */
public abstract class PathBuilder<B extends PathBuilder<B>> extends LayerMethod.Builder<B> {
    /**
     * The most n_steps accepted: each step is a forward and backward pass of the part after the
     * layer, and the quadrature's points are arrays of this length.
     */
    public static final int MAX_STEPS = 1_000_000;

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

    /**
     * Fails unless n_steps is between the method's minimum and {@link #MAX_STEPS}, for a method
     * whose quadrature takes n_steps + {@code extraPoints} points (Captum's minimum: 1 point for
     * Gauss–Legendre, 2 for the Riemann rules).
     */
    void requireSteps(int extraPoints) {
        int minimum = Math.max(1, method.minimumPoints() - extraPoints);
        if (nSteps < minimum) {
            throw new IllegalArgumentException("n_steps must be at least " + minimum
                    + (minimum > 1 ? " for " + method.captumName() : "") + ", got " + nSteps);
        }
        if (nSteps > MAX_STEPS) {
            throw new IllegalArgumentException("n_steps must be at most " + MAX_STEPS + ", got " + nSteps);
        }
        if (internalBatchSize < 0) {
            throw new IllegalArgumentException("internal_batch_size must be a positive number of rows (or 0 for all at once), got "
                    + internalBatchSize);
        }
    }
}
