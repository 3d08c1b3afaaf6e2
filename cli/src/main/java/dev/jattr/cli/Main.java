package dev.jattr.cli;

import dev.jattr.graph.CurrentBackend;
import dev.jattr.kernels.Backend;
import java.io.PrintWriter;
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
        subcommands = {AttributeCommand.class, BatchCommand.class, LayersCommand.class, CheckCommand.class, ConformanceCommand.class, ParityCommand.class, DemoCommand.class, TrainDemoCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** The exit code of a user error: a bad argument, file, model or input. */
    public static final int USER_ERROR = 2;
    /** The exit code of a failure inside jattr itself. */
    public static final int INTERNAL_ERROR = 1;

    @Spec
    private CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of an error.")
    private boolean verbose;

    @Option(names = "--device", scope = ScopeType.INHERIT, paramLabel = "DEVICE", defaultValue = "cpu",
            description = "Where to compute: cpu, cuda (an NVIDIA GPU) or auto (CUDA where a GPU answers, else the CPU); "
                    + "default ${DEFAULT-VALUE}.")
    private String device;

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
        return commandLine(out, err).execute(args);
    }

    /** The command line with its subcommands, help and error handling, writing to {@code out} and {@code err}. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
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
            CommandLine where = e.getCommandLine();
            String command = where.getCommandSpec().qualifiedName();
            where.getErr().println("jattr: " + parameterProblem(e) + " (see '" + command + " --help')");
            return USER_ERROR;
        });
        cl.setExecutionStrategy(Main::runCatchingErrors);
        cl.setExecutionExceptionHandler(Main::handle);
        return cl;
    }

    /** {@code jattr} alone: one line pointing to the help, not the whole usage. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("jattr: no command given; see 'jattr --help'");
        return USER_ERROR;
    }

    /** picocli's complaint in jattr's words: an unknown command or option with the closest known one. */
    private static String parameterProblem(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().getFirst();
            String hint = u.getSuggestions().isEmpty() ? "" : "; did you mean '" + u.getSuggestions().getFirst() + "'?";
            CommandSpec spec = e.getCommandLine().getCommandSpec();
            if (first.startsWith("-")) {
                return "unknown option '" + first + "'" + hint;
            }
            if (!spec.subcommands().isEmpty() && spec.parent() == null) {
                return "unknown command '" + first + "'" + hint;
            }
            return "unexpected argument '" + first + "'" + hint;
        }
        return oneLine(e.getMessage());
    }

    /**
     * Runs the command; an {@link OutOfMemoryError} or {@link StackOverflowError}, which picocli
     * passes through, becomes an execution exception so that it ends as one line too.
     */
    private static int runCatchingErrors(ParseResult parsed) {
        try {
            if (helpAsked(parsed)) {
                return new CommandLine.RunLast().execute(parsed);
            }
            Backend backend = device(parsed);
            return CurrentBackend.call(backend, () -> new CommandLine.RunLast().execute(parsed));
        } catch (OutOfMemoryError | StackOverflowError e) {
            ParseResult last = parsed;
            while (last.subcommand() != null) {
                last = last.subcommand();
            }
            throw new CommandLine.ExecutionException(last.commandSpec().commandLine(), "", e);
        }
    }

    private static int handle(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        Throwable cause = e instanceof CommandLine.ExecutionException && e.getCause() instanceof Error error ? error : e;
        String message = ErrorWords.of(cause);
        boolean user = ErrorWords.isUserError(cause);
        err.println("jattr: " + (user ? message : "internal error: " + message + "; rerun with --verbose and report it"));
        if (verbose(parsed)) {
            cause.printStackTrace(err);
        }
        err.flush();
        return user ? USER_ERROR : INTERNAL_ERROR;
    }

    /** The backend {@code --device} names, wherever on the command line it was given; the CPU by default. */
    private static Backend device(ParseResult parsed) {
        String name = "cpu";
        for (ParseResult r = parsed; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--device")) {
                name = r.matchedOptionValue("--device", name);
            }
        }
        try {
            return Devices.resolve(name);
        } catch (IllegalArgumentException e) {
            ParseResult last = parsed;
            while (last.subcommand() != null) {
                last = last.subcommand();
            }
            throw new CommandLine.ExecutionException(last.commandSpec().commandLine(), e.getMessage(), e);
        }
    }

    private static boolean helpAsked(ParseResult parsed) {
        for (ParseResult r = parsed; r != null; r = r.subcommand()) {
            if (r.isUsageHelpRequested() || r.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
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
    public static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
