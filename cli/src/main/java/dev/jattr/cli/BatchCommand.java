package dev.jattr.cli;

import dev.jattr.batch.Baseline;
import dev.jattr.batch.BatchRun;
import dev.jattr.batch.ExampleSource;
import dev.jattr.batch.MethodSpec;
import dev.jattr.batch.NpySource;
import dev.jattr.batch.TargetChoice;
import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ValueInfo;
import dev.jattr.onnx.OnnxModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jattr batch}: one layer attribution for every example of a dataset (a folder of images, a
 * stacked .npy or a Parquet file), streamed into Parquet shards with a summary, resumable after a
 * kill.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Attribute every example of a dataset and write Parquet shards and a summary.json; rerun to resume.",
        footer = {"", "Example: jattr batch --model net.onnx --input images/ --resize 256 --center-crop 224"
                + " --method LayerIntegratedGradients --layer features.4 --out attributions/"})
public final class BatchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The ONNX model (of one input).")
    String model;

    @Option(names = "--input", required = true, paramLabel = "[NAME=]DATA",
            description = "The dataset: a folder of PNG/JPEG images, a stacked .npy (dimension 0 counts examples) or a .parquet file.")
    String input;

    @Option(names = "--column", paramLabel = "NAME", description = "The Parquet column of the input tensors (default: the only list column).")
    String column;

    @Option(names = "--id-column", paramLabel = "NAME", description = "The Parquet column of example ids (default: id when present, else the row number).")
    String idColumn;

    @Option(names = "--label-column", paramLabel = "NAME", description = "The Parquet column of labels, for --target label.")
    String labelColumn;

    @Option(names = "--labels", paramLabel = "FILE.npy", description = "The labels of a .npy dataset, one integer per example, for --target label.")
    String labels;

    @Option(names = "--method", required = true, paramLabel = "METHOD", description = "The Captum method name.")
    String method;

    @Option(names = "--layer", required = true, paramLabel = "LAYER",
            description = "The layer: PyTorch module path (features.4), ONNX node name or tensor name.")
    String layer;

    @Option(names = "--target", paramLabel = "TARGET", defaultValue = "predicted",
            description = "predicted (the example's largest output), label, or an output index; default ${DEFAULT-VALUE}.")
    String target;

    @Option(names = "--model-output", paramLabel = "NAME", description = "The model output to explain (default: the first).")
    String modelOutput;

    @Option(names = "--baseline", paramLabel = "NUMBER|FILE.npy", defaultValue = "0",
            description = "The input's baseline: a number, or a .npy of one example's shape or of rows of it (a distribution for the SHAP methods); default ${DEFAULT-VALUE}.")
    String baseline;

    @Option(names = "--attribute-to-layer-input", description = "Attribute to the layer's input instead of its output.")
    boolean attributeToLayerInput;

    @Option(names = "--no-delta", description = "Skip the convergence delta of the methods that have one (it is computed by default).")
    boolean noDelta;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "10", description = "Attribution units of largest magnitude listed per example; default ${DEFAULT-VALUE}.")
    String topK;

    @Mixin
    MethodOptions methodOptions = new MethodOptions();

    @Mixin
    ImageOptions imageOptions = new ImageOptions();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The output folder: part-NNNNN.parquet shards, run.json, summary.json.")
    String out;

    @Option(names = "--shard-size", paramLabel = "N", defaultValue = "256", description = "Examples per shard; default ${DEFAULT-VALUE}.")
    String shardSize;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16", description = "Examples per stacked method call; default ${DEFAULT-VALUE}.")
    String batchSize;

    @Option(names = "--quiet", description = "Show no progress on standard error.")
    boolean quiet;

    /**
     * What a batch run is: the model, the dataset, the method and the cut, checked. Shared with
     * the Spark job, which takes the same arguments.
     *
     * @param modelFile the model
     * @param graph     the model's graph
     * @param spec      the method
     * @param out       the output folder
     * @param shardSize examples per shard
     * @param batchSize examples per call
     */
    public record Job(Path modelFile, Graph graph, MethodSpec spec, Path out, int shardSize, int batchSize) {
    }

    /**
     * Where the dataset is, as given: the shared part of {@code jattr batch}'s and
     * {@code jattr-spark}'s arguments that another runner reads itself.
     *
     * @param input       the {@code --input} value, a model input name and '=' removed
     * @param column      {@code --column}, or null
     * @param idColumn    {@code --id-column}, or null
     * @param labelColumn {@code --label-column}, or null
     * @param labels      {@code --labels}, or null
     * @param imageFlag   the first image preprocessing flag given, or null
     */
    public record Data(String input, String column, String idColumn, String labelColumn, String labels, String imageFlag) {
    }

    /** The dataset arguments as given. */
    public Data data(Graph graph) {
        String data = input;
        int eq = input.indexOf('=');
        if (eq > 0 && graph.inputs().stream().anyMatch(v -> v.name().equals(input.substring(0, eq)))) {
            data = input.substring(eq + 1);
        }
        boolean image = imageOptions.preprocessing().any();
        return new Data(data, column, idColumn, labelColumn, labels, image ? imageOptions.firstGiven() : null);
    }

    /** Reads and checks the model and the method arguments. */
    public Job job() {
        Path modelFile = Arguments.model(model);
        Graph graph = OnnxModel.load(modelFile).graph();
        onlyInput(graph);
        Map<String, String> spelling = new LinkedHashMap<>();
        Map<String, String> args = methodOptions.arguments(spelling);
        Baseline base = baseline(graph);
        MethodSpec ms = new MethodSpec(method, layer, args, attributeToLayerInput, modelOutput,
                TargetChoice.parse("--target", target), base, !noDelta, count("--top-k", topK, 0, MethodSpec.MAX_TOP_K));
        return new Job(modelFile, graph, ms, Arguments.path("--out", out), count("--shard-size", shardSize, 1, BatchRun.Options.MAX_SIZE),
                count("--batch-size", batchSize, 1, BatchRun.Options.MAX_SIZE));
    }

    /** {@code --baseline}: a number, or the rows of a .npy file shaped like the model's input. */
    private Baseline baseline(Graph graph) {
        String text = baseline.strip();
        java.util.Optional<Double> number = AttributeCommand.parseNumber(text);
        if (number.isPresent() && !Double.isFinite(number.get())) {
            throw new IllegalArgumentException("--baseline '" + baseline + "': " + text + " is not a finite number");
        } else if (number.isPresent()) {
            return Baseline.of(number.get());
        }
        if (!text.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            throw new IllegalArgumentException("--baseline '" + baseline + "' is neither a number nor a .npy file");
        }
        Tensor t = Arguments.array("--baseline", text);
        int rank = onlyInput(graph).dims().length;
        int[] shape = t.rank() == rank - 1 ? java.util.stream.IntStream.concat(java.util.stream.IntStream.of(1),
                java.util.Arrays.stream(t.shape())).toArray() : t.shape();
        if (shape.length != rank || shape[0] < 1) {
            throw new IllegalArgumentException("--baseline " + text + " has shape " + java.util.Arrays.toString(t.shape())
                    + "; give one example's shape or rows of it (model input " + graph.inputs().getFirst().shapeText() + ")");
        }
        return Baseline.rows(t.cast(DType.F32).floats(), shape);
    }

    /** The dataset {@code --input} names, read as the model's input. */
    public ExampleSource source(Graph graph) {
        ValueInfo in = onlyInput(graph);
        String data = data(graph).input();
        Path p = Arguments.path("--input", data);
        String lower = data.toLowerCase(Locale.ROOT);
        boolean npy = lower.endsWith(".npy"), parquet = lower.endsWith(".parquet");
        if (!Files.isDirectory(p) && !npy && !parquet) {
            throw new IllegalArgumentException("--input " + input + ": give a folder of images, a .npy or a .parquet file");
        }
        if (!Files.isDirectory(p)) {
            Arguments.existingFile("--input", data);
        }
        if (labels != null && !npy) {
            throw new IllegalArgumentException("--labels applies to a .npy dataset; a Parquet dataset names its --label-column");
        }
        if ((column != null || idColumn != null || labelColumn != null) && !parquet) {
            throw new IllegalArgumentException((column != null ? "--column" : idColumn != null ? "--id-column" : "--label-column")
                    + " applies to a Parquet dataset");
        }
        ImagePreprocessing prep = imageOptions.preprocessing();
        if (prep.any() && !Files.isDirectory(p)) {
            throw new IllegalArgumentException(imageOptions.firstGiven() + " applies to image inputs, and --input is not a folder of images");
        }
        if (Files.isDirectory(p)) {
            return ImageFolderSource.open("--input " + input, p, in, prep);
        }
        if (npy) {
            return NpySource.open(p, labels == null ? null : Arguments.existingFile("--labels", labels));
        }
        int[] dims = in.dims();
        return dev.jattr.batch.ParquetSource.open(p, column, idColumn, labelColumn, java.util.Arrays.copyOfRange(dims, Math.min(1, dims.length), dims.length));
    }

    /** The model's one input; fails naming its inputs when it has another number of them. */
    private static ValueInfo onlyInput(Graph graph) {
        if (graph.inputs().size() != 1) {
            throw new IllegalArgumentException("the model has " + graph.inputs().size() + " inputs "
                    + graph.inputs().stream().map(ValueInfo::name).toList() + "; jattr batch feeds models of one input");
        }
        return graph.inputs().getFirst();
    }

    private static int count(String option, String text, int min, int max) {
        String t = text.strip();
        if (!t.matches("\\d{1,9}") || Integer.parseInt(t) < min || Integer.parseInt(t) > max) {
            throw new IllegalArgumentException(option + " '" + text + "' must be a whole number from " + min + " to " + max);
        }
        return Integer.parseInt(t);
    }

    /** The arguments as given, for the summary. */
    Map<String, Object> given() {
        Map<String, Object> g = new LinkedHashMap<>();
        for (var o : spec.options()) {
            if (spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(o)) {
                g.put(o.longestName(), o.getValue() == null ? null : String.valueOf((Object) o.getValue()));
            }
        }
        return g;
    }

    @Override
    public Integer call() {
        Job job = job();
        PrintWriter o = spec.commandLine().getOut();
        try (ExampleSource source = source(job.graph())) {
            var options = new BatchRun.Options(job.out(), job.shardSize(), job.batchSize(),
                    ProgressPrinter.of(spec.commandLine().getErr(), quiet), given());
            BatchRun.Result r = BatchRun.run(job.graph(), job.modelFile(), source, job.spec(), options);
            o.printf(Locale.ROOT, "%s %s: %d examples in %d shard%s (%d written, %d already done), %.3g examples/s -> %s%n",
                    job.spec().method(), job.spec().layer(), r.examples(), r.shards(), r.shards() == 1 ? "" : "s", r.shardsWritten(),
                    r.shardsSkipped(), r.examplesPerSecond(), r.summary());
        }
        o.flush();
        return 0;
    }
}
