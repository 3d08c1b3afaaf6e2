package dev.jattr.attr;

import dev.jattr.graph.Node;
import dev.jattr.graph.Trace;
import java.util.List;

/**
 * How a method splits its points (path steps, samples) into evaluations. With Captum's
 * {@code internal_batch_size} given, its rule applies: {@code internalBatchSize / examples}
 * points per evaluation (at least {@code minimum}). Without it, the first evaluation holds
 * {@code minimum} points, its trace shows what one point costs (kept in {@link PointCosts} for the
 * method's later calls with inputs of the same shapes, which size their first evaluation like the
 * rest), and the rest are sized from the {@link MemoryBudget}, and so that no value of an
 * evaluation outgrows a Java array.
 */
final class Chunks {
    private final int internalBatchSize;
    private final int examples;
    private final int total;
    private final int minimum;
    private final MemoryBudget budget;
    private long bytesPerPoint = -1;
    private long largestPerPoint = 1;

    /** The most elements one array may hold. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final PointCosts costs;
    private final List<Object> key;

    Chunks(int internalBatchSize, int examples, int total, int minimum, MemoryBudget budget) {
        this(internalBatchSize, examples, total, minimum, budget, null, null);
    }

    /**
     * Chunks whose cost per point, once measured, is kept in {@code costs} under {@code key} (the
     * method's feeds, {@link PointCosts#key}); where it is known already, every evaluation is sized
     * from the budget, the first included.
     */
    Chunks(int internalBatchSize, int examples, int total, int minimum, MemoryBudget budget, PointCosts costs,
            List<Object> key) {
        this.internalBatchSize = internalBatchSize;
        this.examples = examples;
        this.total = total;
        this.minimum = minimum;
        this.budget = budget;
        this.costs = costs;
        this.key = key;
        PointCosts.Cost c = costs == null ? null : costs.get(key);
        if (c != null) {
            bytesPerPoint = c.bytesPerPoint();
            largestPerPoint = c.largestPerPoint();
        }
    }

    /** The number of points of the next evaluation, {@code done} points being evaluated already. */
    int next(int done) {
        int size;
        if (internalBatchSize > 0) {
            size = Math.max(minimum, internalBatchSize / examples);
        } else if (bytesPerPoint < 0) {
            size = minimum;
        } else {
            size = (int) Math.min(budget.points(bytesPerPoint, minimum, total), Math.max(minimum, MAX_ARRAY / largestPerPoint));
        }
        return Math.min(size, total - done);
    }

    /** Learns the cost of one point from the trace of an evaluation of {@code points} points. */
    /** Whether the next chunk's run must be measured ({@link #measured}): no cost is known yet. */
    boolean measuring() {
        return bytesPerPoint < 0;
    }

    void measured(Trace trace, int points) {
        if (bytesPerPoint < 0 && points > 0) {
            bytesPerPoint = Math.max(1, MemoryBudget.BYTES_PER_VALUE_BYTE * trace.computedBytes() / points);
            for (Node n : trace.executed()) {
                for (String o : n.outputs()) {
                    if (!o.isEmpty() && trace.has(o)) {
                        largestPerPoint = Math.max(largestPerPoint, trace.value(o).size() / points);
                    }
                }
            }
            if (costs != null) {
                costs.put(key, new PointCosts.Cost(bytesPerPoint, largestPerPoint));
            }
        }
    }
}
