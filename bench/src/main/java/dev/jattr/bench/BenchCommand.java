package dev.jattr.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jattr bench}: times jattr against ONNX Runtime in one process on the same inputs and the
 * same thread count, alternating the two engines run by run (warm-up excluded, medians), and
 * prints a table of medians and ratios: the forward pass of every zoo model at batch 1 and 50,
 * LayerIntegratedGradients and LayerConductance (n_steps 50, one image, target 3) at
 * {@code features.4} of efficientnet_b0 against ONNX Runtime's batch-50 forward, and the least
 * heap LayerIntegratedGradients completes in at n_steps 50 and 500. ONNX Runtime is loaded by this command
 * only; the library modules do not depend on it. {@code --device cuda} times jattr on its CUDA backend,
 * {@code --ort-cuda} ONNX Runtime on its CUDA execution provider (the {@code ort-gpu} build only).
 */
@Command(name = "jattr bench", mixinStandardHelpOptions = true,
        description = {"Time jattr against ONNX Runtime on the zoo models, in one process, alternating engines.",
                "Run it on a quiet machine: another build or test beside it doubles ONNX Runtime's times."})
public final class BenchCommand implements Callable<Integer> {
    /** The model and layer of the attribution workloads. */
    static final String ATTR_MODEL = "efficientnet_b0", ATTR_LAYER = "features.4";
    static final int ATTR_STEPS = 50, ATTR_TARGET = 3;

    @Option(names = "--zoo", paramLabel = "DIR", description = "The zoo folder (models/ and arrays/); default ${DEFAULT-VALUE}.")
    Path zoo = Path.of("../shared/onnx-zoo");

    @Option(names = "--threads", paramLabel = "N", description = "Threads for both engines; default: all cores.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--runs", paramLabel = "N", description = "Timed runs per engine and workload (median of them); default ${DEFAULT-VALUE}.")
    int runs = 10;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed runs first, at least; default ${DEFAULT-VALUE}.")
    int warmup = 5;

    @Option(names = "--warmup-seconds", paramLabel = "S",
            description = "Untimed runs (of both engines, alternating) go on until this many seconds have passed too; default ${DEFAULT-VALUE}. "
                    + "The JIT needs them: efficientnet_b0's batch-1 forward, run alone, took 24 ms after 1 s of runs, 13 ms after 3 s "
                    + "and 5-8 ms from 6 s on.")
    double warmupSeconds = 12;

    @Option(names = "--models", split = ",", paramLabel = "NAME", description = "Only these zoo models for the forward rows.")
    List<String> models = new ArrayList<>();

    @Option(names = "--skip", split = ",", paramLabel = "WORKLOAD", description = "Leave out workloads: forward, attribution, peak_heap, dataset.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--profile", description = "Also print, per zoo model at batch 50, jattr's forward time by op type (the executor's node timer).")
    boolean profile;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--device", paramLabel = "DEVICE", description = "jattr's backend: cpu or cuda (docs/cuda.md); default ${DEFAULT-VALUE}.")
    String device = "cpu";

    @Option(names = "--ort-cuda",
            description = "ONNX Runtime on its CUDA execution provider, GPU 0: only with its GPU build (./build -Pbench,ort-gpu ..., CUDA 12 and cuDNN 9 installed).")
    boolean ortCuda;

    private final PrintStream out = System.out;
    private final ObjectMapper mapper = new ObjectMapper();

