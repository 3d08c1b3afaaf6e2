package dev.jattr.attr;

import dev.jattr.graph.BackwardRules;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Captum's LayerGradCam. For a layer value L of shape (N, C, *S) with gradient G = ∂f/∂L: the
 * gradient is averaged over the spatial dimensions 2… (kept as size 1; a value of 2 dimensions is
 * not averaged), Ḡ, and A = Σ_c Ḡ_c ⊙ L_c summed over the channel dimension, which is kept as
 * size 1, giving (N, 1, *S). With {@code reluAttributions}, A = max(A, 0). Without
 * {@code attrDimSummation} the channel sum is skipped and A = Ḡ ⊙ L has L's shape.
 * {@link LayerAttributions#interpolate} upsamples the result to the input's size.
 *
 * <p>Cost: one forward and one backward pass.
 */
public final class LayerGradCam extends LayerMethod {
    private final boolean reluAttributions;
    private final boolean attrDimSummation;

    private LayerGradCam(Builder b) {
        super(b);
        this.reluAttributions = b.reluAttributions;
        this.attrDimSummation = b.attrDimSummation;
    }

    /** A builder for {@code graph}. */
    public static Builder builder(Graph graph) {
        return new Builder(graph);
    }

    @Override
    protected Attribution compute(AttributionInputs inputs) {
        Trace trace = forwardWithLayers(runner.feeds(inputs));
        List<String> values = layerValues();
        Map<String, Tensor> grads = runner.gradients(trace, inputs.target(), inputs.batchSize(), values, BackwardRules.gradient());
        List<Tensor> result = new ArrayList<>();
        for (String v : values) {
            result.add(cam(v, trace.value(v), grads.get(v)));
        }
        return Attribution.of(result);
    }

    private Tensor cam(String name, Tensor layer, Tensor grad) {
        int[] shape = layer.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("LayerGradCam needs a layer value with a channel dimension; '" + name
                    + "' has shape " + java.util.Arrays.toString(shape));
        }
        int n = shape[0], c = shape[1], spatial = Shapes.product(shape, 2, shape.length);
        double[] mean = new double[n * c];
        for (int i = 0; i < n * c; i++) {
            double s = 0;
            for (int j = 0; j < spatial; j++) {
                s += grad.getDouble(i * spatial + j);
            }
            mean[i] = s / spatial;
        }
        int[] outShape = shape.clone();
        if (attrDimSummation) {
            outShape[1] = 1;
        }
        Tensor r = Tensor.zeros(layer.dtype(), outShape);
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                double g = mean[i * c + ch];
                for (int j = 0; j < spatial; j++) {
                    int src = (i * c + ch) * spatial + j;
                    int dst = attrDimSummation ? i * spatial + j : src;
                    r.setDouble(dst, r.getDouble(dst) + g * layer.getDouble(src));
                }
            }
        }
        return reluAttributions ? r.map(a -> Math.max(a, 0)) : r;
    }

    /** Builds {@link LayerGradCam}; defaults are Captum's. */
    public static final class Builder extends LayerMethod.Builder<Builder> {
        private boolean reluAttributions;
        private boolean attrDimSummation = true;

        private Builder(Graph graph) {
            super(graph);
        }

        /** Clamp the map at 0, Captum's {@code relu_attributions} (default false). */
        public Builder reluAttributions(boolean value) {
            reluAttributions = value;
            return this;
        }

        /** Sum over the channel dimension, Captum's {@code attr_dim_summation} (default true). */
        public Builder attrDimSummation(boolean value) {
            attrDimSummation = value;
            return this;
        }

        /** The method. */
        public LayerGradCam build() {
            return new LayerGradCam(this);
        }
    }
}
