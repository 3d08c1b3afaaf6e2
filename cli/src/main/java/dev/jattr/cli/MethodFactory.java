package dev.jattr.cli;

import dev.jattr.attr.IntegrationMethod;
import dev.jattr.attr.LayerActivation;
import dev.jattr.attr.LayerGradientXActivation;
import dev.jattr.attr.LayerIntegratedGradients;
import dev.jattr.attr.LayerMethod;
import dev.jattr.graph.Graph;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The layer methods the command line offers, by Captum name. Adding a method is one entry: its
 * name, a line of help, and how to build it from the graph and the {@link MethodOptions} (which
 * hold every argument by its Captum name, so a new method needs no new flag).
 */
public enum MethodFactory {
    /** The layer's values. */
    LAYER_ACTIVATION("LayerActivation", "the layer's values (no target)",
            (g, o) -> o.common(LayerActivation.builder(g)).build()),
    /** Gradient times activation. */
    LAYER_GRADIENT_X_ACTIVATION("LayerGradientXActivation", "gradient of the target times the layer's values",
            (g, o) -> o.common(LayerGradientXActivation.builder(g))
                    .multiplyByInputs(o.bool("multiply_by_inputs", true))
                    .build()),
    /** Integrated gradients in the layer's space. */
    LAYER_INTEGRATED_GRADIENTS("LayerIntegratedGradients", "integrated gradients from the baseline's layer values",
            (g, o) -> o.common(LayerIntegratedGradients.builder(g))
                    .nSteps(o.integer("n_steps", 50))
                    .method(IntegrationMethod.parse(o.string("method", "gausslegendre")))
                    .internalBatchSize(o.integer("internal_batch_size", 0))
                    .multiplyByInputs(o.bool("multiply_by_inputs", true))
                    .returnConvergenceDelta(o.bool("return_convergence_delta", false))
                    .build());

    private final String captumName;
    private final String summary;
    private final BiFunction<Graph, MethodOptions, LayerMethod> factory;

    MethodFactory(String captumName, String summary, BiFunction<Graph, MethodOptions, LayerMethod> factory) {
        this.captumName = captumName;
        this.summary = summary;
        this.factory = factory;
    }

    /** Captum's name of the method. */
    public String captumName() {
        return captumName;
    }

    /** One line saying what it computes. */
    public String summary() {
        return summary;
    }

    /** The method configured for {@code graph}; fails on an argument the method does not take. */
    public LayerMethod create(Graph graph, MethodOptions options) {
        LayerMethod m = factory.apply(graph, options);
        options.requireAllUsed(captumName);
        return m;
    }

    /** The method with Captum name {@code name}; fails listing the names when there is none. */
    public static MethodFactory forName(String name) {
        return Arrays.stream(values()).filter(m -> m.captumName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown method '" + name + "'; methods: " + names()));
    }

    /** The Captum names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(MethodFactory::captumName).collect(Collectors.joining(", "));
    }
}