    /** Entry point: sets the common pool's parallelism from {@code --threads} before any parallel work. */
    public static void main(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--threads") && args[i + 1].matches("\\d{1,4}")) {
                int t = Math.max(1, Integer.parseInt(args[i + 1]));
                System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", String.valueOf(t - 1));
            }
        }
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println("jattr: " + (e.getMessage() == null ? e.toString() : e.getMessage()).strip().replaceAll("\\s*\\R\\s*", "; "));
            return 2;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 10) {
            throw new IllegalArgumentException("--runs must be at least 10 (medians of fewer runs are noise), got " + runs);
        }
        if (!Files.isDirectory(zoo.resolve("models"))) {
            throw new IllegalArgumentException("--zoo " + zoo + " has no models/ folder");
        }
        Backend backend = Backends.byName(device);
        if (ortCuda && !OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            throw new IllegalArgumentException("--ort-cuda needs ONNX Runtime's GPU build, and this one offers "
                    + OrtEnvironment.getAvailableProviders() + " only: build the bench with "
                    + "./build -Pbench,ort-gpu -pl bench -am package -Dmaven.test.skip=true (docs/cuda.md)");
        }
        int pool = java.util.concurrent.ForkJoinPool.getCommonPoolParallelism();
        out.printf("jattr bench: %d thread(s) (common pool parallelism %d), %d runs after >= %d warm-up runs and >= %.0f s, zoo %s%n",
                threads, pool, runs, warmup, warmupSeconds, zoo);
        out.printf("jattr on %s; ONNX Runtime on %s%n", backend.description(), ortCuda ? "its CUDA execution provider, GPU 0" : "the CPU");
        ObjectNode root = mapper.createObjectNode();
        root.put("threads", threads).put("device", backend.name()).put("ort_provider", ortCuda ? "cuda" : "cpu");
        ArrayNode results = root.putArray("results");
        try (OrtEnvironment env = OrtEnvironment.getEnvironment()) {
            CurrentBackend.call(backend, () -> {
                try {
                    if (!skip.contains("forward")) {
                        forwardRows(env, results);
                    }
                    if (profile) {
                        profileRows();
                    }
                    if (!skip.contains("attribution")) {
                        attributionRows(env, results);
                    }
                    return null;
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
                }
            });
        }
        if (!skip.contains("peak_heap")) {
            heapRows(results);
        }
        if (!skip.contains("dataset")) {
            datasetRows(results);
        }
        if (json != null) {
            Path tmp = Files.createTempFile(json.toAbsolutePath().getParent(), ".bench", ".json");
            mapper.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
            Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.println("wrote " + json);
        }
        return 0;
    }

    private List<String> zooModels() throws IOException {
        if (!models.isEmpty()) {
            return models;
        }
        try (Stream<Path> s = Files.list(zoo.resolve("models"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        }
    }

    private void forwardRows(OrtEnvironment env, ArrayNode results) throws Exception {
        out.printf("%n%-22s %6s %12s %12s %8s%n", "forward", "batch", "jattr ms", "ORT ms", "ratio");
        for (String name : zooModels()) {
            Graph graph = OnnxModel.load(zoo.resolve("models/" + name + ".onnx")).graph();
            String input = graph.inputs().getFirst().name();
            Tensor one = Tensors.rows(Npy.read(zoo.resolve("arrays/" + name + ".input.npy")).cast(DType.F32), 0, 1);
            for (int batch : new int[] {1, 50}) {
                Tensor x = Tensors.repeat0(one, batch);
                Executor ex = new Executor(graph);
                try (OrtSession s = session(env, name); OnnxTensor ox = ortTensor(env, x)) {
                    double[] ms = alternate(() -> ex.forward(Map.of(input, x)), () -> ortRun(s, input, ox));
                    out.printf("%-22s %6d %12.2f %12.2f %8.2f%n", name, batch, ms[0], ms[1], ms[0] / ms[1]);
                    allocationNote(ms[2]);
                    ObjectNode r = results.addObject();
                    r.put("workload", "forward").put("model", name).put("batch", batch).put("jattr_ms", ms[0]).put("ort_ms", ms[1]);
                }
            }
        }
    }

    /** Per zoo model at batch 50: jattr's forward time by op type, medians over the timed runs, after the warm-up. */
    private void profileRows() throws IOException {
        for (String name : zooModels()) {
            Graph graph = OnnxModel.load(zoo.resolve("models/" + name + ".onnx")).graph();
            String input = graph.inputs().getFirst().name();
            Tensor x = Tensors.repeat0(Tensors.rows(Npy.read(zoo.resolve("arrays/" + name + ".input.npy")).cast(DType.F32), 0, 1), 50);
            java.util.Map<String, double[]> byType = new java.util.TreeMap<>();
            int[] run = {0};
            Executor ex = new Executor(graph).profiled((node, nanos) ->
                    byType.computeIfAbsent(node.op().type(), k -> new double[runs])[run[0]] += nanos / 1e6);
            long until = System.nanoTime() + (long) (warmupSeconds * 1e9);
            for (int i = 0; i < warmup || System.nanoTime() < until; i++) {
                ex.forward(Map.of(input, x));
            }
            byType.clear();
            for (run[0] = 0; run[0] < runs; run[0]++) {
                ex.forward(Map.of(input, x));
            }
            double total = byType.values().stream().mapToDouble(BenchCommand::median).sum();
            out.printf("%nprofile %s, batch 50: %.1f ms in ops%n", name, total);
            byType.entrySet().stream().sorted((a, b) -> Double.compare(median(b.getValue()), median(a.getValue()))).limit(8)
                    .forEach(e -> out.printf("  %-22s %9.2f ms %5.1f %%%n", e.getKey(), median(e.getValue()), 100 * median(e.getValue()) / total));
        }
    }

    private void attributionRows(OrtEnvironment env, ArrayNode results) throws Exception {
        Graph graph = OnnxModel.load(zoo.resolve("models/" + ATTR_MODEL + ".onnx")).graph();
        String input = graph.inputs().getFirst().name();
        Tensor image = attrInput(input);
        Tensor b50 = Tensors.repeat0(image, 50);
        out.printf("%n%-26s %-10s %12s %16s %8s%n", "attribution (" + ATTR_MODEL + ")", "layer", "jattr ms", "ORT b50 fwd ms", "ratio");
        AttributionInputs in = AttributionInputs.builder().input(input, image).baseline(input, 0.0).target(Target.index(ATTR_TARGET)).build();
        List<LayerMethod> methods = List.of(
                LayerIntegratedGradients.builder(graph).layer(ATTR_LAYER).nSteps(ATTR_STEPS).build(),
                LayerConductance.builder(graph).layer(ATTR_LAYER).nSteps(ATTR_STEPS).build());
        try (OrtSession s = session(env, ATTR_MODEL); OnnxTensor ox = ortTensor(env, b50)) {
            for (LayerMethod m : methods) {
                double[] ms = alternate(() -> m.attribute(in), () -> ortRun(s, input, ox));
                String method = m.getClass().getSimpleName();
                out.printf("%-26s %-10s %12.2f %16.2f %8.2f%n", method, ATTR_LAYER, ms[0], ms[1], ms[0] / ms[1]);
                allocationNote(ms[2]);
                ObjectNode r = results.addObject();
                r.put("workload", method).put("model", ATTR_MODEL).put("layer", ATTR_LAYER).put("n_steps", ATTR_STEPS)
                        .put("jattr_ms", ms[0]).put("ort_b50_forward_ms", ms[1]);
            }
        }
    }

    private void heapRows(ArrayNode results) throws IOException, InterruptedException {
        out.printf("%n%-44s %8s %10s%n", "least heap (LayerIntegratedGradients, -Xmx)", "n_steps", "MB");
        for (int steps : new int[] {50, 500}) {
            int mb = leastHeapMb(steps);
            out.printf("%-44s %8d %10d%n", "default arguments", steps, mb);
            results.addObject().put("workload", "peak_heap").put("n_steps", steps).put("mb", mb);
        }
    }

    /**
     * The least heap, in MB (to {@value #HEAP_RESOLUTION_MB} MB), in which LayerIntegratedGradients
     * with default arguments completes, found by bisection over JVMs of their own
     * ({@link HeapProbe}). The peak of the heap pools in one JVM is no measure of what a method
     * needs: it counts garbage, and the collector lets it grow with the heap it may take.
     */
    private int leastHeapMb(int steps) throws IOException, InterruptedException {
        int lo = 32, hi = 128;
        while (!fits(hi, steps)) {
            lo = hi;
            hi *= 2;
            if (hi > 65536) {
                throw new IllegalStateException("LayerIntegratedGradients with " + steps + " steps did not complete in a 64 GB heap");
            }
        }
        while (hi - lo > HEAP_RESOLUTION_MB) {
            int mid = (lo + hi) / 2;
            if (fits(mid, steps)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    static final int HEAP_RESOLUTION_MB = 16;

    /**
     * Seconds a probe may run before it counts as not fitting (a hang). Near the least heap a run
     * is mostly collection: at 92 MB, 50 steps took 18 s and 500 steps 25–114 s on the 2-core
     * machine (16 s at 104 MB), so the former 120 s made a busy host's 500-step row read one
     * bisection step high (104 MB) without the heap needed having grown.
     */
    static final int PROBE_SECONDS = 300;

    private boolean fits(int heapMb, int steps) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(javaBin, "-Xmx" + heapMb + "m", "-XX:+ExitOnOutOfMemoryError", "--add-modules=jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + Math.max(0, threads - 1),
                "-cp", System.getProperty("java.class.path"), HeapProbe.class.getName(), zoo.toString(), String.valueOf(steps));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(PROBE_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return false;
        }
        return p.exitValue() == 0;
    }

    /** The dataset row's workload: LayerGradCam at features.4 of efficientnet_b0 over this many examples. */
    static final int DATASET_EXAMPLES = 512, DATASET_BATCH = 16;
    static final String DATASET_METHOD = "LayerGradCam";

    /**
     * Examples per second of {@code jattr batch} (kernels on every thread) and of the Spark job at
     * {@code local[threads]} (one kernel thread per task) on the same stacked .npy, each in a JVM of
     * its own ({@link DatasetBench}), warm.
     */
    private void datasetRows(ArrayNode results) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jattr-bench-dataset");
        try {
            Tensor one = attrInput("image");
            int per = one.size();
            float[] v = new float[DATASET_EXAMPLES * per];
            java.util.Random r = new java.util.Random(42);
            float[] base = one.floats();
            for (int e = 0; e < DATASET_EXAMPLES; e++) {
                for (int i = 0; i < per; i++) {
                    v[e * per + i] = base[i] + 0.1f * (float) r.nextGaussian();
                }
            }
            int[] shape = one.shape().clone();
            shape[0] = DATASET_EXAMPLES;
            Path data = dir.resolve("dataset.npy");
            Npy.write(data, Tensor.of(v, shape));
            Path model = zoo.resolve("models/" + ATTR_MODEL + ".onnx");
            out.printf("%n%-44s %10s %12s%n", "dataset (" + DATASET_EXAMPLES + " examples, " + DATASET_METHOD + " at " + ATTR_LAYER + ")",
                    "engine", "examples/s");
            double batch = datasetRate("batch", model, data, List.of("-Djava.util.concurrent.ForkJoinPool.common.parallelism="
                    + Math.max(0, threads - 1)));
            out.printf("%-44s %10s %12.2f%n", "jattr batch, kernels on " + threads + " threads", "batch", batch);
            List<String> sparkFlags = sparkFlags();
            double spark = datasetRate("spark", model, data, sparkFlags);
            out.printf("%-44s %10s %12.2f   (%.0f %% of jattr batch)%n", "Spark local[" + threads + "], 1 kernel thread a task", "spark",
                    spark, 100 * spark / batch);
            results.addObject().put("workload", "dataset").put("model", ATTR_MODEL).put("layer", ATTR_LAYER).put("method", DATASET_METHOD)
                    .put("examples", DATASET_EXAMPLES).put("batch_size", DATASET_BATCH).put("jattr_batch_examples_per_s", batch)
                    .put("spark_examples_per_s", spark).put("spark_master", "local[" + threads + "]");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The JVM flags of jattr-spark (Spark's --add-opens, one kernel thread per task), from the spark module's jar. */
    private static List<String> sparkFlags() throws IOException {
        try (var in = dev.jattr.spark.SparkBench.class.getResourceAsStream("jvm.flags")) {
            if (in == null) {
                throw new IllegalStateException("the spark module's jvm.flags is missing from the classpath");
            }
            return List.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim().split("\\s+"));
        }
    }

    private double datasetRate(String engine, Path model, Path data, List<String> flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-Dlog4j2.configurationFile=classpath:dev/jattr/spark/log4j2-jattr-spark.properties",
                "-cp", System.getProperty("java.class.path"), DatasetBench.class.getName(), engine, model.toString(), data.toString(),
                DATASET_METHOD, ATTR_LAYER, String.valueOf(DATASET_BATCH), String.valueOf(threads)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the " + engine + " dataset run failed: " + output.strip().lines().reduce((a, b) -> b).orElse(""));
        }
        return output.lines().filter(l -> l.startsWith("examples_per_second ")).map(l -> Double.parseDouble(l.substring(20).trim()))
                .findFirst().orElseThrow(() -> new IllegalStateException("the " + engine + " dataset run printed no rate: " + output));
    }

    private Tensor attrInput(String input) {
        Path p = zoo.resolve("arrays/" + ATTR_MODEL + ".attr.input.npy");
        Tensor t = Files.exists(p) ? Npy.read(p) : Npy.read(zoo.resolve("arrays/" + ATTR_MODEL + ".input.npy"));
        return Tensors.rows(t.cast(DType.F32), 0, 1);
    }

    /**
     * Median milliseconds of {@code a} and {@code b}, run alternately after the warm-up, and the
     * bytes {@code a} allocated per timed run (all threads; -1 where the JVM cannot count them).
     */
    private double[] alternate(Runnable a, Runnable b) {
        long until = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < warmup || System.nanoTime() < until; i++) {
            a.run();
            b.run();
        }
        double[] ta = new double[runs], tb = new double[runs];
        long allocated = 0;
        for (int i = 0; i < runs; i++) {
            settle();
            long before = allocatedBytes();
            ta[i] = time(a);
            allocated += allocatedBytes() - before;
            settle();
            tb[i] = time(b);
        }
        return new double[] {median(ta), median(tb), allocatedBytes() < 0 ? -1 : (double) allocated / runs};
    }

    /** Bytes allocated so far by all threads, or -1. */
    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
            return t.getTotalThreadAllocatedBytes();
        }
        return -1;
    }

    /**
     * Bytes per jattr run above which the bench says so under the row: a steady-state run draws
     * its buffers from the arena and its kernels' scratch, so tens of megabytes mean vectors the
     * JIT boxed (see docs/design.md), and that row's time is not jattr's usual.
     */
    static final double ALLOCATION_NOTE_BYTES = 32.0 * (1 << 20);

    private void allocationNote(double bytesPerRun) {
        if (bytesPerRun > ALLOCATION_NOTE_BYTES) {
            out.printf("  (jattr allocated %.0f MB per run in this row: the JIT may have boxed vectors; compare another run)%n",
                    bytesPerRun / (1 << 20));
        }
    }

    /** The pause before each timed run, so that the other engine's idle threads, which spin-wait for
     * a while after a run (ONNX Runtime's do by default), have stopped taking the cores. */
    static final long SETTLE_MS = 300;

    private static void settle() {
        try {
            Thread.sleep(SETTLE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    static double median(double[] v) {
        return Stats.median(v);
    }

    private OrtSession session(OrtEnvironment env, String name) throws OrtException {
        var opts = new OrtSession.SessionOptions();
        opts.setIntraOpNumThreads(threads);
        opts.setInterOpNumThreads(1);
        opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        if (ortCuda) {
            addCuda(opts);
        }
        return env.createSession(zoo.resolve("models/" + name + ".onnx").toString(), opts);
    }

    /**
     * ONNX Runtime's CUDA execution provider on GPU 0 ({@link #call} has checked that this is the
     * GPU build), or one line saying why it did not load.
     */
    private static void addCuda(OrtSession.SessionOptions opts) {
        try {
            opts.addCUDA(0);
        } catch (OrtException e) {
            throw new IllegalStateException("--ort-cuda: ONNX Runtime's CUDA execution provider did not load (it needs CUDA 12 "
                    + "and cuDNN 9 installed; build with -Pbench,ort-gpu): " + e.getMessage(), e);
        }
    }

    private static OnnxTensor ortTensor(OrtEnvironment env, Tensor x) {
        try {
            return OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()), Arrays.stream(x.shape()).asLongStream().toArray());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime refused the input: " + e.getMessage(), e);
        }
    }

    private static void ortRun(OrtSession s, String input, OnnxTensor x) {
        try (var result = s.run(Map.of(input, x))) {
            if (result.size() == 0) {
                throw new IllegalStateException("ONNX Runtime returned no output");
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }
}
