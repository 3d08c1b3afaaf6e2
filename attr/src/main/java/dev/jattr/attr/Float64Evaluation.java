package dev.jattr.attr;

import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a float32 model in float64: the feeds and every floating constant are widened and given
 * to the executor as known values (which take precedence over constants), so every op computes in
 * double. Used where Captum's float64 reference needs more than float32 can hold, e.g. a
 * convergence delta that is exactly zero in theory next to outputs in the hundreds.
 */
final class Float64Evaluation {
    private final Map<String, Tensor> constants = new LinkedHashMap<>();

    /** Widens the floating constants of {@code graph} once. */
    Float64Evaluation(Graph graph) {
        graph.constants().forEach((k, v) -> {
            if (v.dtype().isFloating() && v.dtype() != DType.F64) {
                constants.put(k, v.cast(DType.F64));
            }
        });
    }

    /** The known values for a float64 run from {@code feeds}: widened floating feeds plus widened constants. */
    Map<String, Tensor> known(Map<String, Tensor> feeds) {
        Map<String, Tensor> known = new LinkedHashMap<>(constants);
        feeds.forEach((k, v) -> known.put(k, v.dtype().isFloating() ? v.cast(DType.F64) : v));
        return known;
    }
}
