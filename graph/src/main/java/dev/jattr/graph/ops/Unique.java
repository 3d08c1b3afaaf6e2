package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * ONNX Unique: the distinct elements of the flattened input, or the distinct slices along
 * {@code axis}, sorted ascending (slices lexicographically) or in order of first occurrence; with
 * each one's first index, the inverse map from every input element or slice to its unique, and
 * the counts. It has no gradient.
 *
 * @param axis   the axis whose slices are compared, or null to flatten
 * @param sorted whether the uniques are sorted
 */
public record Unique(Integer axis, boolean sorted) implements Op {
    @Override
    public String type() {
        return "Unique";
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return true;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        int[] s = axis == null ? new int[] {x.size()} : x.shape();
        int a = axis == null ? 0 : Shapes.axis(axis, s.length);
        int outer = Shapes.product(s, 0, a), units = s[a], inner = Shapes.product(s, a + 1, s.length);
        double[][] slice = new double[units][outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int u = 0; u < units; u++) {
                for (int i = 0; i < inner; i++) {
                    slice[u][o * inner + i] = x.getDouble((o * units + u) * inner + i);
                }
            }
        }
        Comparator<Integer> bySlice = (p, q) -> Arrays.compare(slice[p], slice[q]);
        List<Integer> first = new ArrayList<>();
        TreeMap<Integer, Integer> seen = new TreeMap<>(bySlice);
        long[] inverse = new long[units];
        for (int u = 0; u < units; u++) {
            Integer found = seen.get(u);
            if (found == null) {
                found = first.size();
                first.add(u);
                seen.put(u, found);
            }
            inverse[u] = found;
        }
        List<Integer> order = new ArrayList<>(first);
        if (sorted) {
            order.sort(bySlice);
        }
        int count = order.size();
        long[] rank = new long[count], indices = new long[count], counts = new long[count];
        for (int k = 0; k < count; k++) {
            rank[seen.get(order.get(k))] = k;
            indices[k] = order.get(k);
        }
        for (int u = 0; u < units; u++) {
            inverse[u] = rank[(int) inverse[u]];
            counts[(int) inverse[u]]++;
        }
        int[] ys = s.clone();
        ys[a] = count;
        Tensor y = Tensor.zeros(x.dtype(), ys);
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < count; k++) {
                for (int i = 0; i < inner; i++) {
                    y.setDouble((o * count + k) * inner + i, slice[order.get(k)][o * inner + i]);
                }
            }
        }
        return new Tensor[] {y, Tensor.of(indices, count), Tensor.of(inverse, units), Tensor.of(counts, count)};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
