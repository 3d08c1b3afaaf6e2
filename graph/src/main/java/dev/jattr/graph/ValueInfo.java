package dev.jattr.graph;

import java.util.List;

/**
 * The declared type and shape of a graph input or output. Dimensions that are symbolic or
 * unknown (a dynamic batch) are {@code -1}; {@code dimNames} keeps the symbols ("batch").
 *
 * @param name     the value's name
 * @param dtype    its element type
 * @param dims     its dimensions, -1 where not fixed
 * @param dimNames symbolic names of dimensions, "" where none
 */
public record ValueInfo(String name, DType dtype, int[] dims, List<String> dimNames) {
    /** Copies the arrays. */
    public ValueInfo {
        dims = dims.clone();
        dimNames = List.copyOf(dimNames);
    }

    /** The shape as text, symbolic dimensions by name: {@code [batch, 3, 32, 32]}. */
    public String shapeText() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            b.append(i == 0 ? "" : ", ");
            b.append(dims[i] >= 0 ? String.valueOf(dims[i]) : dimNames.get(i).isEmpty() ? "?" : dimNames.get(i));
        }
        return b.append(']').toString();
    }
}
