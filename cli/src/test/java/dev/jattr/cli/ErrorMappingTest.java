package dev.jattr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Every failure that reaches Main is one line: errors picocli passes through, Java's own exceptions, bugs. */
class ErrorMappingTest {
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        private final Throwable failure;

        Boom(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() throws Exception {
            if (failure instanceof Error e) {
                throw e;
            }
            throw (Exception) failure;
        }
    }

    /** Runs {@code jattr boom}, a command that throws {@code failure}. */
    private static CliRun boom(Throwable failure, String... options) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        cl.addSubcommand(new CommandLine(new Boom(failure)));
        cl.setErr(new PrintWriter(err, true));
        String[] args = new String[options.length + 1];
        args[0] = "boom";
        System.arraycopy(options, 0, args, 1, options.length);
        return new CliRun(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void runningOutOfMemoryIsOneLineSayingWhatToLower() {
        CliRun r = boom(new OutOfMemoryError("Java heap space"));
        assertEquals(Main.USER_ERROR, r.code());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().startsWith("jattr: out of memory (Java may use ") && r.err().contains("--internal-batch-size, --n-steps, --n-samples")
                && r.err().contains("-Xmx"), r.err());
    }

    @Test
    void aStackOverflowIsOneLine() {
        CliRun r = boom(new StackOverflowError());
        assertEquals(Main.USER_ERROR, r.code());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().startsWith("jattr: the model or an argument is nested too deeply for the stack"), r.err());
        CliRun verbose = boom(new StackOverflowError(), "--verbose");
        assertTrue(verbose.errLines().length > 1 && verbose.err().contains("StackOverflowError"), verbose.err());
    }

    @Test
    void aBugIsOneLineAskingForAReport() {
        CliRun r = boom(new NullPointerException("Cannot invoke \"Object.toString()\" because \"x\" is null"));
        assertEquals(Main.INTERNAL_ERROR, r.code());
        assertEquals("jattr: internal error: a value was missing; rerun with --verbose and report it" + System.lineSeparator(), r.err());
        CliRun index = boom(new ArrayIndexOutOfBoundsException("Index 5 out of bounds for length 3"));
        assertEquals("jattr: internal error: an index was out of range; rerun with --verbose and report it" + System.lineSeparator(), index.err());
    }

    @Test
    void javasOwnTextIsTranslatedFromTheExceptionClass() {
        CliRun number = boom(new NumberFormatException("For input string: \"abc\""));
        assertEquals(Main.USER_ERROR, number.code());
        assertEquals("jattr: 'abc' is not a number" + System.lineSeparator(), number.err());
        CliRun io = boom(new UncheckedIOException(new NoSuchFileException("/tmp/gone.npy")));
        assertEquals("jattr: file not found: /tmp/gone.npy" + System.lineSeparator(), io.err());
        CliRun wrapped = boom(new dev.jattr.graph.ExecutionException("node '/fc1/MatMul' (MatMul)",
                new ArrayIndexOutOfBoundsException("Index 5 out of bounds for length 3")));
        assertEquals("jattr: node '/fc1/MatMul' (MatMul): an index was out of range" + System.lineSeparator(), wrapped.err());
        CliRun overflow = boom(new NegativeArraySizeException("-2147483648"));
        assertEquals(Main.USER_ERROR, overflow.code());
        assertTrue(overflow.err().startsWith("jattr: a size computed from the inputs and arguments is too large"), overflow.err());
    }
}
