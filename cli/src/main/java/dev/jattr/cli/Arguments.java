package dev.jattr.cli;

import dev.jattr.attr.Target;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parsing of the command line's small languages: targets, {@code name=value} pairs, array files. */
final class Arguments {
    private Arguments() {}

    /**
     * A target: {@code 3} (index 3 for every example), {@code 1:2} (the tuple index (1, 2) for an
     * output of more than two dimensions), or a comma-separated list of either, one per example.
     */
    static Target target(String text) {
        String[] perExample = text.split(",", -1);
        List<int[]> indices = new ArrayList<>();
        for (String one : perExample) {
            String[] parts = one.split(":", -1);
            int[] index = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i].strip();
                if (!part.matches("-?\\d+")) {
                    throw new IllegalArgumentException("--target '" + text + "' is not a target"
                            + (part.isEmpty() ? " (an index is missing)" : " ('" + part + "' is not a whole number)")
                            + ": use 3 (one index), 1:2 (a tuple index) or 3,7 (one per example)");
                }
                try {
                    index[i] = Integer.parseInt(part);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--target '" + text + "': index " + part + " is out of range");
                }
            }
            indices.add(index);
        }
        return indices.size() == 1 ? Target.index(indices.getFirst()) : Target.perExample(indices);
    }

    /** Splits {@code name=value} at the first '='; fails naming the option when there is none. */
    static Map.Entry<String, String> pair(String option, String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(option + " '" + text + "' is not NAME=VALUE");
        }
        return Map.entry(text.substring(0, eq), text.substring(eq + 1));
    }

    /**
     * Reads the .npy file {@code file} given for {@code what}: fails when it is missing, unreadable,
     * or holds a NaN or infinity.
     */
    static Tensor array(String what, String file) {
        Tensor t = Npy.read(existingFile(what, file));
        if (t.dtype().isFloating()) {
            for (int i = 0, n = t.size(); i < n; i++) {
                double v = t.getDouble(i);
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(what + ": " + file + " holds " + v + " at flat index " + i);
                }
            }
        }
        return t;
    }

    /** {@code file} as a path; fails naming {@code what} when the text cannot be one. */
    static Path path(String what, String file) {
        try {
            return Path.of(file);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(what + ": '" + file + "' is not a valid file path");
        }
    }

    /** The path of a model file, failing when it does not exist. */
    static Path model(String file) {
        return existingFile("model file", file);
    }

    /** {@code file} as the path of an existing regular file; fails naming {@code what} when it is missing or a folder. */
    static Path existingFile(String what, String file) {
        Path p = path(what, file);
        if (file.isBlank()) {
            throw new IllegalArgumentException(what + ": no file given");
        }
        if (Files.isDirectory(p)) {
            throw new IllegalArgumentException(what + ": " + file + " is a folder, not a file");
        }
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(what + ": file not found: " + file);
        }
        return p;
    }
}
