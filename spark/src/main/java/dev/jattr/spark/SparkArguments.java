package dev.jattr.spark;

import dev.jattr.batch.MethodSpec;
import dev.jattr.batch.TargetChoice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of {@code jattr-spark}: {@code --master} and the arguments of {@code jattr
 * batch}. All the parsing is here, so that it can give way to {@code jattr batch}'s own command
 * once the two share it.
 */
@Command(name = "jattr-spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Attributes every example of a dataset with Apache Spark and writes Parquet with a summary.json.")
final class SparkArguments {
    @Option(names = "--master", paramLabel = "URL", description = "Spark's master, e.g. local[2] (default: spark-submit's).")
    String master;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The ONNX model (read on the driver, sent to the executors).")
    String model;

    @Option(names = "--input", required = true, paramLabel = "DATA",
            description = "A stacked .npy (dimension 0 counts the examples; read by the executors, at the same path) or Parquet.")
    String input;

    @Option(names = "--labels", paramLabel = "FILE.npy", description = "One integer label per example of a .npy input.")
    String labels;

    @Option(names = "--column", paramLabel = "NAME", description = "Parquet: the input column (default: the only array column; as jattr batch).")
    String inputColumn;

    @Option(names = "--id-column", paramLabel = "NAME", defaultValue = "id", description = "Parquet: the id column (default ${DEFAULT-VALUE}).")
    String idColumn;

    @Option(names = "--label-column", paramLabel = "NAME", description = "Parquet: the label column (default: none).")
    String labelColumn;

    @Option(names = "--method", required = true, paramLabel = "METHOD", description = "The Captum method name.")
    String method;

    @Option(names = "--layer", required = true, paramLabel = "LAYER",
            description = "A layer: PyTorch module path (features.4), ONNX node name or tensor name.")
    String layer;

    @Option(names = "--target", paramLabel = "TARGET", defaultValue = "predicted",
            description = "predicted, label or an output index (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--model-output", paramLabel = "NAME", description = "The model output to explain (default: the first).")
    String modelOutput;

    @Option(names = "--baseline", paramLabel = "NUMBER", defaultValue = "0", description = "The baseline of the input (default ${DEFAULT-VALUE}).")
    double baseline;

    @Option(names = "--n-steps", paramLabel = "N", description = "Integration steps (Captum's n_steps).")
    String nSteps;

    @Option(names = "--integration", paramLabel = "RULE", description = "gausslegendre or riemann_* (Captum's method).")
    String integration;

    @Option(names = "--internal-batch-size", paramLabel = "N", description = "Rows per evaluation of the steps.")
    String internalBatchSize;

    @Option(names = "--n-samples", paramLabel = "N", description = "Random samples per example (Captum's n_samples).")
    String nSamples;

    @Option(names = "--seed", paramLabel = "N", description = "The seed of random methods, mixed with each example's id (default 0).")
    String seed;

    @Option(names = "--no-multiply-by-inputs", description = "Captum's multiply_by_inputs=False.")
    boolean noMultiplyByInputs;

    @Option(names = "--attribute-to-layer-input", description = "Attribute to the layer's input instead of its output.")
    boolean attributeToLayerInput;

    @Option(names = "--no-delta", description = "Skip the convergence delta of the methods that have one.")
    boolean noDelta;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "10", description = "Attributions of largest magnitude listed per example (default ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--arg", paramLabel = "NAME=VALUE", description = "Any other method argument by its Captum name, e.g. --arg n_steps=20.")
    List<String> extra = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The output folder, which must not exist.")
    String out;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16", description = "Examples per stacked call (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of the input (.npy default: twice Spark's default parallelism; Parquet: as read).")
    Integer partitions;

    /** The run these arguments describe; fails on arguments that do not fit together. */
    SparkJob job() {
        if (partitions != null && partitions < 1) {
            throw new IllegalArgumentException("--partitions " + partitions + " must be at least 1");
        }
        boolean npy = input.endsWith(".npy");
        if (labels != null && !npy) {
            throw new IllegalArgumentException("--labels goes with a .npy input; name the label column of Parquet with --label-column");
        }
        if (npy && (inputColumn != null || labelColumn != null || !"id".equals(idColumn))) {
            throw new IllegalArgumentException("--column, --id-column and --label-column go with Parquet input, not .npy");
        }
        AttributeOptions options = new AttributeOptions(inputColumn, idColumn, npy && labels != null ? "label" : labelColumn, batchSize);
        MethodSpec spec = new MethodSpec(method, layer, arguments(), attributeToLayerInput, modelOutput,
                TargetChoice.parse("--target", target), baseline, !noDelta, topK);
        return new SparkJob(master, Path.of(model), input, labels == null ? null : Path.of(labels), options, partitions, spec, out);
    }

    /** The method arguments by Captum name, from the dedicated flags and {@code --arg}. */
    private Map<String, String> arguments() {
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, String> spelling = new LinkedHashMap<>();
        flag(args, spelling, "n_steps", "--n-steps", nSteps);
        flag(args, spelling, "method", "--integration", integration);
        flag(args, spelling, "internal_batch_size", "--internal-batch-size", internalBatchSize);
        flag(args, spelling, "n_samples", "--n-samples", nSamples);
        flag(args, spelling, "seed", "--seed", seed);
        flag(args, spelling, "multiply_by_inputs", "--no-multiply-by-inputs", noMultiplyByInputs ? "false" : null);
        for (String text : extra) {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--arg '" + text + "' is not NAME=VALUE");
            }
            String name = text.substring(0, eq);
            if (args.containsKey(name)) {
                throw new IllegalArgumentException("argument " + name + " is given twice (" + spelling.get(name) + " and --arg " + name + ")");
            }
            args.put(name, text.substring(eq + 1));
            spelling.put(name, "--arg " + name);
        }
        return args;
    }

    private static void flag(Map<String, String> args, Map<String, String> spelling, String captumName, String flag, String value) {
        if (value != null) {
            args.put(captumName, value);
            spelling.put(captumName, flag);
        }
    }
}
