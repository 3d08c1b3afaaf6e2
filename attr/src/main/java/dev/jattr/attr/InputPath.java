package dev.jattr.attr;

import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Points on the straight input-space path from the baselines to the inputs, stacked step-major
 * as Captum expands them: row {@code k·N + i} is example i at the k-th point. Inputs that are not
 * attributed are repeated unchanged.
 */
final class InputPath {
    private final Map<String, Tensor> feeds;
    private final Map<String, Tensor> baselines;
    private final Map<String, Tensor> differences = new LinkedHashMap<>();

    /** The path from {@code baseFeeds} to {@code feeds} for the attributed inputs of {@code in}. */
    InputPath(AttributionInputs in, Map<String, Tensor> feeds, Map<String, Tensor> baseFeeds) {
        this.feeds = feeds;
        this.baselines = baseFeeds;
        for (String k : in.inputs().keySet()) {
            differences.put(k, Tensors.sub(feeds.get(k), baseFeeds.get(k)));
        }
    }

    /** The feeds for the points {@code alphas[from..to)}, b + α(x − b) each, stacked along dimension 0. */
    Map<String, Tensor> points(double[] alphas, int from, int to) {
        Map<String, Tensor> r = new LinkedHashMap<>();
        feeds.forEach((k, x) -> {
            Tensor d = differences.get(k);
            if (d == null) {
                r.put(k, Tensors.repeat0(x, to - from));
                return;
            }
            r.put(k, interpolate(baselines.get(k), d, alphas, from, to));
        });
        return r;
    }

    /**
     * {@code base + alphas[s]·diff} for s in {@code [from, to)}, stacked along dimension 0 (one
     * copy of {@code base}'s rows per point), computed in double and stored in {@code base}'s type.
     */
    static Tensor interpolate(Tensor base, Tensor diff, double[] alphas, int from, int to) {
        int m = base.size(), k = to - from;
        if (diff.size() != m || base.dtype() != diff.dtype() || !base.dtype().isFloating()) {
            throw new IllegalArgumentException("path endpoints differ: " + base.dtype() + java.util.Arrays.toString(base.shape())
                    + " and " + diff.dtype() + java.util.Arrays.toString(diff.shape()));
        }
        Tensor r = Tensor.zeros(base.dtype(), dev.jattr.graph.Shapes.withBatch(base.shape(), base.shape()[0] * k));
        if (base.dtype() == dev.jattr.graph.DType.F32) {
            float[] b = base.floats(), d = diff.floats(), o = r.floats();
            for (int s = 0; s < k; s++) {
                double a = alphas[from + s];
                int off = s * m;
                for (int i = 0; i < m; i++) {
                    o[off + i] = (float) (b[i] + a * d[i]);
                }
            }
        } else {
            double[] b = base.doubles(), d = diff.doubles(), o = r.doubles();
            for (int s = 0; s < k; s++) {
                double a = alphas[from + s];
                int off = s * m;
                for (int i = 0; i < m; i++) {
                    o[off + i] = b[i] + a * d[i];
                }
            }
        }
        return r;
    }
}
