package dev.jattr.attr;

import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Captum's LayerFeatureAblation: the layer's elements are grouped into features by an integer
 * mask, and each feature f is ablated in turn, replacing its elements by the layer baseline;
 * every element of f gets A = f(x) − f(x with the layer's feature f ablated), per example. By
 * default every element of one example is its own feature (ids shared across the batch) and
 * the baseline is 0. With several layer values, the features of each value are ablated
 * separately, the others keeping their values; such values must not depend on each other.
 *
 * <p>The graph before the layer runs once; each evaluation runs only the part after the layer,
 * on {@code perturbationsPerEval} ablated copies of the batch stacked feature-major. Cost: one
 * forward pass plus ⌈features / perturbationsPerEval⌉ forward passes of the part after the
 * layer; no backward pass.
 *
 * <p>Difference from Captum: Captum does not expand a per-example target over the stacked
 * copies, so a per-example target list fails there when {@code perturbations_per_eval > 1};
 * here each copy uses its example's target, giving the result of
 * {@code perturbations_per_eval = 1}. With no target the model must give one number per example
 * (Captum then attributes every output element separately).
 */
public final class LayerFeatureAblation extends LayerMethod {
    private final List<Tensor> layerBaselines;
    private final List<Tensor> layerMasks;
    private final int perturbationsPerEval;
    private final LayerCut cut;

    private LayerFeatureAblation(Builder b) {
        super(b);
        if (b.perturbationsPerEval < 1) {
            throw new IllegalArgumentException("perturbations_per_eval must be at least 1, got " + b.perturbationsPerEval);
        }
        int count = layerValues().size();
        requireOnePerValue("layer_baselines", b.layerBaselines, count);
        requireOnePerValue("layer_mask", b.layerMasks, count);
        for (Tensor m : b.layerMasks) {
            if (m.dtype().isFloating() || m.dtype() == DType.BOOL) {
                throw new IllegalArgumentException("layer_mask must be an integer tensor, got " + m.dtype());
            }
        }
        this.layerBaselines = b.layerBaselines;
        this.layerMasks = b.layerMasks;
        this.perturbationsPerEval = b.perturbationsPerEval;
        this.cut = new LayerCut(runner.graph(), layerValues(), runner.output());
    }

    private void requireOnePerValue(String what, List<Tensor> given, int count) {
        if (given.size() > 1 && given.size() != count) {
            throw new IllegalArgumentException(what + " gives " + given.size() + " tensors for " + count + " layer values "
                    + layerValues());
        }
    }

    /** A builder for {@code graph}. */
    public static Builder builder(Graph graph) {
        return new Builder(graph);
    }

    @Override
    protected Attribution compute(AttributionInputs inputs) {
        Map<String, Tensor> feeds = runner.feeds(inputs);
        Trace tx = forwardWithLayers(feeds);
        int n = inputs.batchSize();
        Tensor out = tx.value(runner.output());
        if (inputs.target() instanceof Target.None && out.size() != out.dim(0)) {
            throw new IllegalArgumentException("LayerFeatureAblation without a target needs one output number per example; output '"
                    + runner.output() + "' has shape " + Arrays.toString(out.shape()));
        }
        double[] initial = inputs.target().select(out, n);
        List<String> values = layerValues();
        List<Tensor> result = new ArrayList<>();
        for (int li = 0; li < values.size(); li++) {
            result.add(ablate(values, li, tx, feeds, inputs.target(), initial, out.dtype()));
        }
        return Attribution.of(result);
    }

    private Tensor ablate(List<String> values, int li, Trace tx, Map<String, Tensor> feeds, Target target, double[] initial,
            DType type) {
        String v = values.get(li);
        Tensor layer = tx.value(v);
        int n = layer.dim(0), inner = layer.size() / n;
        long[] ids = maskIds(v, layer);
        Tensor base = pick(layerBaselines, li);
        base = base == null ? Tensor.zeros(layer.dtype(), layer.shape())
                : ModelRunner.broadcastTo(base.cast(layer.dtype()), layer, "layer_baselines for '" + v + "'");
        Map<Long, List<Integer>> features = new TreeMap<>();
        for (int p = 0; p < ids.length; p++) {
            features.computeIfAbsent(ids[p], x -> new ArrayList<>()).add(p);
        }
        List<List<Integer>> groups = new ArrayList<>(features.values());
        double[] attr = new double[layer.size()];
        for (int g0 = 0; g0 < groups.size(); g0 += perturbationsPerEval) {
            int m = Math.min(perturbationsPerEval, groups.size() - g0);
            Tensor batch = Tensors.repeat0(layer, m);
            for (int j = 0; j < m; j++) {
                for (int p : groups.get(g0 + j)) {
                    batch.setDouble(j * layer.size() + p, base.getDouble(p));
                }
            }
            Map<String, Tensor> known = cut.known(tx, feeds, m);
            for (String w : values) {
                known.put(w, w.equals(v) ? batch : Tensors.repeat0(tx.value(w), m));
            }
            Tensor out = runner.run(known, List.of()).value(runner.output());
            if (out.rank() == 0 || out.dim(0) != m * n) {
                throw new IllegalArgumentException("perturbations_per_eval " + perturbationsPerEval + " needs an output whose "
                        + "dimension 0 grows with the batch; output '" + runner.output() + "' has shape "
                        + Arrays.toString(out.shape()) + " for " + m * n + " rows");
            }
            double[] ablated = target.select(out, n);
            for (int j = 0; j < m; j++) {
                for (int p : groups.get(g0 + j)) {
                    int i = p / inner;
                    attr[p] = initial[i] - ablated[j * n + i];
                }
            }
            reportProgress(g0 + m, groups.size());
        }
        return Tensor.generate(type, layer.shape(), p -> attr[p]);
    }

    private static Tensor pick(List<Tensor> given, int index) {
        return given.isEmpty() ? null : given.get(given.size() == 1 ? 0 : index);
    }

    /** The feature id of every element of {@code layer}: the mask broadcast to it, or one id per element of an example. */
    private long[] maskIds(String value, Tensor layer) {
        int[] shape = layer.shape();
        int inner = layer.size() / shape[0];
        Tensor mask = pick(layerMasks, layerValues().indexOf(value));
        long[] ids = new long[layer.size()];
        if (mask == null) {
            for (int p = 0; p < ids.length; p++) {
                ids[p] = p % inner;
            }
            return ids;
        }
        int[] ms = mask.shape();
        boolean fits = ms.length <= shape.length;
        for (int d = 0; fits && d < ms.length; d++) {
            int dim = ms[ms.length - 1 - d];
            fits = dim == 1 || dim == shape[shape.length - 1 - d];
        }
        if (!fits) {
            throw new IllegalArgumentException("layer_mask of shape " + Arrays.toString(ms) + " does not broadcast to layer value '"
                    + value + "' of shape " + Arrays.toString(shape) + " (dimension 0 must be 1 or the batch size)");
        }
        int[] strides = Shapes.broadcastStrides(ms, shape);
        int[] idx = new int[shape.length];
        for (int p = 0; p < ids.length; p++) {
            int at = 0;
            for (int d = 0; d < shape.length; d++) {
                at += idx[d] * strides[d];
            }
            ids[p] = mask.getLong(at);
            for (int d = shape.length - 1; d >= 0 && ++idx[d] == shape[d]; d--) {
                idx[d] = 0;
            }
        }
        return ids;
    }

    /** Builds {@link LayerFeatureAblation}; defaults are Captum's. */
    public static final class Builder extends LayerMethod.Builder<Builder> {
        private List<Tensor> layerBaselines = List.of();
        private List<Tensor> layerMasks = List.of();
        private int perturbationsPerEval = 1;

        private Builder(Graph graph) {
            super(graph);
        }

        /** Captum's {@code layer_baselines} as one number for every element (default 0). */
        public Builder layerBaselines(double value) {
            layerBaselines = List.of(Tensor.of(new double[] {value}));
            return this;
        }

        /**
         * Captum's {@code layer_baselines} as tensors broadcast to the layer values: one for all
         * values, or one per layer value (default 0).
         */
        public Builder layerBaselines(Tensor... values) {
            layerBaselines = List.of(values);
            return this;
        }

        /**
         * Captum's {@code layer_mask}: integer tensors of feature ids broadcast to the layer values
         * (dimension 0 is 1, shared by the batch, or the batch size); one for all values, or one per
         * layer value. Default: every element of an example is its own feature.
         */
        public Builder layerMask(Tensor... masks) {
            layerMasks = List.of(masks);
            return this;
        }

        /** Captum's {@code perturbations_per_eval}: ablated copies evaluated together (default 1). */
        public Builder perturbationsPerEval(int value) {
            perturbationsPerEval = value;
            return this;
        }

        /** The method. */
        public LayerFeatureAblation build() {
            return new LayerFeatureAblation(this);
        }
    }
}
