package dev.jattr.bench;

import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.LayerIntegratedGradients;
import dev.jattr.attr.Target;
import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the benchmark's LayerIntegratedGradients once with default arguments, in a JVM of its
 * own: {@code HeapProbe ZOO_DIR N_STEPS}. {@link BenchCommand} starts it with smaller and
 * smaller heaps ({@code -Xmx}) to find the least heap the run completes in; it exits 0 when the
 * attribution finished, and the JVM exits 3 when it ran out of memory
 * ({@code -XX:+ExitOnOutOfMemoryError}).
 */
public final class HeapProbe {
    private HeapProbe() {}

    /** Entry point. */
    public static void main(String[] args) {
        Path zoo = Path.of(args[0]);
        int steps = Integer.parseInt(args[1]);
        Graph graph = OnnxModel.load(zoo.resolve("models/" + BenchCommand.ATTR_MODEL + ".onnx")).graph();
        String input = graph.inputs().getFirst().name();
        Path p = zoo.resolve("arrays/" + BenchCommand.ATTR_MODEL + ".attr.input.npy");
        Tensor t = Files.exists(p) ? Npy.read(p) : Npy.read(zoo.resolve("arrays/" + BenchCommand.ATTR_MODEL + ".input.npy"));
        Tensor image = Tensors.rows(t.cast(DType.F32), 0, 1);
        var in = AttributionInputs.builder().input(input, image).baseline(input, 0.0).target(Target.index(BenchCommand.ATTR_TARGET)).build();
        LayerIntegratedGradients.builder(graph).layer(BenchCommand.ATTR_LAYER).nSteps(steps).build().attribute(in);
        System.exit(0);
    }
}
