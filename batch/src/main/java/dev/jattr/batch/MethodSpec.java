package dev.jattr.batch;

import dev.jattr.attr.MethodArguments;
import dev.jattr.attr.MethodRegistry;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to compute for every example of a dataset: a Captum layer method at one layer, its
 * arguments by Captum name as text ({@code n_steps=50}), the target, and how many of the largest
 * attributions to list. Serializable, so that a Spark job ships it to its executors.
 *
 * @param method                the Captum method name, e.g. {@code LayerIntegratedGradients}
 * @param layer                 the layer: a PyTorch module path, ONNX node name or tensor name
 * @param arguments             other method arguments by Captum name, as text
 * @param attributeToLayerInput Captum's {@code attribute_to_layer_input}
 * @param modelOutput           the model output to explain, or null for the first
 * @param target                which output each example's attribution explains
 * @param baseline              the baseline of the attributed input (Captum's default: 0)
 * @param delta                 whether to compute the convergence delta, for methods that have one
 * @param topK                  how many attributions of largest magnitude to list per example
 */
public record MethodSpec(String method, String layer, Map<String, String> arguments, boolean attributeToLayerInput,
        String modelOutput, TargetChoice target, Baseline baseline, boolean delta, int topK) implements Serializable {
    /** The most units listed per example. */
    public static final int MAX_TOP_K = 10_000;
    /** The seed of random methods when none is given, so that a rerun computes the same values. */
    public static final long DEFAULT_SEED = 0;

    /** Checks and copies the arguments. */
    public MethodSpec {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        if (layer == null || layer.isBlank()) {
            throw new IllegalArgumentException("no layer given: give a module path (features.4), node name or tensor name");
        }
        MethodRegistry m = MethodRegistry.forName(method);
        arguments = Map.copyOf(new LinkedHashMap<>(arguments));
        for (String reserved : List.of("return_convergence_delta", "target", "baselines")) {
            if (arguments.containsKey(reserved)) {
                throw new IllegalArgumentException("argument " + reserved + " is set by jattr batch itself; leave it out");
            }
        }
        Objects.requireNonNull(baseline, "baseline");
        if (!m.takesBaselines() && !baseline.equals(Baseline.of(0))) {
            throw new IllegalArgumentException(method + " takes no baseline; leave --baseline out");
        }
        if (topK < 0 || topK > MAX_TOP_K) {
            throw new IllegalArgumentException("top-k " + topK + " is outside 0.." + MAX_TOP_K);
        }
        if (m == MethodRegistry.LAYER_ACTIVATION && !(target instanceof TargetChoice.Predicted)) {
            throw new IllegalArgumentException("LayerActivation takes no target");
        }
    }

    /** A spec with a number as the baseline. */
    public MethodSpec(String method, String layer, Map<String, String> arguments, boolean attributeToLayerInput, String modelOutput,
            TargetChoice target, double baseline, boolean delta, int topK) {
        this(method, layer, arguments, attributeToLayerInput, modelOutput, target, Baseline.of(baseline), delta, topK);
    }

    /** A spec with the defaults: target the prediction, baseline 0, the delta where the method has one, top 10. */
    public static MethodSpec of(String method, String layer, Map<String, String> arguments) {
        return new MethodSpec(method, layer, arguments, false, null, TargetChoice.predicted(), 0, true, 10);
    }

    /** The method. */
    public MethodRegistry registry() {
        return MethodRegistry.forName(method);
    }

    /** Whether the results carry a convergence delta. */
    public boolean computesDelta() {
        return delta && registry().hasConvergenceDelta();
    }

    /** The seed of a random method (the {@code seed} argument, or {@link #DEFAULT_SEED}). */
    public long seed() {
        String s = arguments.get("seed");
        if (s == null) {
            return DEFAULT_SEED;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed '" + s + "' is not an integer");
        }
    }

    /** The method's arguments, with {@code seed} replaced by {@code seed} when the method draws. */
    MethodArguments arguments(Long seed) {
        Map<String, String> args = new LinkedHashMap<>(arguments);
        if (seed != null) {
            args.put("seed", Long.toString(seed));
        }
        if (computesDelta()) {
            args.put("return_convergence_delta", "true");
        }
        return MethodArguments.fromText(List.of(layer), attributeToLayerInput, modelOutput, args, Map.of());
    }
}
