package dev.jattr.cli;

import dev.jattr.graph.CurrentBackend;
import dev.jattr.onnx.ModelCheck;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jattr check}: whether jattr can run and explain a model: its opset, inputs and outputs,
 * op histogram, the nodes it cannot import, and the ops without a gradient on the path to the
 * output.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Check that jattr can run and differentiate a model: opset, inputs/outputs, op histogram,",
                "unsupported ops with their nodes, ops without a gradient on the path to the output.",
                "Exit code 0: ready to attribute; 1: something is unsupported or not differentiable; 2: not a model."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
            description = "The ONNX model; with --device alone, only the device is checked.")
    private String model;

    @Override
    public Integer call() {
        boolean device = deviceGiven();
        if (device) {
            spec.commandLine().getOut().println("device: " + CurrentBackend.get().description());
            spec.commandLine().getOut().flush();
        }
        if (model == null) {
            if (device) {
                return 0;
            }
            throw new IllegalArgumentException("check needs a MODEL, or --device to check a device");
        }
        ModelCheck c = ModelCheck.of(Arguments.model(model));
        spec.commandLine().getOut().print(c.render());
        spec.commandLine().getOut().flush();
        return c.differentiable() ? 0 : 1;
    }

    private boolean deviceGiven() {
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            if (s.commandLine().getParseResult() != null && s.commandLine().getParseResult().hasMatchedOption("--device")) {
                return true;
            }
        }
        return false;
    }
}
