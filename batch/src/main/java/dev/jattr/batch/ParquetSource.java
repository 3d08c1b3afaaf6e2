package dev.jattr.batch;

import dev.jattr.batch.parquet.ParquetColumn;
import dev.jattr.batch.parquet.ParquetReader;
import dev.jattr.batch.parquet.ParquetType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Examples from a Parquet file: a list column holds each example's input values, flat in
 * row-major order, an optional column its id (else the row number) and an optional column its
 * label. The file is read one row group at a time.
 */
public final class ParquetSource implements ExampleSource {
    private final Path file;
    private final String column, idColumn, labelColumn;
    private final int[] shape;
    private final long rows;
    private ParquetReader reader;
    private Iterator<Object[]> it;
    private long position;

    private ParquetSource(Path file, String column, String idColumn, String labelColumn, int[] shape, long rows) {
        this.file = file;
        this.column = column;
        this.idColumn = idColumn;
        this.labelColumn = labelColumn;
        this.shape = shape;
        this.rows = rows;
    }

    /**
     * Opens {@code file}.
     *
     * @param column      the list column of the inputs, or null for the file's only list column
     * @param idColumn    the id column, or null for {@code id} when the file has one, else row numbers
     * @param labelColumn the label column (integers), or null for none
     * @param shape       the shape of one example; the lists must hold its number of values
     */
    public static ParquetSource open(Path file, String column, String idColumn, String labelColumn, int[] shape) {
        try (ParquetReader r = ParquetReader.open(file)) {
            List<ParquetColumn> cols = r.schema().columns();
            String c = column;
            if (c == null) {
                List<String> lists = cols.stream().filter(x -> x.type().isList()).map(ParquetColumn::name).toList();
                if (lists.size() != 1) {
                    throw new IllegalArgumentException(file + " has " + (lists.isEmpty() ? "no list column" : "list columns " + lists)
                            + "; name the column of the input tensors with --column");
                }
                c = lists.getFirst();
            }
            ParquetColumn input = find(file, cols, c, "--column");
            if (!input.type().isList()) {
                throw new IllegalArgumentException(file + ": column '" + c + "' is " + input.type() + "; the inputs must be a list of numbers");
            }
            String id = idColumn;
            if (id == null && cols.stream().anyMatch(x -> x.name().equals("id"))) {
                id = "id";
            }
            if (id != null) {
                ParquetType t = find(file, cols, id, "--id-column").type();
                if (t.isList() || t == ParquetType.FLOAT || t == ParquetType.DOUBLE) {
                    throw new IllegalArgumentException(file + ": id column '" + id + "' is " + t + "; ids are strings or integers");
                }
            }
            if (labelColumn != null) {
                ParquetType t = find(file, cols, labelColumn, "--label-column").type();
                if (t != ParquetType.INT32 && t != ParquetType.INT64) {
                    throw new IllegalArgumentException(file + ": label column '" + labelColumn + "' is " + t + "; labels are integers");
                }
            }
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("the model's input shape " + Arrays.toString(shape)
                            + " has dimensions it does not fix; a Parquet dataset needs all of them to shape its flat lists");
                }
            }
            return new ParquetSource(file, c, id, labelColumn, shape.clone(), r.rowCount());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static ParquetColumn find(Path file, List<ParquetColumn> cols, String name, String option) {
        return cols.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                option + " '" + name + "': " + file + " has no such column; its columns: " + cols.stream().map(ParquetColumn::name).toList()));
    }

    @Override
    public String description() {
        return file + " (" + rows + " rows, column " + column + " as " + Arrays.toString(shape) + ")";
    }

    @Override
    public long size() {
        return rows;
    }

    @Override
    public List<Example> read(long first, int count) {
        if (it == null || first < position) {
            close();
            try {
                reader = ParquetReader.open(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            List<String> names = new ArrayList<>(List.of(column));
            if (idColumn != null) {
                names.add(idColumn);
            }
            if (labelColumn != null) {
                names.add(labelColumn);
            }
            it = reader.rows(names);
            position = 0;
        }
        for (; position < first; position++) {
            next();
        }
        int per = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        List<Example> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++, position++) {
            Object[] row = next();
            String id = idColumn == null ? Long.toString(position) : String.valueOf(row[1]);
            if (row[0] == null) {
                throw new IllegalArgumentException(file + ": row " + position + " (id " + id + ") has no value in column '" + column + "'");
            }
            float[] v = floats(row[0]);
            if (v.length != per) {
                throw new IllegalArgumentException(file + ": row " + position + " (id " + id + ") holds " + v.length + " values in column '"
                        + column + "'; the model's input " + Arrays.toString(shape) + " takes " + per);
            }
            for (int j = 0; j < v.length; j++) {
                if (!Float.isFinite(v[j])) {
                    throw new IllegalArgumentException(file + ": row " + position + " (id " + id + ") holds " + v[j] + " at flat index " + j);
                }
            }
            Integer label = null;
            if (labelColumn != null) {
                Object l = row[idColumn == null ? 1 : 2];
                if (l != null) {
                    long x = ((Number) l).longValue();
                    if (x < 0 || x > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException(file + ": row " + position + " has label " + x + ", not an output index");
                    }
                    label = (int) x;
                }
            }
            out.add(new Example(id, v, shape, label));
        }
        return out;
    }

    private Object[] next() {
        if (!it.hasNext()) {
            throw new IllegalArgumentException(file + " ended at row " + position + " of the " + rows + " its footer declares");
        }
        return it.next();
    }

    private static float[] floats(Object list) {
        return switch (list) {
            case float[] f -> f;
            case double[] d -> {
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    f[i] = (float) d[i];
                }
                yield f;
            }
            case int[] x -> {
                float[] f = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    f[i] = x[i];
                }
                yield f;
            }
            case long[] x -> {
                float[] f = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    f[i] = x[i];
                }
                yield f;
            }
            default -> throw new IllegalStateException("not a list: " + list.getClass());
        };
    }

    @Override
    public void close() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
            } finally {
                reader = null;
                it = null;
            }
        }
    }
}
