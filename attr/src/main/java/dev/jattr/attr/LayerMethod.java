package dev.jattr.attr;

import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every layer method shares: the model, the layers it attributes to, and whether it
 * attributes to their inputs or outputs. Subclasses implement one Captum method each.
 */
public abstract class LayerMethod {
    /** Runs the model. */
    protected final ModelRunner runner;
    /** What one point of this method's evaluations costs, by the shapes of its inputs. */
    final PointCosts pointCosts = new PointCosts();
    /** The resolved layers, in the order given. */
    protected final List<Layer> layers;
    /** Captum's {@code attribute_to_layer_input}. */
    protected final boolean attributeToLayerInput;
    /** Where progress goes. */
    private final Progress progress;

    /** Resolves the builder's layers in its graph. */
    protected LayerMethod(Builder<?> b) {
        if (b.graph == null) {
            throw new IllegalArgumentException("no model given");
        }
        if (b.layerNames.isEmpty()) {
            throw new IllegalArgumentException("no layer given");
        }
        this.runner = b.output == null ? new ModelRunner(b.graph) : new ModelRunner(b.graph, b.output);
        this.attributeToLayerInput = b.attributeToLayerInput;
        this.progress = b.progress;
        this.layers = b.layerNames.stream().map(n -> Layer.resolve(b.graph, n, b.attributeToLayerInput)).toList();
    }

    /** The resolved layers. */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * Attributes the target output to the layers for the given inputs. The target is checked
     * first against the output's declared shape (when its dimensions after the batch are known),
     * and the result last: a NaN or infinite attribution or delta is an error, never a result.
     */
    public final Attribution attribute(AttributionInputs inputs) {
        if (usesTarget()) {
            runner.declaredExampleShape().ifPresent(each -> inputs.target().check(each, inputs.batchSize()));
        }
        Attribution a = compute(inputs);
        for (int t = 0; t < a.values().size(); t++) {
            requireFinite(a.values().get(t), "attribution of " + valueLabel(t));
        }
        a.delta().ifPresent(d -> requireFinite(d, "convergence delta"));
        return a;
    }

    /** The method's attribution, before the checks of {@link #attribute}. */
    protected abstract Attribution compute(AttributionInputs inputs);

    /** Whether the method reads the target (LayerActivation does not). */
    protected boolean usesTarget() {
        return true;
    }

    private void requireFinite(Tensor t, String what) {
        if (!t.dtype().isFloating()) {
            return;
        }
        for (int i = 0, n = t.size(); i < n; i++) {
            double v = t.getDouble(i);
            if (!Double.isFinite(v)) {
                throw new dev.jattr.graph.ExecutionException(getClass().getSimpleName() + " computed " + v + " in the " + what
                        + " (flat index " + i + "): the model overflows or divides by zero on these inputs or baselines,"
                        + " or along the path between them; check their scale");
            }
        }
    }

    /** "layer 'act' (/act/Relu_output_0)" for the t-th layer value. */
    private String valueLabel(int t) {
        String value = layerValues().get(t);
        for (Layer l : layers) {
            if (l.values().contains(value)) {
                return "layer '" + l.name() + "'" + (l.name().equals(value) ? "" : " (" + value + ")");
            }
        }
        return "'" + value + "'";
    }

    /**
     * Fails when one layer depends on another: the methods that replace layer values replace all
     * of them at once (as Captum's hooks do), so an upstream layer would receive no gradient.
     */
    protected void requireIndependentLayers() {
        for (Layer a : layers) {
            var downstream = runner.graph().descendants(new java.util.HashSet<>(a.values()));
            for (Layer b : layers) {
                if (a != b && b.values().stream().anyMatch(downstream::contains)) {
                    throw new IllegalArgumentException("layer '" + b.name() + "' depends on layer '" + a.name()
                            + "'; the layers of one attribution must not feed each other");
                }
            }
        }
    }

    /** Reports that {@code done} of {@code total} units of this method are complete. */
    protected void reportProgress(long done, long total) {
        progress.update(getClass().getSimpleName(), done, total);
    }

    /** Every layer value, flattened in layer order. */
    protected List<String> layerValues() {
        List<String> v = new ArrayList<>();
        layers.forEach(l -> v.addAll(l.values()));
        return v;
    }

    /** The values of {@code names} in {@code trace}. */
    protected static List<Tensor> read(Trace trace, List<String> names) {
        return names.stream().map(trace::value).toList();
    }

    /** A full forward run that also records the layer values (checked to be floating). */
    protected Trace forwardWithLayers(Map<String, Tensor> feeds) {
        Trace t = runner.run(feeds, layerValues());
        ModelRunner.requireFloating(t, layerValues());
        return t;
    }

    /**
     * Options common to all layer methods.
     *
     * @param <B> the concrete builder
     */
    public abstract static class Builder<B extends Builder<B>> {
        private Graph graph;
        private final List<String> layerNames = new ArrayList<>();
        private boolean attributeToLayerInput;
        private String output;
        private Progress progress = Progress.NONE;

        /** A builder for {@code graph}. */
        protected Builder(Graph graph) {
            this.graph = graph;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Adds a layer: a node name, tensor name or PyTorch module path. */
        public B layer(String name) {
            layerNames.add(name);
            return self();
        }

        /** Adds several layers. */
        public B layers(List<String> names) {
            layerNames.addAll(names);
            return self();
        }

        /** Attribute to the layers' inputs instead of their outputs (default false). */
        public B attributeToLayerInput(boolean value) {
            attributeToLayerInput = value;
            return self();
        }

        /** Receives progress after each evaluation of a long attribution (default: none). */
        public B progress(Progress listener) {
            progress = java.util.Objects.requireNonNull(listener, "progress");
            return self();
        }

        /** Explains this model output instead of the first one. */
        public B output(String name) {
            output = name;
            return self();
        }
    }
}
