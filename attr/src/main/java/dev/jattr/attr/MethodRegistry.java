package dev.jattr.attr;

import dev.jattr.graph.Graph;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The eleven layer methods by Captum name, each built from a graph and {@link MethodArguments}
 * read by Captum's argument names. The parity runner and the command line both configure methods
 * here, so adding a method is one entry.
 */
public enum MethodRegistry {
    /** The layer's values. */
    LAYER_ACTIVATION("LayerActivation", "the layer's values (no target)", false, false, false,
            (g, a) -> a.common(LayerActivation.builder(g)).build()),
    /** Gradient times activation. */
    LAYER_GRADIENT_X_ACTIVATION("LayerGradientXActivation", "target gradient times the layer's values", false, false, false,
            (g, a) -> a.common(LayerGradientXActivation.builder(g)).multiplyByInputs(a.bool("multiply_by_inputs", true)).build()),
    /** Integrated gradients in the layer's space. */
    LAYER_INTEGRATED_GRADIENTS("LayerIntegratedGradients", "integrated gradients in the layer's space", true, false, false,
            (g, a) -> path(a, LayerIntegratedGradients.builder(g))
                    .multiplyByInputs(a.bool("multiply_by_inputs", true))
                    .returnConvergenceDelta(a.bool("return_convergence_delta", false)).build()),
    /** Layer gradients integrated along the input-space path. */
    INTERNAL_INFLUENCE("InternalInfluence", "layer gradients integrated along the input path", false, false, false,
            (g, a) -> path(a, InternalInfluence.builder(g)).build()),
    /** Conductance. */
    LAYER_CONDUCTANCE("LayerConductance", "gradients times layer changes on the input path", true, false, false,
            (g, a) -> path(a, LayerConductance.builder(g)).returnConvergenceDelta(a.bool("return_convergence_delta", false)).build()),
    /** Grad-CAM. */
    LAYER_GRAD_CAM("LayerGradCam", "channel-mean gradients times activations", false, false, false,
            (g, a) -> a.common(LayerGradCam.builder(g)).reluAttributions(a.bool("relu_attributions", false))
                    .attrDimSummation(a.bool("attr_dim_summation", true)).build()),
    /** Ablation of layer neurons or groups. */
    LAYER_FEATURE_ABLATION("LayerFeatureAblation", "output change when layer features are ablated", false, false, false,
            (g, a) -> a.common(LayerFeatureAblation.builder(g)).layerBaselines(a.tensors("layer_baselines"))
                    .layerMask(a.tensors("layer_mask")).perturbationsPerEval(a.positive("perturbations_per_eval", 1)).build()),
    /** Gradient SHAP. */
    LAYER_GRADIENT_SHAP("LayerGradientShap", "expected gradient × layer change, random baselines", true, true, false,
            (g, a) -> {
                var b = a.common(LayerGradientShap.builder(g)).nSamples(a.between("n_samples", 1, LayerGradientShap.MAX_SAMPLES, 5))
                        .stdevs(a.numbers("stdevs", 0.0, 0.0)).multiplyByInputs(a.bool("multiply_by_inputs", true))
                        .returnConvergenceDelta(a.bool("return_convergence_delta", false));
                if (a.get("seed") != null) {
                    b.seed(a.longValue("seed", 0));
                }
                return b.build();
            }),
    /** DeepLift (Rescale). */
    LAYER_DEEP_LIFT("LayerDeepLift", "Rescale multipliers times layer differences", true, false, true,
            (g, a) -> deepLift(a, LayerDeepLift.builder(g)).build()),
    /** DeepLift SHAP. */
    LAYER_DEEP_LIFT_SHAP("LayerDeepLiftShap", "DeepLift averaged over a baseline distribution", true, false, true,
            (g, a) -> deepLift(a, LayerDeepLiftShap.builder(g)).build()),
    /** Layer-wise relevance propagation. */
    LAYER_LRP("LayerLRP", "relevance propagation: epsilon, gamma, alpha1-beta0", true, false, false,
            (g, a) -> {
                var b = a.common(LayerLRP.builder(g)).returnConvergenceDelta(a.bool("return_convergence_delta", false));
                a.lrpRules("rules").forEach(b::rule);
                return b.build();
            });

    private final String captumName;
    private final String summary;
    private final boolean convergenceDelta;
    private final boolean random;
    private final boolean couplesRows;
    private final BiFunction<Graph, MethodArguments, LayerMethod> factory;

    MethodRegistry(String captumName, String summary, boolean convergenceDelta, boolean random, boolean couplesRows,
            BiFunction<Graph, MethodArguments, LayerMethod> factory) {
        this.captumName = captumName;
        this.summary = summary;
        this.convergenceDelta = convergenceDelta;
        this.random = random;
        this.couplesRows = couplesRows;
        this.factory = factory;
    }

    private static <B extends PathBuilder<B>> B path(MethodArguments a, B b) {
        return a.common(b).nSteps(a.between("n_steps", 1, PathBuilder.MAX_STEPS, 50))
                .method(a.choice("method", "gausslegendre", IntegrationMethod::parse))
                .internalBatchSize(a.positive("internal_batch_size", 0));
    }

    private static <B extends DeepLiftBuilder<B>> B deepLift(MethodArguments a, B b) {
        return a.common(b).multiplyByInputs(a.bool("multiply_by_inputs", true))
                .returnConvergenceDelta(a.bool("return_convergence_delta", false));
    }

    /** Captum's name of the method. */
    public String captumName() {
        return captumName;
    }

    /** One line saying what it computes. */
    public String summary() {
        return summary;
    }

    /** Whether the method takes Captum's {@code return_convergence_delta}. */
    public boolean hasConvergenceDelta() {
        return convergenceDelta;
    }

    /** Whether the method draws random numbers (and so takes a {@code seed}). */
    public boolean draws() {
        return random;
    }

    /**
     * Whether an example's attribution may depend on the other examples of the call, as Captum
     * defines the method: DeepLift's Softmax rule subtracts a mean over the whole batch, and its
     * MaxPool rule falls back to batch row 0's gradient (Captum 0.8.0, reproduced for parity).
     */
    public boolean couplesRows() {
        return couplesRows;
    }

    /** Whether the method reads baselines of the inputs (Captum's {@code baselines}). */
    public boolean takesBaselines() {
        return switch (this) {
            case LAYER_INTEGRATED_GRADIENTS, INTERNAL_INFLUENCE, LAYER_CONDUCTANCE, LAYER_GRADIENT_SHAP, LAYER_DEEP_LIFT,
                    LAYER_DEEP_LIFT_SHAP -> true;
            case LAYER_ACTIVATION, LAYER_GRADIENT_X_ACTIVATION, LAYER_GRAD_CAM, LAYER_FEATURE_ABLATION, LAYER_LRP -> false;
        };
    }

    /** The method configured for {@code graph}; fails on an argument the method does not take. */
    public LayerMethod create(Graph graph, MethodArguments args) {
        LayerMethod m = factory.apply(graph, args);
        args.requireAllUsed(captumName);
        return m;
    }

    /** The method with Captum name {@code name}; fails listing the names when there is none. */
    public static MethodRegistry forName(String name) {
        return Arrays.stream(values()).filter(m -> m.captumName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown method '" + name + "'"
                        + ClosestNames.didYouMean(name, Arrays.stream(values()).map(MethodRegistry::captumName).toList())
                        + "; methods: " + names()));
    }

    /** The Captum names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(MethodRegistry::captumName).collect(Collectors.joining(", "));
    }
}
