package dev.jattr.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The method options that {@code attribute} and {@code batch} share, each a Captum argument under
 * a flag of its own, plus {@code --arg NAME=VALUE} for any other.
 */
final class MethodOptions {
    @Option(names = "--n-steps", paramLabel = "N", description = "Integration steps (Captum's n_steps).")
    private String nSteps;

    @Option(names = "--integration", paramLabel = "RULE",
            description = "gausslegendre, riemann_left, riemann_right, riemann_middle or riemann_trapezoid (Captum's method).")
    private String integration;

    @Option(names = "--internal-batch-size", paramLabel = "N", description = "Rows per evaluation of the steps.")
    private String internalBatchSize;

    @Option(names = "--n-samples", paramLabel = "N", description = "Random samples per example (Captum's n_samples).")
    private String nSamples;

    @Option(names = "--seed", paramLabel = "N", description = "The seed of the random draws (Captum's seed).")
    private String seed;

    @Option(names = "--no-multiply-by-inputs", description = "Captum's multiply_by_inputs=False.")
    private boolean noMultiplyByInputs;

    @Option(names = "--arg", paramLabel = "NAME=VALUE",
            description = "Any other method argument by its Captum name, e.g. --arg n_steps=20.")
    private List<String> extra = new ArrayList<>();

    /**
     * The Captum arguments given, by Captum name; {@code spelling} receives how each was written.
     * {@code more} are further (Captum name, flag, value) triples of the calling command, a null
     * value meaning not given. An argument given twice fails naming both spellings.
     */
    Map<String, String> arguments(Map<String, String> spelling, String... more) {
        Map<String, String> args = new LinkedHashMap<>();
        flag(args, spelling, "n_steps", "--n-steps", nSteps);
        flag(args, spelling, "method", "--integration", integration);
        flag(args, spelling, "internal_batch_size", "--internal-batch-size", internalBatchSize);
        flag(args, spelling, "n_samples", "--n-samples", nSamples);
        flag(args, spelling, "seed", "--seed", seed);
        flag(args, spelling, "multiply_by_inputs", "--no-multiply-by-inputs", noMultiplyByInputs ? "false" : null);
        for (int i = 0; i + 2 < more.length; i += 3) {
            flag(args, spelling, more[i], more[i + 1], more[i + 2]);
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
        return args;
    }

    /** Adds the value of a dedicated flag under its Captum name, when the flag is given. */
    private static void flag(Map<String, String> args, Map<String, String> spelling, String captumName, String flag, String value) {
        if (value != null) {
            args.put(captumName, value);
            spelling.put(captumName, flag);
        }
    }
}
