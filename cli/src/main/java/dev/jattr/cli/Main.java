package dev.jattr.cli;

import dev.jattr.graph.ExecutionException;
import dev.jattr.onnx.UnsupportedModelException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code jattr} command: Captum's layer attributions for ONNX models. Every user error
 * ends as one line {@code jattr: <message>} on standard error and exit code 2; the stack trace
 * is printed only with {@code --verbose}.
 */
@Command(name = "jattr", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Captum's layer attributions for ONNX models, on the JVM.",
        subcommands = {AttributeCommand.class, LayersCommand.class, CheckCommand.class, ConformanceCommand.class, ParityCommand.class, DemoCommand.class})
public final class Main implements Runnable {
    /** The exit code of a user error: a bad argument, file, model or input. */
    public static final int USER_ERROR = 2;
    /** The exit code of a failure inside jattr itself. */
    public static final int INTERNAL_ERROR = 1;

    @Spec
    private CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of an error.")
    private boolean verbose;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line with the given streams and returns the exit code (for tests and embedding). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        var attribute = cl.getSubcommands().get("attribute").getCommandSpec().usageMessage();
        String[] footer = attribute.footer();
        String[] methods = AttributeCommand.methodHelp();
        String[] all = java.util.Arrays.copyOf(methods, methods.length + footer.length);
        System.arraycopy(footer, 0, all, methods.length, footer.length);
        attribute.footer(all);
        cl.setUsageHelpWidth(100);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, a) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            e.getCommandLine().getErr().println("jattr: " + oneLine(e.getMessage()) + " (see '" + command + " --help')");
            return USER_ERROR;
        });
        cl.setExecutionExceptionHandler(Main::handle);
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "no command given");
    }

    private static int handle(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean user = isUserError(e);
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        err.println("jattr: " + (user ? "" : "internal error (" + e.getClass().getName() + "): ") + oneLine(message));
        if (verbose(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return user ? USER_ERROR : INTERNAL_ERROR;
    }

    private static boolean isUserError(Exception e) {
        return e instanceof IllegalArgumentException || e instanceof UnsupportedModelException
                || e instanceof ExecutionException || e instanceof UncheckedIOException;
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult r = parsed; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** {@code message} with its line breaks folded, so that an error stays one line. */
    static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
