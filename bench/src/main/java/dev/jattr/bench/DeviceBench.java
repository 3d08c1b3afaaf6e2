package dev.jattr.bench;

import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.LayerConductance;
import dev.jattr.attr.LayerIntegratedGradients;
import dev.jattr.attr.LayerMethod;
import dev.jattr.attr.Target;
import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.io.Npy;
import dev.jattr.kernels.Backend;
import dev.jattr.kernels.Backends;
import dev.jattr.onnx.OnnxModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * jattr's own timings on one backend, without ONNX Runtime (for machines that have none, such as
 * the GPU check's): the forward of every zoo model at batch 1 and 50, and LayerIntegratedGradients
 * and LayerConductance (n_steps 50, one image, target 3) at {@code features.4} of EfficientNet-B0,
 * the workloads of {@link BenchCommand}, and LayerIntegratedGradients on every zoo model. Medians of the timed runs after the warm-up.
 *
 * <p>{@code java ... dev.jattr.bench.DeviceBench ZOO_DIR BACKEND [RUNS] [JSON] [profile|profile1]}
 * (a profile by op type at batch 50 and 1, or at batch 1 only), BACKEND being a
 * backend name ({@code cpu}, {@code cuda}).
 */
public final class DeviceBench {
    private DeviceBench() {}

    /**
     * Runs the timings.
     *
     * @param args the zoo folder, the backend's name, optionally the timed runs (default 10) and a JSON path
     * @throws IOException when a model or the JSON cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("jattr: usage: DeviceBench ZOO_DIR BACKEND [RUNS] [JSON]");
            System.exit(2);
        }
        Path zoo = Path.of(args[0]);
        Backend backend;
        try {
            backend = Backends.byName(args[1]);
        } catch (IllegalStateException e) {
            System.err.println("jattr: " + e.getMessage());
            System.exit(2);
            return;
        }
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        PrintStream out = System.out;
        List<String> rows = new ArrayList<>();
        out.println("backend: " + backend.description());
        CurrentBackend.call(backend, () -> {
            try {
                forward(zoo, runs, out, rows);
                attribution(zoo, runs, out, rows);
                zooAttribution(zoo, runs, out, rows);
                if (args.length > 4 && args[4].startsWith("profile")) {
                    if (!args[4].equals("profile1")) {
                        profile(zoo, runs, out, 50);
                    }
                    profile(zoo, runs, out, 1);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
        if (!replayMismatches.isEmpty()) {
            System.err.println("jattr: later forward runs differ from first ones: " + String.join("; ", replayMismatches));
            System.exit(1);
        }
        if (args.length > 3) {
            Files.writeString(Path.of(args[3]), "{\"backend\": \"" + backend.name() + "\", \"results\": [\n  "
                    + String.join(",\n  ", rows) + "\n]}\n");
        }
    }

    /** The forward runs whose later outputs differed from a first run's (a replay gone wrong). */
    private static final List<String> replayMismatches = new ArrayList<>();

    /** max |a − b| / max |b|, NaN where either has a NaN. */
    private static double relativeDifference(Tensor a, Tensor b) {
        double diff = 0, scale = 0;
        for (int i = 0; i < b.size(); i++) {
            diff = Math.max(diff, Math.abs(a.getDouble(i) - b.getDouble(i)));
            scale = Math.max(scale, Math.abs(b.getDouble(i)));
            if (Double.isNaN(a.getDouble(i)) || Double.isNaN(b.getDouble(i))) {
                return Double.NaN;
            }
        }
        return diff / Math.max(scale, 1e-30);
    }

