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
            List<Tensor> steps = new ArrayList<>(to - from);
            for (int s = from; s < to; s++) {
                double a = alphas[s];
                steps.add(Tensors.zip(baselines.get(k), d, (b, dd) -> b + a * dd));
            }
            r.put(k, Tensors.concat0(steps));
        });
        return r;
    }
}
