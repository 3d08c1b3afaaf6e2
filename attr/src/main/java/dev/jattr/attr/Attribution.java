package dev.jattr.attr;

import dev.jattr.graph.Tensor;
import java.util.List;
import java.util.Optional;

/**
 * The result of a layer attribution: one tensor per attributed layer value (in the order of the
 * layers, and of each layer's values), and the convergence delta per example when asked for.
 *
 * @param values the attributions
 * @param delta  the convergence delta, when the method computed one
 */
public record Attribution(List<Tensor> values, Optional<Tensor> delta) {
    /** Freezes the list. */
    public Attribution {
        values = List.copyOf(values);
    }

    /** An attribution without delta. */
    public static Attribution of(List<Tensor> values) {
        return new Attribution(values, Optional.empty());
    }

    /** The only attribution tensor; fails if there are several. */
    public Tensor single() {
        if (values.size() != 1) {
            throw new IllegalStateException("the attribution holds " + values.size() + " tensors");
        }
        return values.getFirst();
    }
}
