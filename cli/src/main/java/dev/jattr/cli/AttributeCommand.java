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
import dev.jattr.graph.io.Npy;
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

    @Option(names = "--n-steps", paramLabel = "N", description = "Integration steps (Captum's n_steps).")
    private Integer nSteps;

    @Option(names = "--integration", paramLabel = "RULE",
            description = "gausslegendre, riemann_left, riemann_right, riemann_middle or riemann_trapezoid (Captum's method).")
    private String integration;

    @Option(names = "--internal-batch-size", paramLabel = "N", description = "Rows per evaluation of the steps.")
    private Integer internalBatchSize;

    @Option(names = "--no-multiply-by-inputs", description = "Captum's multiply_by_inputs=False.")
    private boolean noMultiplyByInputs;

    @Option(names = "--attribute-to-layer-input", description = "Attribute to the layers' inputs instead of their outputs.")
    private boolean attributeToLayerInput;

    @Option(names = "--delta", description = "Also compute the convergence delta (return_convergence_delta=True).")
    private boolean delta;

    @Option(names = "--arg", paramLabel = "NAME=VALUE",
            description = "Any other method argument by its Captum name, e.g. --arg n_steps=20.")
    private List<String> extra = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write the attribution: once (FILE, FILE.1, … for several tensors) or once per tensor.")
    private List<String> out = new ArrayList<>();

    @Override
    public Integer call() {
        MethodRegistry factory = MethodRegistry.forName(method);
        Graph graph = OnnxModel.load(Arguments.model(model)).graph();
        LayerMethod m = factory.create(graph, options().withProgress(new ProgressPrinter(spec.commandLine().getErr())));
        AttributionInputs in = inputs(graph);
        List<String> values = m.layers().stream().flatMap(l -> l.values().stream()).toList();
        List<Path> paths = outputPaths(values.size());
        Attribution a = m.attribute(in);
        List<Tensor> results = a.values().stream().map(t -> t.cast(DType.F32)).toList();
        Optional<Tensor> d = a.delta().map(t -> t.cast(DType.F32));
        if (!paths.isEmpty()) {
            List<Path> all = new ArrayList<>(paths);
            List<Tensor> tensors = new ArrayList<>(results);
            d.ifPresent(t -> {
                all.add(deltaPath(paths.getFirst()));
                tensors.add(t);
            });
            writeAll(all, tensors);
        }
        PrintWriter o = spec.commandLine().getOut();
        for (int i = 0; i < results.size(); i++) {
            String line = factory.captumName() + " " + label(m.layers(), values.get(i)) + ": shape "
                    + Arrays.toString(results.get(i).shape()) + ", sum per example " + numbers(Tensors.sumPerRow(results.get(i)));
            if (d.isPresent() && results.size() == 1) {
                line += ", delta " + numbers(d.get().toDoubles());
            }
            o.println(line + (paths.isEmpty() ? "" : " -> " + paths.get(i)));
        }
        if (d.isPresent() && results.size() > 1) {
            o.println("delta per example " + numbers(d.get().toDoubles()) + (paths.isEmpty() ? "" : " -> " + deltaPath(paths.getFirst())));
        }
        o.flush();
        return 0;
    }

    private AttributionInputs inputs(Graph graph) {
        var b = AttributionInputs.builder();
        List<String> names = graph.inputs().stream().map(ValueInfo::name).toList();
        Map<String, Tensor> given = new LinkedHashMap<>();
        for (String text : inputs) {
            String name, file;
            int eq = text.indexOf('=');
            if (eq > 0 && names.contains(text.substring(0, eq))) {
                name = text.substring(0, eq);
                file = text.substring(eq + 1);
            } else if (names.size() == 1 && additional.isEmpty()) {
                name = names.getFirst();
                file = text;
            } else {
                throw new IllegalArgumentException("--input '" + text + "' names no model input; give NAME=FILE with NAME one of " + names);
            }
            if (given.put(name, Arguments.array("input '" + name + "'", file)) != null) {
                throw new IllegalArgumentException("input '" + name + "' is given twice");
            }
        }
        given.forEach(b::input);
        for (String text : additional) {
            var p = Arguments.pair("--additional", text);
            b.additional(p.getKey(), Arguments.array("additional input '" + p.getKey() + "'", p.getValue()));
        }
        for (String text : baselines) {
            var p = Arguments.pair("--baseline", text);
            Optional<Double> number = parseNumber(p.getValue());
            if (number.isPresent() && !Double.isFinite(number.get())) {
                throw new IllegalArgumentException("baseline '" + p.getKey() + "' is " + number.get());
            } else if (number.isPresent()) {
                b.baseline(p.getKey(), number.get());
            } else {
                b.baseline(p.getKey(), Arguments.array("baseline '" + p.getKey() + "'", p.getValue()));
            }
        }
        return b.target(target == null ? Target.none() : Arguments.target(target)).build();
    }

    private static Optional<Double> parseNumber(String text) {
        try {
            return Optional.of(Double.parseDouble(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private MethodArguments options() {
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, String> spelling = new LinkedHashMap<>();
        if (nSteps != null) {
            flag(args, spelling, "n_steps", "--n-steps", nSteps.toString());
        }
        if (integration != null) {
            flag(args, spelling, "method", "--integration", integration);
        }
        if (internalBatchSize != null) {
            flag(args, spelling, "internal_batch_size", "--internal-batch-size", internalBatchSize.toString());
        }
        if (noMultiplyByInputs) {
            flag(args, spelling, "multiply_by_inputs", "--no-multiply-by-inputs", "false");
        }
        if (delta) {
            flag(args, spelling, "return_convergence_delta", "--delta", "true");
        }
        for (String text : extra) {
            var p = Arguments.pair("--arg", text);
            if (args.containsKey(p.getKey())) {
                throw new IllegalArgumentException("argument " + p.getKey() + " is given twice (" + spelling.getOrDefault(p.getKey(),
                        "--arg " + p.getKey()) + " and --arg " + p.getKey() + ")");
            }
            args.put(p.getKey(), p.getValue());
            spelling.put(p.getKey(), "--arg " + p.getKey());
        }
        return MethodArguments.fromText(layers, attributeToLayerInput, modelOutput, args, spelling);
    }

    private static void flag(Map<String, String> args, Map<String, String> spelling, String captumName, String flag, String value) {
        args.put(captumName, value);
        spelling.put(captumName, flag);
    }

    /** The files for {@code count} attribution tensors, checked before any computation. */
    private List<Path> outputPaths(int count) {
        if (out.isEmpty()) {
            return List.of();
        }
        if (out.size() > 1 && out.size() != count) {
            throw new IllegalArgumentException("--out is given " + out.size() + " times for " + count + " attribution tensor"
                    + (count == 1 ? "; give it once" : "s; give it once or " + count + " times"));
        }
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            paths.add(out.size() > 1 ? Path.of(out.get(i)) : i == 0 ? Path.of(out.getFirst()) : sibling(Path.of(out.getFirst()), "." + i));
        }
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                throw new IllegalArgumentException("--out " + p + " is a directory");
            }
        }
        return paths;
    }

    private static Path deltaPath(Path first) {
        return sibling(first, ".delta");
    }

    /** {@code attr.npy} with {@code suffix} before the extension: {@code attr.1.npy}. */
    private static Path sibling(Path p, String suffix) {
        String name = p.getFileName().toString();
        String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return p.resolveSibling(stem + suffix + ".npy");
    }

    /** Writes every file, or on failure removes the ones this call created. */
    private static void writeAll(List<Path> paths, List<Tensor> tensors) {
        List<Path> created = new ArrayList<>();
        try {
            for (int i = 0; i < paths.size(); i++) {
                boolean existed = Files.exists(paths.get(i));
                Npy.write(paths.get(i), tensors.get(i));
                if (!existed) {
                    created.add(paths.get(i));
                }
            }
        } catch (RuntimeException e) {
            for (Path p : created) {
                try {
                    Files.deleteIfExists(p);
                } catch (java.io.IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
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
