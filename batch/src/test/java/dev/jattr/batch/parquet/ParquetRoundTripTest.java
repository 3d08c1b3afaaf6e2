package dev.jattr.batch.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetRoundTripTest {
    static final ParquetSchema ALL = ParquetSchema.of(
            ParquetColumn.required("i", ParquetType.INT32),
            ParquetColumn.optional("l", ParquetType.INT64),
            ParquetColumn.optional("f", ParquetType.FLOAT),
            ParquetColumn.required("d", ParquetType.DOUBLE),
            ParquetColumn.optional("s", ParquetType.STRING),
            ParquetColumn.optional("il", ParquetType.INT32_LIST),
            ParquetColumn.required("ll", ParquetType.INT64_LIST),
            ParquetColumn.optional("fl", ParquetType.FLOAT_LIST),
            ParquetColumn.optional("dl", ParquetType.DOUBLE_LIST));

    @TempDir
    Path dir;

    /** Row r of a varied table: nulls, empty lists and unicode strings at fixed strides. */
    static Object[] row(int r) {
        Random rnd = new Random(r);
        int n = r % 5;
        return new Object[] {
            r * 7 - 100,
            r % 3 == 0 ? null : (long) r << 33,
            r % 4 == 1 ? null : (float) (r * 0.25),
            Math.sqrt(r),
            r % 6 == 2 ? null : "row " + r + (r % 2 == 0 ? " \u00e9\u6f22" : ""),
            r % 7 == 3 ? null : rnd.ints(n).toArray(),
            rnd.longs(n).toArray(),
            r % 5 == 4 ? null : floats(rnd, r % 9),
            r % 8 == 0 ? null : rnd.doubles(n).toArray()
        };
    }

    static float[] floats(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
        }
        return a;
    }

    static void assertRowEquals(Object[] expected, Object[] actual, String where) {
        assertEquals(expected.length, actual.length, where);
        for (int i = 0; i < expected.length; i++) {
            Object e = expected[i];
            Object a = actual[i];
            switch (e) {
                case null -> assertNull(a, where + " column " + i);
                case int[] x -> assertArrayEquals(x, (int[]) a, where + " column " + i);
                case long[] x -> assertArrayEquals(x, (long[]) a, where + " column " + i);
                case float[] x -> assertArrayEquals(x, (float[]) a, where + " column " + i);
                case double[] x -> assertArrayEquals(x, (double[]) a, where + " column " + i);
                default -> assertEquals(e, a, where + " column " + i);
            }
        }
    }

    static List<String> names(ParquetSchema schema) {
        return schema.columns().stream().map(ParquetColumn::name).toList();
    }

    Path write(String name, ParquetSchema schema, ParquetWriteOptions options, int rows) throws IOException {
        Path p = dir.resolve(name);
        try (ParquetWriter w = ParquetWriter.open(p, schema, options)) {
            for (int r = 0; r < rows; r++) {
                w.writeRow(row(r));
            }
        }
        return p;
    }

    static void assertReadsBack(Path p, int rows) throws IOException {
        try (ParquetReader r = ParquetReader.open(p)) {
            assertEquals(ALL, r.schema());
            assertEquals(rows, r.rowCount());
            Iterator<Object[]> it = r.rows(names(ALL));
            for (int i = 0; i < rows; i++) {
                assertTrue(it.hasNext(), "row " + i);
                assertRowEquals(row(i), it.next(), "row " + i);
            }
            assertFalse(it.hasNext());
        }
    }

    @Test
    void everyTypeWithNullsAndEmptyListsRoundTrips() throws IOException {
        assertReadsBack(write("all.parquet", ALL, ParquetWriteOptions.defaults(), 500), 500);
    }

    @Test
    void smallPagesAndRowGroupsRoundTrip() throws IOException {
        ParquetWriteOptions small = ParquetWriteOptions.defaults().withPageBytes(100).withRowGroupSize(4096, 70);
        Path p = write("small.parquet", ALL, small, 1000);
        try (ParquetReader r = ParquetReader.open(p)) {
            assertTrue(r.rowGroupCount() >= 1000 / 70, "row groups: " + r.rowGroupCount());
        }
        assertReadsBack(p, 1000);
    }

    @Test
    void gzipRoundTrips() throws IOException {
        ParquetWriteOptions gz = ParquetWriteOptions.defaults().withCompression(ParquetCompression.GZIP).withPageBytes(2000);
        Path p = write("gz.parquet", ALL, gz, 600);
        assertTrue(Files.size(p) < Files.size(write("plain.parquet", ALL, ParquetWriteOptions.defaults(), 600)));
        assertReadsBack(p, 600);
    }

    @Test
    void emptyFileHasSchemaAndNoRows() throws IOException {
        Path p = write("empty.parquet", ALL, ParquetWriteOptions.defaults(), 0);
        try (ParquetReader r = ParquetReader.open(p)) {
            assertEquals(ALL, r.schema());
            assertEquals(0, r.rowCount());
            assertEquals(0, r.rowGroupCount());
            assertFalse(r.rows("i", "fl").hasNext());
        }
    }

    @Test
    void largeListsRoundTrip() throws IOException {
        ParquetSchema schema = ParquetSchema.of(ParquetColumn.required("x", ParquetType.FLOAT_LIST),
                ParquetColumn.required("y", ParquetType.DOUBLE_LIST));
        Path p = dir.resolve("large.parquet");
        float[] big = new float[300_000];
        double[] big2 = new double[70_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.5f;
        }
        Arrays.setAll(big2, i -> -i / 3.0);
        try (ParquetWriter w = ParquetWriter.open(p, schema, ParquetWriteOptions.defaults().withPageBytes(1 << 16))) {
            w.writeRow(big, big2);
            w.writeRow(new float[0], new double[] {1});
            w.writeRow(big, new double[0]);
        }
        try (ParquetReader r = ParquetReader.open(p)) {
            Iterator<Object[]> it = r.rows("y", "x");
            assertRowEquals(new Object[] {big2, big}, it.next(), "row 0");
            assertRowEquals(new Object[] {new double[] {1}, new float[0]}, it.next(), "row 1");
            assertRowEquals(new Object[] {new double[0], big}, it.next(), "row 2");
            assertFalse(it.hasNext());
        }
    }

    @Test
    void equalInputGivesIdenticalBytes() throws IOException {
        ParquetWriteOptions o = ParquetWriteOptions.defaults().withCreatedBy("jattr version 0.1.0")
                .withMetadata("method", "saliency").withMetadata("jattr.version", "0.1.0")
                .withRowGroupSize(1 << 20, 100).withCompression(ParquetCompression.GZIP);
        byte[] a = Files.readAllBytes(write("a.parquet", ALL, o, 333));
        byte[] b = Files.readAllBytes(write("b.parquet", ALL, o.withMetadata(Map.of("jattr.version", "0.1.0")), 333));
        assertArrayEquals(a, b);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (ParquetWriter w = ParquetWriter.open(stream, ALL, o)) {
            for (int r = 0; r < 333; r++) {
                w.writeRow(row(r));
            }
        }
        assertArrayEquals(a, stream.toByteArray());
    }

    @Test
    void footerStructureAndMetadata() throws IOException {
        ParquetWriteOptions o = ParquetWriteOptions.defaults().withCreatedBy("jattr test")
                .withMetadata("z", "last").withMetadata("a", "first");
        Path p = write("meta.parquet", ALL, o, 10);
        byte[] bytes = Files.readAllBytes(p);
        byte[] magic = "PAR1".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(magic, Arrays.copyOfRange(bytes, 0, 4));
        assertArrayEquals(magic, Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length));
        int footer = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertTrue(footer > 0 && footer < bytes.length - 12);
        try (ParquetReader r = ParquetReader.open(p)) {
            assertEquals("jattr test", r.createdBy());
            assertEquals(List.of("a", "z"), new ArrayList<>(r.metadata().keySet()));
            assertEquals("last", r.metadata().get("z"));
            assertTrue(r.unsupportedColumns().isEmpty());
        }
    }

    @Test
    void writerRejectsValuesThatDoNotFitWithoutBufferingTheRow() throws IOException {
        ParquetSchema schema = ParquetSchema.of(ParquetColumn.required("a", ParquetType.INT32),
                ParquetColumn.required("b", ParquetType.FLOAT_LIST));
        Path p = dir.resolve("reject.parquet");
        try (ParquetWriter w = ParquetWriter.open(p, schema, ParquetWriteOptions.defaults())) {
            w.writeRow(1, new float[] {1});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.writeRow(2, new double[] {1}));
            assertTrue(e.getMessage().contains("'b'"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.writeRow(2, null));
            assertThrows(IllegalArgumentException.class, () -> w.writeRow(2L, new float[0]));
            assertThrows(IllegalArgumentException.class, () -> w.writeRow(2));
            w.writeRow(3, new float[] {3});
        }
        try (ParquetReader r = ParquetReader.open(p)) {
            Iterator<Object[]> it = r.rows("a", "b");
            assertRowEquals(new Object[] {1, new float[] {1}}, it.next(), "row 0");
            assertRowEquals(new Object[] {3, new float[] {3}}, it.next(), "row 1");
            assertFalse(it.hasNext());
        }
    }

    @Test
    void readerNamesMissingColumns() throws IOException {
        Path p = write("names.parquet", ALL, ParquetWriteOptions.defaults(), 3);
        try (ParquetReader r = ParquetReader.open(p)) {
            ParquetException e = assertThrows(ParquetException.class, () -> r.rows("nope"));
            assertTrue(e.getMessage().startsWith(p + ": no column 'nope'"), e.getMessage());
        }
    }
}
