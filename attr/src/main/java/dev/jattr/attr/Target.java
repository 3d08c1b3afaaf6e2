package dev.jattr.attr;

import dev.jattr.graph.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Which model output an attribution explains, as Captum's {@code target}: none (only for an output
 * of one number per example; otherwise it fails, as Captum does), one index for every example (an int, or a tuple for outputs of more
 * than two dimensions), or one index per example.
 */
public sealed interface Target {
    /** No selection: every output element of an example counts (Captum's {@code target=None}). */
    static Target none() {
        return None.INSTANCE;
    }

    /** The same output index for every example; several numbers index an output of more than 2 dimensions. */
    static Target index(int... index) {
        return new Index(index);
    }

    /** One output index per example. */
    static Target perExample(List<int[]> indices) {
        return new PerExample(indices);
    }

    /** One output index per example (single numbers). */
    static Target perExample(int... indices) {
        return new PerExample(Arrays.stream(indices).mapToObj(i -> new int[] {i}).toList());
    }

    /** Captum's target=None. */
    enum None implements Target {
        /** The only instance. */
        INSTANCE
    }

    /**
     * One index for all examples.
     *
     * @param index the index into dimensions 1… of the output
     */
    record Index(int[] index) implements Target {
        /** Copies the index. */
        public Index {
            index = index.clone();
        }

        @Override
        public String toString() {
            return Arrays.toString(index);
        }
    }

    /**
     * One index per example.
     *
     * @param indices an index into dimensions 1… of the output for each example
     */
    record PerExample(List<int[]> indices) implements Target {
        /** Copies the list. */
        public PerExample {
            indices = indices.stream().map(int[]::clone).toList();
        }
    }

    /**
     * The output element chosen for row {@code row} of an output whose batch repeats the
     * {@code examples} original examples (row r is example r mod examples); -1 for every element
     * (no target, on an output of one element per example). Fails, in the terms of the model
     * output for the caller's {@code examples} (not of the repeated rows), when the target does not
     * pick one element per example.
     */
    default int flatIndexInRow(Tensor output, int row, int examples) {
        return flatIndexInRow(output.shape(), row, examples);
    }

    /** {@link #flatIndexInRow(Tensor, int, int)} for an output of shape {@code shape}. */
    default int flatIndexInRow(int[] shape, int row, int examples) {
        int[] each = Arrays.copyOfRange(shape, Math.min(1, shape.length), shape.length);
        int[] idx = switch (this) {
            case None n -> null;
            case Index i -> i.index();
            case PerExample p -> {
                if (p.indices().size() != examples) {
                    throw new IllegalArgumentException("target lists " + p.indices().size() + " indices for " + examples
                            + " examples; give one index for all or one per example");
                }
                yield p.indices().get(row % examples);
            }
        };
        if (idx == null) {
            if (shape.length > 0 && dev.jattr.graph.Shapes.size(each) != 1) {
                throw new IllegalArgumentException("no target given, but the model output of shape " + userShape(each, examples)
                        + " has " + dev.jattr.graph.Shapes.size(each) + " values per example; a target must pick one (--target),"
                        + " as Captum requires (it cannot take the gradient of several outputs)");
            }
            return -1;
        }
        if (idx.length != each.length) {
            throw new IllegalArgumentException("target " + text(idx) + " does not index the model output of shape "
                    + userShape(each, examples) + ": it needs " + each.length + (each.length == 1 ? " number" : " numbers")
                    + " per example, got " + idx.length);
        }
        int flat = 0;
        for (int d = 0; d < idx.length; d++) {
            int k = idx[d] < 0 ? idx[d] + each[d] : idx[d];
            if (k < 0 || k >= each[d]) {
                throw new IllegalArgumentException("target " + text(idx) + " is out of range for the model output of shape "
                        + userShape(each, examples) + " (dimension " + (d + 1) + " takes " + (each[d] == 0 ? "no index"
                        : "0 to " + (each[d] - 1) + " or -" + each[d] + " to -1") + ")");
            }
            flat = flat * each[d] + k;
        }
        return flat;
    }

    /**
     * Fails unless this target picks one element per example of an output whose examples have
     * shape {@code each}, for {@code examples} examples.
     */
    default void check(int[] each, int examples) {
        int[] shape = new int[each.length + 1];
        shape[0] = examples;
        System.arraycopy(each, 0, shape, 1, each.length);
        for (int r = 0; r < (this instanceof PerExample ? Math.max(examples, 1) : 1); r++) {
            flatIndexInRow(shape, r, examples);
        }
    }

    /** The output shape for {@code examples} examples of shape {@code each}. */
    private static String userShape(int[] each, int examples) {
        int[] s = new int[each.length + 1];
        s[0] = examples;
        System.arraycopy(each, 0, s, 1, each.length);
        return Arrays.toString(s);
    }

    /** An index as Captum writes it: 3, or the tuple (1, 2). */
    private static String text(int[] idx) {
        if (idx.length == 1) {
            return String.valueOf(idx[0]);
        }
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < idx.length; i++) {
            s.append(i == 0 ? "" : ", ").append(idx[i]);
        }
        return s.append(")").toString();
    }

    /** The gradient seed: 1 at each row's chosen element (the only one when none), 0 elsewhere. */
    default Tensor seed(Tensor output, int examples) {
        Tensor s = Tensor.zeros(output.dtype(), output.shape());
        int rows = output.dim(0), inner = output.size() / Math.max(rows, 1);
        for (int r = 0; r < rows; r++) {
            int k = flatIndexInRow(output, r, examples);
            if (k < 0) {
                for (int j = 0; j < inner; j++) {
                    s.setDouble(r * inner + j, 1);
                }
            } else {
                s.setDouble(r * inner + k, 1);
            }
        }
        return s;
    }

    /** The selected output value of each row (its only value when none). */
    default double[] select(Tensor output, int examples) {
        int rows = output.dim(0), inner = output.size() / Math.max(rows, 1);
        double[] r = new double[rows];
        for (int i = 0; i < rows; i++) {
            int k = flatIndexInRow(output, i, examples);
            if (k >= 0) {
                r[i] = output.getDouble(i * inner + k);
            } else {
                for (int j = 0; j < inner; j++) {
                    r[i] += output.getDouble(i * inner + j);
                }
            }
        }
        return r;
    }
}
