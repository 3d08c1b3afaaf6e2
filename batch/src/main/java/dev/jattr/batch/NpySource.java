package dev.jattr.batch;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.NpyRows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Examples from a stacked {@code .npy} file, dimension 0 counting them, read a few rows at a time.
 * Example ids are the row numbers; a NaN or infinite value fails naming the row.
 */
public final class NpySource implements ExampleSource {
    private final Path file;
    private final NpyRows rows;
    private final List<Integer> labels;

    private NpySource(Path file, NpyRows rows, List<Integer> labels) {
        this.file = file;
        this.rows = rows;
        this.labels = labels;
    }

    /** Opens {@code file}; {@code labels} is an optional .npy of one integer per example (null for none). */
    public static NpySource open(Path file, Path labels) {
        NpyRows rows = NpyRows.open(file);
        try {
            if (rows.dtype() == DType.BOOL) {
                throw new IllegalArgumentException(file + " holds booleans; a dataset of model inputs holds numbers");
            }
            List<Integer> l = labels == null ? null : labels(labels, rows.rows());
            return new NpySource(file, rows, l);
        } catch (RuntimeException e) {
            rows.close();
            throw e;
        }
    }

    private static List<Integer> labels(Path file, int n) {
        Tensor t = dev.jattr.graph.io.Npy.read(file);
        if (t.rank() != 1 || t.dim(0) != n || t.dtype().isFloating() || t.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(file + ": labels must be " + n + " integers (shape (" + n + ",)), not "
                    + t.dtype().numpyName() + " " + Arrays.toString(t.shape()));
        }
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long v = t.getLong(i);
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + ": label " + v + " of example " + i + " is not an output index");
            }
            out.add((int) v);
        }
        return out;
    }

    @Override
    public String description() {
        return file + " (" + rows.rows() + " × " + Arrays.toString(rows.rowShape()) + " " + rows.dtype().numpyName() + ")";
    }

    @Override
    public long size() {
        return rows.rows();
    }

    @Override
    public List<Example> read(long first, int count) {
        Tensor t = rows.read(Math.toIntExact(first), count);
        int[] shape = rows.rowShape();
        int per = Math.max(0, t.size() / Math.max(1, count));
        List<Example> out = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            float[] v = new float[per];
            for (int i = 0; i < per; i++) {
                double x = t.getDouble(r * per + i);
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException(file + ": example " + (first + r) + " holds " + x + " at flat index " + i);
                }
                v[i] = (float) x;
            }
            int row = Math.toIntExact(first + r);
            out.add(new Example(Integer.toString(row), v, shape, labels == null ? null : labels.get(row)));
        }
        return out;
    }

    @Override
    public void close() {
        rows.close();
    }
}
