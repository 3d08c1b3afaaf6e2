package dev.jattr.batch.parquet;

import static dev.jattr.batch.parquet.ColumnCursor.fmt;

import dev.jattr.batch.parquet.Footer.ColumnMeta;
import dev.jattr.batch.parquet.Footer.RowGroup;
import dev.jattr.batch.parquet.ReadableColumns.Plan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads Parquet files written by this package, parquet-mr (Spark) and pyarrow: data pages v1
 * and v2, PLAIN and dictionary encodings, UNCOMPRESSED, SNAPPY and GZIP.
 *
 * <p>The file is untrusted input: every offset, size and count is checked against the bytes
 * that are there before anything is allocated, and any defect ends in a {@link ParquetException}
 * whose one-line message names the file and the place.
 *
 * <p>What can be read: top-level columns of INT32, INT64 (logical annotations such as INT(8) or
 * DATE ignored), FLOAT, DOUBLE, BYTE_ARRAY (read as UTF-8 strings), and flat lists of the four
 * number types in the standard, legacy two-level or bare-repeated layouts. A null list reads as
 * null, an empty list as an empty array; a null element inside a list is an error (a numeric
 * tensor has no place for it). Structs, maps, nested lists, lists of strings, BOOLEAN, INT96 and
 * FIXED_LEN_BYTE_ARRAY columns are listed by {@link #unsupportedColumns()} and refused only when
 * asked for. Codecs other than the three above (ZSTD, LZ4, ...) and the DELTA_* and
 * BYTE_STREAM_SPLIT encodings are refused when a page uses them, naming the codec and column.
 *
 * <pre>{@code
 * try (var r = ParquetReader.open(path)) {
 *     for (var it = r.rows(List.of("id", "input")); it.hasNext(); ) {
 *         Object[] row = it.next(); // Long, float[]
 *     }
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class ParquetReader implements AutoCloseable {
    private static final int TAIL = 8;

    private final String file;
    private final FileChannel channel;
    private final Footer footer;
    private final ReadableColumns readable;
    private final ParquetSchema schema;
    /** Where column data may lie: between the leading magic and the footer. */
    private final long dataEnd;

    private ParquetReader(Path path, FileChannel channel) throws IOException {
        this.file = path.toString();
        this.channel = channel;
        long size = channel.size();
        if (size < 4 + TAIL) {
            throw error("file of " + size + " bytes is too short for Parquet (at least 12)");
        }
        byte[] head = read(0, 4);
        byte[] tail = read(size - TAIL, TAIL);
        if (Arrays.equals(Arrays.copyOfRange(tail, 4, 8), "PARE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            throw error("encrypted Parquet files are not supported");
        }
        if (!Arrays.equals(head, ParquetWriter.MAGIC) || !Arrays.equals(Arrays.copyOfRange(tail, 4, 8), ParquetWriter.MAGIC)) {
            throw error("not a Parquet file (no PAR1 magic at the start and end)");
        }
        long footerLength = (tail[0] & 0xFFL) | (tail[1] & 0xFFL) << 8 | (tail[2] & 0xFFL) << 16 | (tail[3] & 0xFFL) << 24;
        if (footerLength > size - 4 - TAIL) {
            throw error("footer declares " + fmt(footerLength) + " bytes, but only " + fmt(size - 4 - TAIL)
                    + " remain in the file");
        }
        this.dataEnd = size - TAIL - footerLength;
        this.footer = Footer.decode(read(dataEnd, (int) footerLength), file);
        this.readable = new ReadableColumns(footer.schema(), file);
        List<ParquetColumn> columns = new ArrayList<>();
        for (Plan p : readable.plans) {
            columns.add(p.column());
        }
        this.schema = new ParquetSchema(columns);
        long sum = 0;
        for (RowGroup g : footer.rowGroups()) {
            if (g.columns().size() != readable.leafCount) {
                throw error("a row group has " + g.columns().size() + " column chunks for " + readable.leafCount
                        + " leaf columns");
            }
            sum += g.numRows();
            if (sum < 0) {
                throw error("the row groups' row counts overflow");
            }
        }
        if (sum != footer.numRows()) {
            throw error("the footer declares " + fmt(footer.numRows()) + " rows, but the row groups hold " + fmt(sum));
        }
    }

    /**
     * Opens a file and reads its footer.
     *
     * @param path the file
     * @return the reader; close it to release the file
     * @throws IOException if the file cannot be read
     * @throws ParquetException if it is not a well-formed Parquet file
     */
    public static ParquetReader open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new ParquetReader(path, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private ParquetException error(String what) {
        return new ParquetException(file + ": " + what);
    }

    private byte[] read(long position, int length) throws IOException {
        byte[] bytes = new byte[length];
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw error("the file ends early");
            }
        }
        return bytes;
    }

    /**
     * The columns that can be read, in file order.
     *
     * @return the readable top-level columns
     */
    public ParquetSchema schema() {
        return schema;
    }

    /**
     * The top-level columns that cannot be read, each with the reason.
     *
     * @return column name to reason, in file order
     */
    public Map<String, String> unsupportedColumns() {
        return java.util.Collections.unmodifiableMap(readable.unsupported);
    }

    /**
     * The number of rows in the file.
     *
     * @return the footer's row count
     */
    public long rowCount() {
        return footer.numRows();
    }

    /**
     * The number of row groups.
     *
     * @return the footer's row group count
     */
    public int rowGroupCount() {
        return footer.rowGroups().size();
    }

    /**
     * The footer's key/value metadata.
     *
     * @return key to value (a value may be null), in file order
     */
    public Map<String, String> metadata() {
        return footer.keyValue();
    }

    /**
     * The footer's {@code created_by}.
     *
     * @return the writer's name and version, or "" when absent
     */
    public String createdBy() {
        return footer.createdBy();
    }

    /**
     * Streams rows of the named columns, one row group at a time: at most one row group's column
     * chunks of these columns are in memory. Each row holds, in the order asked for, an
     * {@link Integer}, {@link Long}, {@link Float}, {@link Double}, {@link String}, {@code int[]},
     * {@code long[]}, {@code float[]}, {@code double[]} or null. The iterator throws
     * {@link ParquetException} for a defect in the data and {@link java.io.UncheckedIOException}
     * if reading fails.
     *
     * @param columns the column names, at least one
     * @return the rows
     * @throws ParquetException if a column is missing or cannot be read
     */
    public Iterator<Object[]> rows(List<String> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("name at least one Parquet column to read");
        }
        List<Plan> plans = new ArrayList<>();
        for (String name : columns) {
            String why = readable.unsupported.get(name);
            if (why != null) {
                throw error("column '" + name + "' cannot be read: " + why);
            }
            int i = schema.indexOf(name);
            if (i < 0) {
                throw error("no column '" + name + "'; the readable columns are " + schema.columns().stream()
                        .map(ParquetColumn::name).toList());
            }
            plans.add(readable.plans.get(i));
        }
        return new RowIterator(plans);
    }

    /**
     * Streams rows of the named columns; see {@link #rows(List)}.
     *
     * @param columns the column names, at least one
     * @return the rows
     */
    public Iterator<Object[]> rows(String... columns) {
        return rows(List.of(columns));
    }

    /**
     * Closes the file.
     *
     * @throws IOException if closing fails
     */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    private ColumnCursor cursor(Plan plan, int group) throws IOException {
        String where = file + ": column '" + plan.column().name() + "' row group " + group;
        ColumnMeta m = footer.rowGroups().get(group).columns().get(plan.leaf());
        if (m.filePath() != null) {
            throw new ParquetException(where + " lies in another file (" + m.filePath() + "), which is not supported");
        }
        if (m.type() < 0) {
            throw new ParquetException(where + " has no column metadata (encrypted columns are not supported)");
        }
        if (m.type() != plan.column().type().physicalType()) {
            throw new ParquetException(where + " has physical type " + ReadableColumns.physicalName(m.type())
                    + ", but the schema says " + ReadableColumns.physicalName(plan.column().type().physicalType()));
        }
        if (!PageCodec.supported(m.codec())) {
            throw new ParquetException(where + " uses compression codec " + PageCodec.name(m.codec())
                    + ", which is not supported (only UNCOMPRESSED, SNAPPY, GZIP)");
        }
        long start = m.dictionaryPageOffset() > 0 && m.dictionaryPageOffset() < m.dataPageOffset()
                ? m.dictionaryPageOffset() : m.dataPageOffset();
        long length = m.totalCompressedSize();
        if (start < 4 || start > dataEnd || length < 0) {
            throw new ParquetException(where + " starts at offset " + fmt(start) + ", outside the data of "
                    + fmt(dataEnd) + " bytes");
        }
        if (length > dataEnd - start || length > Integer.MAX_VALUE - 16) {
            throw new ParquetException(where + " declares " + fmt(length) + " bytes, but only " + fmt(dataEnd - start)
                    + " remain in the file");
        }
        if (m.numValues() < 0) {
            throw new ParquetException(where + " declares a negative value count");
        }
        return new ColumnCursor(where, plan, m.codec(), read(start, (int) length), m.numValues());
    }

    /** Assembles rows from one cursor per column, loading the next row group as one runs out. */
    private final class RowIterator implements Iterator<Object[]> {
        private final List<Plan> plans;
        private final ColumnCursor[] cursors;
        private final NumberList[] lists;
        private int group = -1;
        private long rowsLeft;
        private long row;

        RowIterator(List<Plan> plans) {
            this.plans = plans;
            this.cursors = new ColumnCursor[plans.size()];
            this.lists = new NumberList[plans.size()];
            for (int i = 0; i < lists.length; i++) {
                ParquetType t = plans.get(i).column().type();
                lists[i] = t.isList() ? new NumberList(ColumnCursor.elementOf(t)) : null;
            }
        }

        @Override
        public boolean hasNext() {
            while (rowsLeft == 0) {
                Arrays.fill(cursors, null);
                if (group + 1 >= footer.rowGroups().size()) {
                    return false;
                }
                group++;
                rowsLeft = footer.rowGroups().get(group).numRows();
                if (rowsLeft > 0) {
                    try {
                        for (int i = 0; i < cursors.length; i++) {
                            cursors[i] = cursor(plans.get(i), group);
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
            return true;
        }

        @Override
        public Object[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Object[] out = new Object[cursors.length];
            for (int i = 0; i < cursors.length; i++) {
                out[i] = value(cursors[i], plans.get(i), lists[i]);
            }
            rowsLeft--;
            row++;
            return out;
        }

        private Object value(ColumnCursor c, Plan p, NumberList list) {
            if (!c.next()) {
                throw new ParquetException(c.where() + ": the column ends before row " + fmt(row) + " of the file");
            }
            if (list == null) {
                return c.def() < p.maxDef() ? null : c.scalarValue();
            }
            if (c.rep() != 0) {
                throw new ParquetException(c.where() + ": row " + fmt(row) + " starts inside a list");
            }
            if (c.def() < p.nullBelow()) {
                return null;
            }
            list.clear();
            if (c.def() >= p.emptyBelow()) {
                element(c, p, list);
                while (c.peekRep() == 1) {
                    c.next();
                    element(c, p, list);
                }
            }
            return list.toArray();
        }

        private void element(ColumnCursor c, Plan p, NumberList list) {
            if (c.def() < p.maxDef()) {
                throw new ParquetException(c.where() + ": row " + fmt(row) + " has a null list element, which a"
                        + " numeric list cannot hold");
            }
            list.add(c);
        }
    }
}
