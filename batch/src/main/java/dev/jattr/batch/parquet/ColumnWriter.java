package dev.jattr.batch.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Buffers one column of the current row group: the open page's levels (a byte each) and PLAIN
 * values in primitive form, and the pages already closed, encoded as they will be written.
 */
final class ColumnWriter {
    private static final int DATA_PAGE = 0;
    private static final int PLAIN = 0;
    private static final int RLE = 3;

    private final ParquetColumn column;
    private final ParquetCompression compression;
    private final int maxDef;
    private final int maxRep;
    private final ByteSink values = new ByteSink();
    private final ByteSink defs = new ByteSink();
    private final ByteSink reps = new ByteSink();
    private final ByteSink pages = new ByteSink();
    private final ByteSink scratch = new ByteSink();
    private int pageLevels;
    private long chunkLevels;
    private long chunkUncompressed;

    ColumnWriter(ParquetColumn column, ParquetCompression compression) {
        this.column = column;
        this.compression = compression;
        int nullable = column.nullable() ? 1 : 0;
        this.maxDef = column.type().isList() ? nullable + 1 : nullable;
        this.maxRep = column.type().isList() ? 1 : 0;
    }

    /** Checks that {@code value} fits this column; nothing is buffered. */
    void check(Object value, long row) {
        if (value == null ? !column.nullable() : !column.type().javaType().isInstance(value)) {
            String got = value == null ? "null" : value.getClass().getSimpleName();
            throw new IllegalArgumentException("Parquet row " + row + ": column '" + column.name() + "' takes "
                    + (column.nullable() ? "null or " : "") + column.type().javaType().getSimpleName() + ", not " + got);
        }
    }

    /** Buffers a value that {@link #check} accepted. */
    void add(Object value) {
        if (maxRep == 0) {
            if (maxDef > 0) {
                level(defs, value == null ? 0 : 1);
            }
            pageLevels++;
            if (value != null) {
                addScalar(value);
            }
            return;
        }
        int listDef = maxDef - 1;
        int n = value == null ? 0 : java.lang.reflect.Array.getLength(value);
        if (n == 0) {
            level(reps, 0);
            level(defs, value == null ? 0 : listDef);
            pageLevels++;
            return;
        }
        for (int i = 0; i < n; i++) {
            level(reps, i == 0 ? 0 : 1);
            level(defs, maxDef);
        }
        pageLevels += n;
        switch (value) {
            case int[] a -> values.writeInts(a);
            case long[] a -> values.writeLongs(a);
            case float[] a -> values.writeFloats(a);
            case double[] a -> values.writeDoubles(a);
            default -> throw new IllegalStateException("unchecked list value " + value.getClass());
        }
    }

    private static void level(ByteSink levels, int v) {
        levels.writeByte(v);
    }

    private void addScalar(Object value) {
        switch (value) {
            case Integer v -> values.writeIntLE(v);
            case Long v -> values.writeLongLE(v);
            case Float v -> values.writeIntLE(Float.floatToRawIntBits(v));
            case Double v -> values.writeLongLE(Double.doubleToRawLongBits(v));
            case String v -> {
                byte[] b = v.getBytes(StandardCharsets.UTF_8);
                values.writeIntLE(b.length);
                values.write(b);
            }
            default -> throw new IllegalStateException("unchecked scalar value " + value.getClass());
        }
    }

    /** Closes the open page if its values reached {@code pageBytes}; call between rows. */
    void closePageIfFull(int pageBytes) {
        if (values.size() >= pageBytes || defs.size() >= pageBytes) {
            closePage();
        }
    }

    /** The bytes this column holds for the row group so far. */
    long bufferedBytes() {
        return (long) pages.size() + values.size() + defs.size() + reps.size();
    }

    private void closePage() {
        if (pageLevels == 0) {
            return;
        }
        scratch.reset();
        if (maxRep > 0) {
            levels(reps, maxRep);
        }
        if (maxDef > 0) {
            levels(defs, maxDef);
        }
        values.writeTo(scratch);
        int uncompressed = scratch.size();
        byte[] body = compress(scratch);
        ThriftWriter header = new ThriftWriter(pages);
        int before = pages.size();
        header.i32(1, DATA_PAGE);
        header.i32(2, uncompressed);
        header.i32(3, body.length);
        header.beginStruct(5);
        header.i32(1, pageLevels);
        header.i32(2, PLAIN);
        header.i32(3, RLE);
        header.i32(4, RLE);
        header.endStruct();
        header.end();
        chunkUncompressed += (pages.size() - before) + (long) uncompressed;
        pages.write(body);
        chunkLevels += pageLevels;
        pageLevels = 0;
        values.reset();
        defs.reset();
        reps.reset();
    }

    /** Appends levels as a data page v1 wants them: a 4-byte length, then the hybrid encoding. */
    private void levels(ByteSink levels, int max) {
        ByteSink encoded = new ByteSink(levels.size() / 4 + 16);
        RleEncoder.encode(levels.toByteArray(), levels.size(), RleEncoder.bitWidth(max), encoded);
        scratch.writeIntLE(encoded.size());
        encoded.writeTo(scratch);
    }

    private byte[] compress(ByteSink body) {
        if (compression == ParquetCompression.UNCOMPRESSED) {
            return body.toByteArray();
        }
        ByteSink out = new ByteSink(body.size() / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(new SinkStream(out))) {
            body.writeTo(gz);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the row group's pages to {@code out} at file offset {@code offset}, describes them in
     * {@code meta} as a {@code ColumnChunk}, and empties the buffers for the next row group.
     */
    long flush(PositionedOutput out, ThriftWriter meta) throws IOException {
        closePage();
        long offset = out.position();
        pages.writeTo(out);
        meta.beginElementStruct();
        meta.i64(2, offset);
        meta.beginStruct(3);
        meta.i32(1, column.type().physicalType());
        meta.beginList(2, ThriftWriter.I32, 2);
        meta.elementI32(PLAIN);
        meta.elementI32(RLE);
        String[] path = column.type().isList()
                ? new String[] {column.name(), "list", "element"}
                : new String[] {column.name()};
        meta.beginList(3, ThriftWriter.BINARY, path.length);
        for (String p : path) {
            meta.elementString(p);
        }
        meta.i32(4, compression.codec());
        meta.i64(5, chunkLevels);
        meta.i64(6, chunkUncompressed);
        meta.i64(7, pages.size());
        meta.i64(9, offset);
        meta.endStruct();
        meta.endStruct();
        long uncompressed = chunkUncompressed;
        pages.reset();
        chunkLevels = 0;
        chunkUncompressed = 0;
        return uncompressed;
    }

    /** Adapts a {@link ByteSink} to {@link java.io.OutputStream} for the gzip stream. */
    private static final class SinkStream extends java.io.OutputStream {
        private final ByteSink sink;

        SinkStream(ByteSink sink) {
            this.sink = sink;
        }

        @Override
        public void write(int b) {
            sink.writeByte(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            sink.write(b, off, len);
        }
    }
}
