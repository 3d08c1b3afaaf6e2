package dev.jattr.attr;

import dev.jattr.graph.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one point (path step, sample) of a method's evaluations costs in memory, learned from the
 * trace of its first evaluation with inputs of given types and shapes and kept for its later calls
 * with the same: those size every evaluation from the {@link MemoryBudget} at once, instead of
 * measuring one point first.
 */
final class PointCosts {
    /** Bytes per point as {@link Chunks} reckons them, and the elements of the largest value per point. */
    record Cost(long bytesPerPoint, long largestPerPoint) {}

    private final Map<List<Object>, Cost> known = new ConcurrentHashMap<>();

    /** The key of an evaluation fed {@code feeds}: each input's name, type and shape. */
    static List<Object> key(Map<String, Tensor> feeds) {
        List<Object> k = new ArrayList<>();
        feeds.forEach((name, t) -> {
            k.add(name);
            k.add(t.dtype());
            k.add(List.of(java.util.Arrays.stream(t.shape()).boxed().toArray()));
        });
        return List.copyOf(k);
    }

    /** The cost learned for {@code key}, or null. */
    Cost get(List<Object> key) {
        return known.get(key);
    }

    /** Keeps {@code cost} for {@code key}; at {@link #KEPT} shapes known, all are forgotten first (and measured again when they recur). */
    void put(List<Object> key, Cost cost) {
        if (known.size() >= KEPT) {
            known.clear(); // inputs of many shapes (variable-length sequences)
        }
        known.put(key, cost);
    }

    /** Input shapes whose cost a method keeps, as an executor keeps its last 32 plans. */
    static final int KEPT = 32;
}
