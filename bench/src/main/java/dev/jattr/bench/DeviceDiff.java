package dev.jattr.bench;

import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.Trace;
import dev.jattr.graph.io.Npy;
import dev.jattr.kernels.Backend;
import dev.jattr.kernels.Backends;
import dev.jattr.onnx.OnnxModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where two backends part ways on a model: runs one forward pass on each, keeping every value,
 * and prints per node the largest difference relative to the value's largest magnitude, in graph
 * order. {@code java ... dev.jattr.bench.DeviceDiff ZOO_DIR MODEL BACKEND_A BACKEND_B}.
 */
public final class DeviceDiff {
    private DeviceDiff() {}

    /**
     * Prints the differences.
     *
     * @param args the zoo folder, the model's name and two backend names
     */
    public static void main(String[] args) {
        Path zoo = Path.of(args[0]);
        String name = args[1];
        Backend a = Backends.byName(args[2]), b = Backends.byName(args[3]);
        Graph graph = OnnxModel.load(zoo.resolve("models/" + name + ".onnx")).graph();
        String input = graph.inputs().getFirst().name();
        Tensor x = Tensors.rows(Npy.read(zoo.resolve("arrays/" + name + ".attr.input.npy")).cast(DType.F32), 0, 1);
        List<String> all = graph.nodes().stream().flatMap(n -> n.outputs().stream()).filter(v -> !v.isEmpty()).toList();
        Trace ta = new Executor(graph, a).run(Map.of(input, x), all);
        Trace tb = new Executor(graph, b).run(Map.of(input, x), all);
        for (Node n : graph.nodes()) {
            for (String v : n.outputs()) {
                if (v.isEmpty() || !ta.has(v) || !tb.has(v) || !ta.value(v).dtype().isFloating()) {
                    continue;
                }
                Tensor va = ta.value(v), vb = tb.value(v);
                double max = 0, diff = 0;
                for (int i = 0; i < va.size(); i++) {
                    max = Math.max(max, Math.abs(va.getDouble(i)));
                    diff = Math.max(diff, Math.abs(va.getDouble(i) - vb.getDouble(i)));
                }
                System.out.printf(Locale.ROOT, "%-14s %-50s %10.3e %10.3e%n", n.op().type(), v, diff / Math.max(max, 1e-30), max);
            }
        }
    }
}
