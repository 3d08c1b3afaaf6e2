package dev.jattr.attr;

import dev.jattr.graph.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one attribution call explains: the attributed model inputs (dimension 0 is the batch),
 * their baselines, inputs that feed the model but are not attributed (Captum's
 * {@code additional_forward_args}), and the target.
 *
 * @param inputs     attributed inputs by ONNX input name
 * @param baselines  baselines by input name; a missing one means zeros. A baseline may be a
 *                   scalar (rank 0) or have batch 1; it is broadcast to its input. For the SHAP
 *                   methods, dimension 0 is the baseline distribution instead.
 * @param additional non-attributed inputs by name
 * @param target     the output to explain
 */
public record AttributionInputs(Map<String, Tensor> inputs, Map<String, Tensor> baselines,
        Map<String, Tensor> additional, Target target) {
    /** Freezes the maps, keeping their order. */
    public AttributionInputs {
        inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        baselines = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(baselines));
        additional = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(additional));
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("an attribution needs at least one input");
        }
        for (String b : baselines.keySet()) {
            if (!inputs.containsKey(b)) {
                throw new IllegalArgumentException("baseline given for '" + b + "', which is not an attributed input "
                        + inputs.keySet());
            }
        }
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The batch size: dimension 0 of the first input. */
    public int batchSize() {
        Tensor first = inputs.values().iterator().next();
        if (first.rank() == 0) {
            throw new IllegalArgumentException("input '" + inputs.keySet().iterator().next() + "' has no batch dimension");
        }
        return first.dim(0);
    }

    /** Builds {@link AttributionInputs}. */
    public static final class Builder {
        private final Map<String, Tensor> inputs = new LinkedHashMap<>();
        private final Map<String, Tensor> baselines = new LinkedHashMap<>();
        private final Map<String, Tensor> additional = new LinkedHashMap<>();
        private Target target = Target.none();

        private Builder() {}

        /** Adds an attributed input. */
        public Builder input(String name, Tensor value) {
            inputs.put(name, value);
            return this;
        }

        /** Sets the baseline of input {@code name}. */
        public Builder baseline(String name, Tensor value) {
            baselines.put(name, value);
            return this;
        }

        /** Sets a scalar baseline for input {@code name}. */
        public Builder baseline(String name, double value) {
            baselines.put(name, Tensor.of(new double[] {value}));
            return this;
        }

        /** Adds a non-attributed input. */
        public Builder additional(String name, Tensor value) {
            additional.put(name, value);
            return this;
        }

        /** Sets the target (default: none). */
        public Builder target(Target target) {
            this.target = target;
            return this;
        }

        /** The inputs. */
        public AttributionInputs build() {
            return new AttributionInputs(inputs, baselines, additional, target);
        }
    }
}
