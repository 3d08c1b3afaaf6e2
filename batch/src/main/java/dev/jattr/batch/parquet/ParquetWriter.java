package dev.jattr.batch.parquet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes rows to a Parquet file: PLAIN values, RLE/bit-packed levels, data pages v1, optional
 * gzip. Rows are buffered column by column in primitive form until a row group is full; the
 * footer is written on {@link #close()}. The output depends only on the rows, the schema and the
 * options, so equal input gives byte-identical files.
 *
 * <pre>{@code
 * var schema = ParquetSchema.of(ParquetColumn.required("id", ParquetType.INT64),
 *         ParquetColumn.optional("attribution", ParquetType.FLOAT_LIST));
 * try (var w = ParquetWriter.open(path, schema, ParquetWriteOptions.defaults())) {
 *     w.writeRow(7L, new float[] {0.5f, -1f});
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class ParquetWriter implements AutoCloseable {
    static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int UTF8 = 0;
    private static final int LIST = 3;
    private static final int REQUIRED = 0;
    private static final int OPTIONAL = 1;
    private static final int REPEATED = 2;

    private final PositionedOutput out;
    private final ParquetSchema schema;
    private final ParquetWriteOptions options;
    private final List<ColumnWriter> columns = new ArrayList<>();
    private final ByteSink rowGroups = new ByteSink();
    private int rowGroupCount;
    private int groupRows;
    private long rows;
    private boolean closed;

    private ParquetWriter(OutputStream out, ParquetSchema schema, ParquetWriteOptions options) throws IOException {
        if (schema.size() == 0) {
            throw new IllegalArgumentException("a Parquet schema needs at least one column");
        }
        this.out = new PositionedOutput(out);
        this.schema = schema;
        this.options = options;
        for (ParquetColumn c : schema.columns()) {
            columns.add(new ColumnWriter(c, options.compression()));
        }
        this.out.write(MAGIC);
    }

    /**
     * Starts a file at {@code path}, replacing what is there.
     *
     * @param path the file
     * @param schema the columns
     * @param options layout, compression and footer metadata
     * @return the writer; close it to complete the file
     * @throws IOException if the file cannot be created
     */
    public static ParquetWriter open(Path path, ParquetSchema schema, ParquetWriteOptions options) throws IOException {
        OutputStream stream = Files.newOutputStream(path);
        try {
            return new ParquetWriter(stream, schema, options);
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /**
     * Starts a file on {@code out}, which {@link #close()} closes.
     *
     * @param out where the bytes go, from the first
     * @param schema the columns
     * @param options layout, compression and footer metadata
     * @return the writer; close it to complete the file
     * @throws IOException if writing the magic bytes fails
     */
    public static ParquetWriter open(OutputStream out, ParquetSchema schema, ParquetWriteOptions options) throws IOException {
        return new ParquetWriter(Objects.requireNonNull(out, "out"), schema, options);
    }

    /**
     * Adds one row. Each value must be of its column's {@link ParquetType#javaType()}, or null
     * where the column is nullable. The row is checked whole before any of it is buffered.
     *
     * @param values one value per column, in schema order
     * @throws IllegalArgumentException if the count or a value does not fit the schema
     * @throws IOException if a full row group cannot be written
     */
    public void writeRow(Object... values) throws IOException {
        if (closed) {
            throw new IllegalStateException("the Parquet writer is closed");
        }
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("Parquet row " + rows + " has " + values.length + " values for "
                    + columns.size() + " columns");
        }
        for (int i = 0; i < values.length; i++) {
            columns.get(i).check(values[i], rows);
        }
        long buffered = 0;
        for (int i = 0; i < values.length; i++) {
            ColumnWriter c = columns.get(i);
            c.add(values[i]);
            c.closePageIfFull(options.pageBytes());
            buffered += c.bufferedBytes();
        }
        rows++;
        groupRows++;
        if (groupRows >= options.rowGroupRows() || buffered >= options.rowGroupBytes()) {
            flushRowGroup();
        }
    }

    /**
     * The rows written so far.
     *
     * @return the row count
     */
    public long rowCount() {
        return rows;
    }

    private void flushRowGroup() throws IOException {
        if (groupRows == 0) {
            return;
        }
        long start = out.position();
        ThriftWriter rg = new ThriftWriter(rowGroups);
        rg.beginElementStruct();
        rg.beginList(1, ThriftWriter.STRUCT, columns.size());
        long uncompressed = 0;
        for (ColumnWriter c : columns) {
            uncompressed += c.flush(out, rg);
        }
        rg.i64(2, uncompressed);
        rg.i64(3, groupRows);
        rg.i64(5, start);
        rg.i64(6, out.position() - start);
        rg.endStruct();
        rowGroupCount++;
        groupRows = 0;
    }

    /**
     * Writes the last row group and the footer, and closes the output. Closing twice does nothing.
     *
     * @throws IOException if writing fails
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            flushRowGroup();
            ByteSink footer = new ByteSink();
            ThriftWriter meta = new ThriftWriter(footer);
            meta.i32(1, 1);
            writeSchema(meta);
            meta.i64(3, rows);
            meta.beginList(4, ThriftWriter.STRUCT, rowGroupCount);
            rowGroups.writeTo(footer);
            Map<String, String> kv = options.metadata();
            if (!kv.isEmpty()) {
                meta.beginList(5, ThriftWriter.STRUCT, kv.size());
                for (Map.Entry<String, String> e : kv.entrySet()) {
                    meta.beginElementStruct();
                    meta.string(1, e.getKey());
                    meta.string(2, e.getValue());
                    meta.endStruct();
                }
            }
            meta.string(6, options.createdBy());
            meta.end();
            footer.writeTo(out);
            ByteSink tail = new ByteSink(8);
            tail.writeIntLE(footer.size());
            tail.write(MAGIC);
            tail.writeTo(out);
        }
    }

    private void writeSchema(ThriftWriter meta) {
        int elements = 1;
        for (ParquetColumn c : schema.columns()) {
            elements += c.type().isList() ? 3 : 1;
        }
        meta.beginList(2, ThriftWriter.STRUCT, elements);
        meta.beginElementStruct();
        meta.string(4, "schema");
        meta.i32(5, schema.size());
        meta.endStruct();
        for (ParquetColumn c : schema.columns()) {
            int repetition = c.nullable() ? OPTIONAL : REQUIRED;
            if (!c.type().isList()) {
                primitive(meta, c.name(), c.type(), repetition);
                continue;
            }
            meta.beginElementStruct();
            meta.i32(3, repetition);
            meta.string(4, c.name());
            meta.i32(5, 1);
            meta.i32(6, LIST);
            meta.beginStruct(10);
            meta.beginStruct(3);
            meta.endStruct();
            meta.endStruct();
            meta.endStruct();
            meta.beginElementStruct();
            meta.i32(3, REPEATED);
            meta.string(4, "list");
            meta.i32(5, 1);
            meta.endStruct();
            primitive(meta, "element", c.type(), REQUIRED);
        }
    }

    private static void primitive(ThriftWriter meta, String name, ParquetType type, int repetition) {
        meta.beginElementStruct();
        meta.i32(1, type.physicalType());
        meta.i32(3, repetition);
        meta.string(4, name);
        if (type == ParquetType.STRING) {
            meta.i32(6, UTF8);
            meta.beginStruct(10);
            meta.beginStruct(1);
            meta.endStruct();
            meta.endStruct();
        }
        meta.endStruct();
    }
}