    private static void forward(Path zoo, int runs, PrintStream out, List<String> rows) throws IOException {
        List<String> models = models(zoo);
        out.printf(Locale.ROOT, "%-22s %6s %12s %14s%n", "forward", "batch", "jattr ms", "op by op ms");
        for (String name : models) {
            Graph graph = OnnxModel.load(zoo.resolve("models/" + name + ".onnx")).graph();
            String input = graph.inputs().getFirst().name();
            Tensor one = Tensors.rows(Npy.read(zoo.resolve("arrays/" + name + ".input.npy")).cast(DType.F32), 0, 1);
            for (int batch : new int[] {1, 50}) {
                Tensor x = Tensors.repeat0(one, batch);
                Executor ex = new Executor(graph);
                double ms = median(() -> ex.forward(Map.of(input, x)), runs);
                Executor opByOp = ex.opByOp();
                double opsMs = median(() -> opByOp.forward(Map.of(input, x)), runs);
                // the executor now replays its pass where the backend records one: on a new input
                // its output must be that of a first, op-by-op, run of a fresh executor
                Tensor other = x.map(v -> 0.5 * v + 0.1);
                String output = graph.outputs().getFirst().name();
                double diff = relativeDifference(ex.forward(Map.of(input, other)).get(output),
                        new Executor(graph).forward(Map.of(input, other)).get(output));
                if (!(diff <= 1e-4)) {
                    replayMismatches.add(name + " batch " + batch + ": " + diff);
                }
                out.printf(Locale.ROOT, "%-22s %6d %12.2f %14.2f   (a later run against a first: %.1e)%n", name, batch, ms,
                        opsMs, diff);
                rows.add(String.format(Locale.ROOT, "{\"workload\": \"forward\", \"model\": \"%s\", \"batch\": %d, "
                        + "\"jattr_ms\": %.3f, \"op_by_op_ms\": %.3f}", name, batch, ms, opsMs));
            }
        }
    }

    private static void attribution(Path zoo, int runs, PrintStream out, List<String> rows) throws IOException {
        String model = BenchCommand.ATTR_MODEL, layer = BenchCommand.ATTR_LAYER;
        Graph graph = OnnxModel.load(zoo.resolve("models/" + model + ".onnx")).graph();
        AttributionInputs in = attributionInputs(zoo, model, graph);
        List<LayerMethod> methods = List.of(
                LayerIntegratedGradients.builder(graph).layer(layer).nSteps(BenchCommand.ATTR_STEPS).build(),
                LayerConductance.builder(graph).layer(layer).nSteps(BenchCommand.ATTR_STEPS).build());
        out.printf(Locale.ROOT, "%-26s %-10s %12s%n", "attribution (" + model + ")", "layer", "jattr ms");
        for (LayerMethod m : methods) {
            double ms = median(() -> m.attribute(in), runs);
            String method = m.getClass().getSimpleName();
            out.printf(Locale.ROOT, "%-26s %-10s %12.2f%n", method, layer, ms);
            rows.add(String.format(Locale.ROOT, "{\"workload\": \"%s\", \"model\": \"%s\", \"layer\": \"%s\", "
                    + "\"n_steps\": %d, \"jattr_ms\": %.3f}", method, model, layer, BenchCommand.ATTR_STEPS, ms));
        }
    }

    /**
     * LayerIntegratedGradients (n_steps 50, one image, target 3) of every zoo model at one of the
     * layers its Captum cases use ({@link #ZOO_LAYERS}); a model of the folder without a layer
     * there is left out with a line saying so.
     */
    private static void zooAttribution(Path zoo, int runs, PrintStream out, List<String> rows) throws IOException {
        out.printf(Locale.ROOT, "%-26s %-22s %-12s %12s%n", "LayerIntegratedGradients", "model", "layer", "jattr ms");
        for (String model : models(zoo)) {
            String layer = ZOO_LAYERS.get(model);
            if (layer == null) {
                out.println("  " + model + ": no layer chosen for it, left out");
                continue;
            }
            Graph graph = OnnxModel.load(zoo.resolve("models/" + model + ".onnx")).graph();
            AttributionInputs in = attributionInputs(zoo, model, graph);
            LayerMethod lig = LayerIntegratedGradients.builder(graph).layer(layer).nSteps(BenchCommand.ATTR_STEPS).build();
            double ms = median(() -> lig.attribute(in), runs);
            // its chunks now replay where the backend records them: on a new image, its attribution
            // must be that of a new method object's first (op-by-op) call
            AttributionInputs other = AttributionInputs.builder().input(graph.inputs().getFirst().name(),
                    in.inputs().values().iterator().next().map(v -> 0.5 * v + 0.1)).baseline(graph.inputs().getFirst().name(), 0.0)
                    .target(Target.index(BenchCommand.ATTR_TARGET)).build();
            double diff = relativeDifference(lig.attribute(other).single(), LayerIntegratedGradients.builder(graph)
                    .layer(layer).nSteps(BenchCommand.ATTR_STEPS).build().attribute(other).single());
            if (!(diff <= 1e-4)) {
                replayMismatches.add("LayerIntegratedGradients " + model + ": " + diff);
            }
            out.printf(Locale.ROOT, "%-26s %-22s %-12s %12.2f   (a later call against a first: %.1e)%n", "", model, layer,
                    ms, diff);
            rows.add(String.format(Locale.ROOT, "{\"workload\": \"LayerIntegratedGradients\", \"model\": \"%s\", "
                    + "\"layer\": \"%s\", \"n_steps\": %d, \"jattr_ms\": %.3f}", model, layer, BenchCommand.ATTR_STEPS, ms));
        }
    }

