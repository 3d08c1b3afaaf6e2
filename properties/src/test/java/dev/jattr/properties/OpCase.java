package dev.jattr.properties;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One generated application of an op: the op record and its inputs (float64 for gradient checks).
 *
 * @param op     the op under test
 * @param inputs its inputs; null entries are optional inputs left out
 */
public record OpCase(Op op, Tensor... inputs) {
    @Override
    public String toString() {
        return op + " on " + Arrays.stream(inputs).map(t -> t == null ? "null" : t.dtype() + Arrays.toString(t.shape()))
                .collect(Collectors.joining(", "));
    }
}
