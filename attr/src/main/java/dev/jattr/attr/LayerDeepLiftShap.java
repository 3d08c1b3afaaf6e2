package dev.jattr.attr;

import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Captum's LayerDeepLiftShap: {@link LayerDeepLift} against every baseline of a distribution,
 * averaged per example, A_i = (1/B) Σ_j DeepLift(x_i, x′_j).
 *
 * <p>Dimension 0 of each attributed input's baseline is the distribution (B ≥ 2 rows, as Captum
 * requires). The N·B pairs are laid out example-major, row i·B + j pairing input i with baseline
 * j; additional inputs and the target repeat each example B times. The delta is per pair, before
 * averaging: shape [N·B] in that order. Cost: one forward and one backward pass over 2·N·B rows.
 */
public final class LayerDeepLiftShap extends LayerMethod {
    private final DeepLiftCore core;

    private LayerDeepLiftShap(Builder b) {
        super(b);
        this.core = new DeepLiftCore(runner, layers, layerValues(), b);
    }

    /** A builder for {@code graph}. */
    public static Builder builder(Graph graph) {
        return new Builder(graph);
    }

    @Override
    protected Attribution compute(AttributionInputs inputs) {
        Map<String, Tensor> feeds = runner.feeds(inputs);
        int n = inputs.batchSize();
        int b = distributionSize(inputs, feeds);
        Map<String, Tensor> x = new LinkedHashMap<>(), base = new LinkedHashMap<>();
        feeds.forEach((k, v) -> {
            Tensor rows = Tensors.repeatInterleave0(v, b);
            x.put(k, rows);
            Tensor dist = inputs.baselines().get(k);
            base.put(k, dist == null ? rows : Tensors.repeat0(ModelRunner.convert(dist, v.dtype(), "baseline distribution of '" + k + "'"), n));
        });
        Attribution pairs = core.attribute(x, base, expand(inputs.target(), n, b), n * b);
        List<Tensor> mean = new ArrayList<>();
        for (Tensor a : pairs.values()) {
            mean.add(meanOverBaselines(a, n, b));
        }
        return new Attribution(mean, pairs.delta());
    }

    /** B, checked to be the same for every input, at least 2, and with the input's trailing shape. */
    private static int distributionSize(AttributionInputs inputs, Map<String, Tensor> feeds) {
        int b = -1;
        for (String k : inputs.inputs().keySet()) {
            Tensor dist = inputs.baselines().get(k);
            Tensor x = feeds.get(k);
            if (dist == null) {
                throw new IllegalArgumentException("LayerDeepLiftShap needs a baseline distribution for input '" + k + "'");
            }
            if (dist.rank() != x.rank() || !Arrays.equals(Arrays.copyOfRange(dist.shape(), 1, dist.rank()),
                    Arrays.copyOfRange(x.shape(), 1, x.rank()))) {
                throw new IllegalArgumentException("baselines of '" + k + "' have shape " + Arrays.toString(dist.shape())
                        + "; a distribution of rows shaped like the input " + Arrays.toString(x.shape()) + " is needed");
            }
            if (dist.dim(0) < 2) {
                throw new IllegalArgumentException("baselines of '" + k + "' hold " + dist.dim(0)
                        + " row; LayerDeepLiftShap needs a distribution of at least 2 (use LayerDeepLift for one baseline)");
            }
            if (b >= 0 && dist.dim(0) != b) {
                throw new IllegalArgumentException("baselines of '" + k + "' hold " + dist.dim(0) + " rows, those of another input " + b);
            }
            b = dist.dim(0);
        }
        return b;
    }

    /** The target for the example-major pairs: a per-example target repeats each entry b times. */
    private static Target expand(Target t, int n, int b) {
        if (!(t instanceof Target.PerExample p)) {
            return t;
        }
        if (p.indices().size() != n) {
            throw new IllegalArgumentException("target lists " + p.indices().size() + " indices for " + n + " examples");
        }
        List<int[]> rows = new ArrayList<>();
        p.indices().forEach(idx -> {
            for (int j = 0; j < b; j++) {
                rows.add(idx);
            }
        });
        return Target.perExample(rows);
    }

    private static Tensor meanOverBaselines(Tensor a, int n, int b) {
        int inner = a.size() / (n * b);
        int[] shape = a.shape().clone();
        shape[0] = n;
        return Tensor.generate(a.dtype(), shape, i -> {
            int row = i / inner, col = i % inner;
            double s = 0;
            for (int j = 0; j < b; j++) {
                s += a.getDouble((row * b + j) * inner + col);
            }
            return s / b;
        });
    }

    /** Builds {@link LayerDeepLiftShap}; defaults are Captum's. */
    public static final class Builder extends DeepLiftBuilder<Builder> {
        private Builder(Graph graph) {
            super(graph);
        }

        /** The method. */
        public LayerDeepLiftShap build() {
            return new LayerDeepLiftShap(this);
        }
    }
}