    /** One image of the model's attribution input (or its forward input), baseline 0, target 3. */
    private static AttributionInputs attributionInputs(Path zoo, String model, Graph graph) throws IOException {
        String input = graph.inputs().getFirst().name();
        Path p = zoo.resolve("arrays/" + model + ".attr.input.npy");
        Tensor image = Tensors.rows(Npy.read(Files.exists(p) ? p : zoo.resolve("arrays/" + model + ".input.npy"))
                .cast(DType.F32), 0, 1);
        return AttributionInputs.builder().input(input, image).baseline(input, 0.0)
                .target(Target.index(BenchCommand.ATTR_TARGET)).build();
    }

    /** The layer of each zoo model that {@link #zooAttribution} attributes to (each one of its Captum cases' layers). */
    static final Map<String, String> ZOO_LAYERS = Map.of("efficientnet_b0", BenchCommand.ATTR_LAYER,
            "mobilenet_v3_small", "features.3", "shufflenet_v2_x0_5", "stage2.1", "squeezenet1_1", "features.7");

    private static List<String> models(Path zoo) throws IOException {
        try (Stream<Path> s = Files.list(zoo.resolve("models"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        }
    }

    /** Per zoo model at the given batch: the forward's wall time by op type (each node's own device work: the profiled executor waits for the device around every node). */
    private static void profile(Path zoo, int runs, PrintStream out, int batch) throws IOException {
        try (Stream<Path> s = Files.list(zoo.resolve("models"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".onnx")).sorted().toList()) {
                Graph graph = OnnxModel.load(p).graph();
                String name = p.getFileName().toString().replace(".onnx", "");
                String input = graph.inputs().getFirst().name();
                Tensor x = Tensors.repeat0(Tensors.rows(Npy.read(zoo.resolve("arrays/" + name + ".input.npy"))
                        .cast(DType.F32), 0, 1), batch);
                Map<String, double[]> byType = new java.util.TreeMap<>();
                boolean[] on = {false};
                Executor ex = new Executor(graph).profiled((node, nanos) -> {
                    if (on[0]) {
                        byType.computeIfAbsent(node.op().type(), k -> new double[1])[0] += nanos / 1e6 / runs;
                    }
                });
                median(() -> ex.forward(Map.of(input, x)), 1);
                on[0] = true;
                long t0 = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    ex.forward(Map.of(input, x));
                }
                double wall = (System.nanoTime() - t0) / 1e6 / runs;
                double ops = byType.values().stream().mapToDouble(v -> v[0]).sum();
                out.printf(Locale.ROOT, "profile %s, batch %d: %.2f ms a forward, %.2f ms in ops%n", name, batch, wall, ops);
                byType.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(6)
                        .forEach(e -> out.printf(Locale.ROOT, "  %-22s %9.2f ms%n", e.getKey(), e.getValue()[0]));
            }
        }
    }

    private static double median(Runnable r, int runs) {
        for (int i = 0; i < 3; i++) {
            r.run();
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        return Stats.median(t);
    }
}
