package dev.jattr.cli;

import dev.jattr.attr.Attribution;
import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.Layer;
import dev.jattr.attr.LayerMethod;
import dev.jattr.attr.MethodArguments;
import dev.jattr.attr.MethodRegistry;
import dev.jattr.attr.Target;
import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.ValueInfo;
import dev.jattr.onnx.OnnxModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jattr attribute}: one layer attribution of an ONNX model, written as float32 .npy files
 * once all computation has succeeded, with a one-line summary per attribution on standard output.
 */
@Command(name = "attribute", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Attribute a model output to layers with a Captum layer method and write .npy files.",
        footer = {"", "Example: jattr attribute --model net.onnx --input image=x.npy --method LayerIntegratedGradients"
                        + " --layer conv2 --target 3 --delta --out attr.npy"})
final class AttributeCommand implements Callable<Integer> {
    /** The method list for the help text, from the one method table. */
    static String[] methodHelp() {
        java.util.List<String> lines = new ArrayList<>(java.util.List.of("", "Methods (--method):"));
        for (MethodRegistry m : MethodRegistry.values()) {
            lines.add(String.format("  %-26s %s", m.captumName(), m.summary()));
        }
        return lines.toArray(String[]::new);
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The ONNX model.")
    private String model;

    @Option(names = "--input", required = true, paramLabel = "NAME=FILE",
            description = "An attributed model input as .npy (dimension 0 is the batch); NAME may be left out when the model has one input.")
    private List<String> inputs = new ArrayList<>();

    @Option(names = "--additional", paramLabel = "NAME=FILE",
            description = "A model input that is fed but not attributed (Captum's additional_forward_args).")
    private List<String> additional = new ArrayList<>();

    @Option(names = "--baseline", paramLabel = "NAME=FILE|NAME=NUMBER",
            description = "The baseline of an attributed input: a .npy broadcast to the input, or a number (default 0).")
    private List<String> baselines = new ArrayList<>();

    @Option(names = "--method", required = true, paramLabel = "METHOD", description = "The Captum method name.")
    private String method;

    @Option(names = "--layer", required = true, paramLabel = "LAYER",
            description = "A layer: PyTorch module path (conv2), ONNX node name (/conv2/Conv) or tensor name; repeatable.")
    private List<String> layers = new ArrayList<>();

    @Option(names = "--target", paramLabel = "TARGET",
            description = "The output index: 3 (all examples), 3,7 (one per example) or 1:2 (a tuple index); default: none.")
    private String target;

    @Option(names = "--model-output", paramLabel = "NAME", description = "The model output to explain (default: the first).")
    private String modelOutput;

    @Mixin
    private MethodOptions methodOptions = new MethodOptions();

    @Option(names = "--attribute-to-layer-input", description = "Attribute to the layers' inputs instead of their outputs.")
    private boolean attributeToLayerInput;

    @Option(names = "--delta", description = "Also compute the convergence delta (return_convergence_delta=True).")
    private boolean delta;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write the attribution: once (FILE, FILE.1, … for several tensors) or once per tensor.")
    private List<String> out = new ArrayList<>();

    @Mixin
    private ImageOptions imageOptions = new ImageOptions();

    @Option(names = "--heatmap", paramLabel = "FILE.png",
            description = "Write a heatmap of a spatial attribution over the image input: FILE.png, FILE.1.png, … one per example.")
    private String heatmap;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write a summary of the run as JSON: shapes, sums, deltas, timing, version, the model's SHA-256.")
    private String json;

    @Option(names = "--quiet", description = "Show no progress on standard error.")
    private boolean quiet;

    /** The image inputs by model input name. */
    private final Map<String, ImageInput> images = new LinkedHashMap<>();

    @Override
    public Integer call() {
        long started = System.nanoTime();
        MethodRegistry factory = MethodRegistry.forName(method);
        Target t = target == null ? Target.none() : Arguments.target(target);
        for (String layer : layers) {
            if (layer.isBlank()) {
                throw new IllegalArgumentException("--layer '" + layer + "' is empty: give a module path (conv2), node name or tensor name");
            }
        }
        MethodArguments args = options();
        Map<Path, String> read = new LinkedHashMap<>();
        Path modelFile = Arguments.model(model);
        read.put(modelFile, "--model " + model);
        Graph graph = OnnxModel.load(modelFile).graph();
        LayerMethod m = factory.create(graph, args.withProgress(ProgressPrinter.of(spec.commandLine().getErr(), quiet)));
        AttributionInputs in = inputs(graph, t, read);
        args.files().forEach(f -> read.putIfAbsent(f, "the file " + f + " of an --arg"));
        List<String> values = m.layers().stream().flatMap(l -> l.values().stream()).toList();
        if (heatmap != null && images.isEmpty()) {
            throw new IllegalArgumentException("--heatmap " + heatmap + " needs an image --input (PNG or JPEG) to draw on");
        }
        if (heatmap != null && values.size() != 1) {
            throw new IllegalArgumentException("--heatmap " + heatmap + " draws one attribution tensor; this run makes " + values.size()
                    + "; attribute one layer");
        }
        int examples = images.isEmpty() ? 0 : images.values().iterator().next().tensor().dim(0);
        OutputFiles files = OutputFiles.plan(out, values.size(), args.bool("return_convergence_delta", false),
                Optional.ofNullable(heatmap), examples, Optional.ofNullable(json), read);
        MemoryEstimate budget = MemoryEstimate.of(factory, args, graph, in, values);
        budget.require(Runtime.getRuntime().maxMemory());
        Attribution a;
        List<Tensor> results;
        Optional<Tensor> d;
        long computing = System.nanoTime();
        try {
            a = m.attribute(in);
            results = a.values().stream().map(x -> x.cast(DType.F32)).toList();
            d = a.delta().map(x -> x.cast(DType.F32));
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException(budget.outOfMemory(), e);
        }
        List<java.awt.image.BufferedImage> maps = heatmap == null ? List.of() : heatmaps(results.getFirst(), values.getFirst());
        double seconds = (System.nanoTime() - computing) / 1e9;
        String summary = json == null ? "" : summary(factory, modelFile, m.layers(), values, in, results, d, files, seconds,
                (System.nanoTime() - started) / 1e9);
        files.write(results, d, maps, summary);
        List<Path> paths = files.attributions();
        PrintWriter o = spec.commandLine().getOut();
        images.forEach((name, image) -> {
            if (!image.conversion().isEmpty()) {
                o.println("input '" + name + "': " + image.conversion() + " as the model takes " + image.tensor().dim(1) + " channel"
                        + (image.tensor().dim(1) == 1 ? "" : "s"));
            }
        });
        for (int i = 0; i < results.size(); i++) {
            String line = factory.captumName() + " " + label(m.layers(), values.get(i)) + ": shape "
                    + Arrays.toString(results.get(i).shape()) + ", sum per example " + numbers(Tensors.sumPerRow(results.get(i)));
            if (d.isPresent() && results.size() == 1) {
                line += ", delta " + numbers(d.get().toDoubles());
            }
            o.println(line + (paths.isEmpty() ? "" : " -> " + paths.get(i)));
        }
        if (d.isPresent() && results.size() > 1) {
            o.println("delta per example " + numbers(d.get().toDoubles()) + files.delta().map(p -> " -> " + p).orElse(""));
        }
        if (!files.heatmaps().isEmpty()) {
            o.println("heatmap" + (files.heatmaps().size() == 1 ? "" : "s") + " -> " + files.heatmaps().stream().map(Path::toString)
                    .collect(Collectors.joining(", ")));
        }
        o.flush();
        return 0;
    }

    /** The --json summary of a run. */
    private String summary(MethodRegistry factory, Path modelFile, List<Layer> ls, List<String> values, AttributionInputs in,
            List<Tensor> results, Optional<Tensor> d, OutputFiles files, double seconds, double total) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("jattr", VersionProvider.version());
        s.put("model", RunSummary.object("file", modelFile.toString(), "sha256", RunSummary.sha256(modelFile)));
        s.put("method", factory.captumName());
        List<Object> ins = new ArrayList<>();
        in.inputs().forEach((name, t) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", name);
            one.put("shape", t.shape());
            if (images.containsKey(name) && !images.get(name).conversion().isEmpty()) {
                one.put("conversion", images.get(name).conversion());
            }
            ins.add(one);
        });
        s.put("inputs", ins);
        List<Object> attributions = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("layer", label(ls, values.get(i)));
            one.put("value", values.get(i));
            one.put("shape", results.get(i).shape());
            one.put("sumPerExample", Tensors.sumPerRow(results.get(i)));
            one.put("file", files.attributions().isEmpty() ? null : files.attributions().get(i).toString());
            attributions.add(one);
        }
        s.put("attributions", attributions);
        s.put("delta", d.map(Tensor::toDoubles).orElse(null));
        s.put("heatmaps", files.heatmaps().stream().map(Path::toString).toList());
        s.put("seconds", RunSummary.object("attribute", seconds, "total", total));
        return RunSummary.json(s);
    }

    /** One heatmap per example of the attribution {@code a} of {@code value}, over the first image input. */
    private List<java.awt.image.BufferedImage> heatmaps(Tensor a, String value) {
        if (!Heatmap.spatial(a.shape())) {
            throw new IllegalArgumentException("--heatmap " + heatmap + ": the attribution of " + value + " has shape "
                    + Arrays.toString(a.shape()) + "; a heatmap needs [N, C, H, W] or [N, H, W]");
        }
        Tensor pixels = images.values().iterator().next().pixels();
        return Heatmap.render(Heatmap.upsampled(a, pixels.dim(2), pixels.dim(3)), pixels);
    }

    /** The inputs, baselines and target; each file read goes into {@code read} with how it was given. */
    private AttributionInputs inputs(Graph graph, Target t, Map<Path, String> read) {
        var b = AttributionInputs.builder();
        List<String> names = graph.inputs().stream().map(ValueInfo::name).toList();
        Map<String, String> given = new LinkedHashMap<>();
        for (String text : inputs) {
            String name, file;
            int eq = text.indexOf('=');
            if (eq > 0 && names.contains(text.substring(0, eq))) {
                name = text.substring(0, eq);
                file = text.substring(eq + 1);
            } else if (names.size() == 1 && additional.isEmpty() && (eq < 0 || Files.exists(Arguments.path("--input", text)))) {
                name = names.getFirst();
                file = text;
            } else {
                throw new IllegalArgumentException("--input '" + text + "' names no model input; give NAME=FILE with NAME one of " + names);
            }
            String before = given.putIfAbsent(name, file);
            if (before != null) {
                throw new IllegalArgumentException("--input gives input '" + name + "' twice ('" + before + "' and '" + file + "')");
            }
        }
        ImagePreprocessing prep = imageOptions.preprocessing();
        given.forEach((name, file) -> {
            String option = "--input " + name + "=" + file;
            if (ImageInput.isImageList(file)) {
                ImageInput image = ImageInput.read(option, graph.inputs().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow(),
                        file, prep);
                images.put(name, image);
                b.input(name, image.tensor());
                for (String one : file.split(",", -1)) {
                    read.putIfAbsent(Path.of(one), option);
                }
            } else {
                b.input(name, readArray("input '" + name + "'", option, file, read));
            }
        });
        if (prep.any() && images.isEmpty()) {
            throw new IllegalArgumentException(imageOptions.firstGiven()
                    + " applies to image inputs, and no --input is a PNG or JPEG file");
        }
        Map<String, String> fed = new LinkedHashMap<>();
        for (String text : additional) {
            var p = Arguments.pair("--additional", text);
            if (given.containsKey(p.getKey()) || fed.put(p.getKey(), p.getValue()) != null) {
                throw new IllegalArgumentException("--additional '" + text + "': input '" + p.getKey() + "' is already given"
                        + (given.containsKey(p.getKey()) ? " by --input" : " by --additional"));
            }
            b.additional(p.getKey(), readArray("additional input '" + p.getKey() + "'", "--additional " + text, p.getValue(), read));
        }
        Map<String, String> based = new LinkedHashMap<>();
        for (String text : baselines) {
            var p = Arguments.pair("--baseline", text);
            String before = based.putIfAbsent(p.getKey(), p.getValue());
            if (before != null) {
                throw new IllegalArgumentException("--baseline gives the baseline of '" + p.getKey() + "' twice ('"
                        + before + "' and '" + p.getValue() + "')");
            }
            Optional<Double> number = parseNumber(p.getValue());
            if (number.isPresent() && !Double.isFinite(number.get())) {
                throw new IllegalArgumentException("--baseline '" + text + "': " + p.getValue() + " is not a finite number");
            } else if (number.isPresent()) {
                b.baseline(p.getKey(), number.get());
            } else {
                b.baseline(p.getKey(), readArray("baseline '" + p.getKey() + "'", "--baseline " + text, p.getValue(), read));
            }
        }
        return b.target(t).build();
    }

    private static Tensor readArray(String what, String given, String file, Map<Path, String> read) {
        Tensor t = Arguments.array(what, file);
        read.putIfAbsent(Path.of(file), given);
        return t;
    }

    /** {@code text} as a number (NaN and infinities included, for the caller to refuse), or empty when it is not one. */
    static Optional<Double> parseNumber(String text) {
        String s = text.strip();
        if (!s.matches("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?(?:NaN|Infinity|inf|nan)")) {
            return Optional.empty();
        }
        return Optional.of(s.matches("[+-]?(?:NaN|nan)") ? Double.NaN
                : s.matches("[+-]?(?:Infinity|inf)") ? Double.POSITIVE_INFINITY : Double.parseDouble(s));
    }

    private MethodArguments options() {
        Map<String, String> spelling = new LinkedHashMap<>();
        Map<String, String> args = methodOptions.arguments(spelling, "return_convergence_delta", "--delta", delta ? "true" : null);
        return MethodArguments.fromText(layers, attributeToLayerInput, modelOutput, args, spelling);
    }

    private static String label(List<Layer> layers, String value) {
        for (Layer l : layers) {
            if (l.values().contains(value)) {
                return l.values().size() == 1 && l.name().equals(value) ? value : l.name() + " (" + value + ")";
            }
        }
        return value;
    }

    /** Numbers to 6 significant digits, as a bracketed list. */
    static String numbers(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format(java.util.Locale.ROOT, "%.6g", v))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
