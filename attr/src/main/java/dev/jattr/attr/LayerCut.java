package dev.jattr.attr;

import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.Trace;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph cut at a layer, for methods that run only the part after it. The nodes after the
 * layer read, besides the layer, values of other paths ("the frontier"); those keep the values
 * of the original inputs, as in Captum, and are reused from the original run, repeated along the
 * batch. Values that depend on the batch size as metadata (Shape, Size) cannot be reused that
 * way; when the part after the layer needs one, the model inputs are given too and the executor
 * recomputes them.
 */
final class LayerCut {
    private final Set<String> frontier = new LinkedHashSet<>();
    private final Set<String> batched;
    private final boolean needsInputs;

    LayerCut(Graph graph, List<String> layerValues, String output) {
        Set<String> after = graph.descendants(new HashSet<>(layerValues));
        if (!after.contains(output)) {
            frontier.add(output); // the output does not depend on the layer: it keeps its value
        }
        Set<String> meta = batchMetadata(graph);
        Set<String> roots = new HashSet<>();
        graph.inputs().forEach(i -> roots.add(i.name()));
        this.batched = graph.descendants(roots);
        boolean inputs = false;
        for (Node n : graph.nodes()) {
            if (n.inputs().stream().noneMatch(after::contains)) {
                continue;
            }
            for (String v : n.inputs()) {
                if (v.isEmpty() || after.contains(v) || graph.isConstant(v)) {
                    continue;
                }
                if (meta.contains(v)) {
                    inputs = true;
                } else {
                    frontier.add(v);
                }
            }
        }
        this.needsInputs = inputs;
    }

    /** Values computed from Shape or Size of something, which change with the batch size. */
    private static Set<String> batchMetadata(Graph graph) {
        Set<String> meta = new HashSet<>();
        for (Node n : graph.nodes()) {
            String t = n.op().type();
            if (t.equals("Shape") || t.equals("Size") || n.inputs().stream().anyMatch(meta::contains)) {
                n.outputs().forEach(meta::add);
            }
        }
        return meta;
    }

    /**
     * The known values for running the part after the layer on {@code repeats} stacked copies of
     * the batch: the frontier from {@code original}, repeated; plus the repeated feeds when needed.
     */
    Map<String, Tensor> known(Trace original, Map<String, Tensor> feeds, int repeats) {
        Map<String, Tensor> known = new LinkedHashMap<>();
        for (String v : frontier) {
            if (original.has(v)) {
                Tensor t = original.value(v);
                known.put(v, batched.contains(v) ? Tensors.repeat0(t, repeats) : t);
            }
        }
        if (needsInputs) {
            feeds.forEach((k, v) -> known.putIfAbsent(k, Tensors.repeat0(v, repeats)));
        }
        return known;
    }
}
