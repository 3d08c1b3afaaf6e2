package dev.jattr.attr;

import dev.jattr.graph.Tensor;
import java.util.List;

/**
 * Captum's {@code custom_attribution_func} for the DeepLift methods: turns the multipliers into
 * attributions in place of the default {@code multipliers · (inputs − baselines)}. Each list holds
 * one tensor per attributed layer value, in the method's order; the result must too. Captum calls
 * its function with one, two or three of these arguments depending on its arity; a Java function
 * receives all three and uses what it needs.
 */
@FunctionalInterface
public interface CustomAttributionFunction {
    /**
     * The attributions.
     *
     * @param multipliers the DeepLift multipliers (∂-like gradients at the layer) of the examples
     * @param inputs      the layer values for the inputs
     * @param baselines   the layer values for the baselines
     */
    List<Tensor> apply(List<Tensor> multipliers, List<Tensor> inputs, List<Tensor> baselines);
}
