package dev.jattr.attr;

import dev.jattr.graph.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Which model output an attribution explains, as Captum's {@code target}: none (the output is
 * one number per example), one index for every example (an int, or a tuple for outputs of more
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
     * {@code examples} original examples (row r is example r mod examples); -1 for none.
     * Fails naming the target and output shape when the index does not fit.
     */
    default int flatIndexInRow(Tensor output, int row, int examples) {
        int[] shape = output.shape();
        int[] idx = switch (this) {
            case None n -> null;
            case Index i -> i.index();
            case PerExample p -> {
                if (p.indices().size() != examples) {
                    throw new IllegalArgumentException("target lists " + p.indices().size() + " indices for " + examples
                            + " examples");
                }
                yield p.indices().get(row % examples);
            }
        };
        if (idx == null) {
            return -1;
        }
        if (idx.length != shape.length - 1) {
            throw new IllegalArgumentException("target " + Arrays.toString(idx) + " does not index an output of shape "
                    + Arrays.toString(shape) + " (it needs " + (shape.length - 1) + " numbers)");
        }
        int flat = 0;
        for (int d = 0; d < idx.length; d++) {
            int k = idx[d] < 0 ? idx[d] + shape[d + 1] : idx[d];
            if (k < 0 || k >= shape[d + 1]) {
                throw new IllegalArgumentException("target " + Arrays.toString(idx) + " is out of range for output shape "
                        + Arrays.toString(shape));
            }
            flat = flat * shape[d + 1] + k;
        }
        return flat;
    }

    /** The gradient seed: 1 at each row's chosen element (every element when none), 0 elsewhere. */
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

    /** The selected output value of each row (the sum of the row when none). */
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
