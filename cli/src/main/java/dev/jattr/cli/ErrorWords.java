package dev.jattr.cli;

import dev.jattr.graph.ExecutionException;
import dev.jattr.onnx.UnsupportedModelException;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an exception that reached the command line means, in one line of the user's words. Our own
 * exceptions carry their message; Java's own (an index out of range, a missing value, a number
 * that does not parse) carry Java's text, which is translated from the exception's class: the
 * last resort, for messages that were not made right where they were thrown.
 */
final class ErrorWords {
    /** Text that only Java, never jattr, writes in a message. */
    private static final Pattern RAW = Pattern.compile("Index -?\\d+ out of bounds|out of bounds for length|Negative size"
            + "|For input string|\\b(?:java|javax|jdk|sun)\\.[a-z]|\\bcom\\.(?:google|fasterxml)\\.|Cannot invoke|because \""
            + "|cannot be cast|Exception\\b");
    private static final Pattern NUMBER_TEXT = Pattern.compile("For input string: \"(.*)\"");
    /** Java's exceptions whose message is Java's, whatever it says. */
    private static final List<Class<? extends Throwable>> JAVAS_OWN = List.of(NullPointerException.class,
            IndexOutOfBoundsException.class, NegativeArraySizeException.class, ArithmeticException.class, ClassCastException.class,
            ArrayStoreException.class, NumberFormatException.class, java.util.NoSuchElementException.class,
            java.util.ConcurrentModificationException.class);

    private ErrorWords() {}

    /** Whether {@code e} is the user's to fix (exit 2) rather than a failure of jattr itself (exit 1). */
    static boolean isUserError(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof UnsupportedModelException || e instanceof ExecutionException
                || e instanceof UncheckedIOException || e instanceof OutOfMemoryError || e instanceof StackOverflowError || tooLarge(e);
    }

    /** The one-line message for {@code e}. */
    static String of(Throwable e) {
        return switch (e) {
            case OutOfMemoryError oom -> "out of memory (Java may use " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB): give fewer examples or smaller sizes (--internal-batch-size, --n-steps, --n-samples),"
                    + " or more memory (JAVA_OPTS=-Xmx8g)";
            case StackOverflowError soe -> "the model or an argument is nested too deeply for the stack;"
                    + " give Java a larger one (JAVA_OPTS=-Xss64m)";
            case InvalidPathException p -> "'" + p.getInput() + "' is not a valid file path";
            case UncheckedIOException u -> ours(u.getMessage()) ? Main.oneLine(u.getMessage()) : io(u.getCause());
            default -> {
                String m = e.getMessage();
                Throwable cause = e.getCause();
                if (cause != null && m != null && cause.getMessage() != null && m.endsWith(": " + cause.getMessage())
                        && !ours(cause)) {
                    yield Main.oneLine(m.substring(0, m.length() - cause.getMessage().length() - 2)) + ": " + of(cause);
                }
                yield ours(e) ? Main.oneLine(m) : javasWords(e);
            }
        };
    }

    /** Whether {@code e}'s message is ours to show. */
    private static boolean ours(Throwable e) {
        return JAVAS_OWN.stream().noneMatch(c -> c.isInstance(e)) && ours(e.getMessage());
    }

    private static boolean ours(String message) {
        return message != null && !message.isBlank() && !RAW.matcher(message).find();
    }

    private static boolean tooLarge(Throwable e) {
        return e instanceof NegativeArraySizeException
                || e instanceof ArithmeticException && e.getMessage() != null && e.getMessage().contains("overflow");
    }

    /** Words for Java's own exception {@code e}, chosen by its class. */
    private static String javasWords(Throwable e) {
        if (tooLarge(e)) {
            return "a size computed from the inputs and arguments is too large for Java's arrays: give fewer examples"
                    + " or smaller sizes (--internal-batch-size, --n-steps, --n-samples)";
        }
        return switch (e) {
            case NumberFormatException n -> {
                Matcher m = NUMBER_TEXT.matcher(String.valueOf(n.getMessage()));
                yield m.find() ? "'" + m.group(1) + "' is not a number" : "a number could not be read";
            }
            case ArithmeticException a -> "a division by zero";
            case IndexOutOfBoundsException i -> "an index was out of range";
            case NullPointerException n -> "a value was missing";
            case ClassCastException c -> "a value had an unexpected type";
            case java.util.NoSuchElementException n -> "an expected element was missing";
            case java.util.ConcurrentModificationException c -> "a collection changed while it was read";
            case IllegalStateException s -> "an inconsistent state";
            case UnsupportedOperationException u -> "an unsupported operation";
            default -> "an unexpected failure";
        };
    }

    /** Words for a failed read or write. */
    private static String io(IOException e) {
        return switch (e) {
            case NoSuchFileException f -> "file not found: " + f.getFile();
            case AccessDeniedException a -> "permission denied: " + a.getFile();
            case NotDirectoryException d -> "not a folder: " + d.getFile();
            case FileSystemException f -> f.getFile() + ": " + (f.getReason() == null ? "cannot be read or written" : f.getReason());
            case EOFException eof -> "a file ended before its data did";
            case null -> "a file could not be read or written";
            default -> ours(e.getMessage()) ? Main.oneLine(e.getMessage()) : "a file could not be read or written";
        };
    }
}
