package dev.jattr.batch.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crafted and damaged files: each must end in one clean ParquetException, never another exception. */
class ParquetHostileTest {
    @TempDir
    Path dir;

    /** Reads every readable column of every row; returns the exception, or null when the file reads. */
    static ParquetException readAll(Path p) throws IOException {
        try (ParquetReader r = ParquetReader.open(p)) {
            if (r.schema().size() == 0) {
                return null;
            }
            Iterator<Object[]> it = r.rows(ParquetRoundTripTest.names(r.schema()));
            while (it.hasNext()) {
                it.next();
            }
            return null;
        } catch (ParquetException e) {
            return e;
        }
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static void assertClean(ParquetException e, String name, String fragment) {
        assertTrue(e != null, "no exception");
        String m = e.getMessage();
        assertTrue(m.startsWith(name + ": ") || m.contains("/" + name + ": "), m);
        assertFalse(m.contains("\n"), m);
        assertTrue(m.contains(fragment), "expected '" + fragment + "' in: " + m);
    }

    /** A file of one column, its pages given raw, its footer counts chosen by the caller. */
    static byte[] craft(ParquetColumn column, byte[] pages, long fileRows, long groupRows, long numValues,
            long chunkBytes) {
        ByteSink out = new ByteSink();
        out.write(ParquetWriter.MAGIC);
        out.write(pages);
        ByteSink footer = new ByteSink();
        ThriftWriter t = new ThriftWriter(footer);
        t.i32(1, 1);
        boolean list = column.type().isList();
        t.beginList(2, ThriftWriter.STRUCT, list ? 4 : 2);
        t.beginElementStruct();
        t.string(4, "schema");
        t.i32(5, 1);
        t.endStruct();
        if (list) {
            t.beginElementStruct();
            t.i32(3, column.nullable() ? 1 : 0);
            t.string(4, column.name());
            t.i32(5, 1);
            t.i32(6, 3);
            t.endStruct();
            t.beginElementStruct();
            t.i32(3, 2);
            t.string(4, "list");
            t.i32(5, 1);
            t.endStruct();
        }
        t.beginElementStruct();
        t.i32(1, column.type().physicalType());
        t.i32(3, list ? 0 : column.nullable() ? 1 : 0);
        t.string(4, list ? "element" : column.name());
        t.endStruct();
        t.i64(3, fileRows);
        t.beginList(4, ThriftWriter.STRUCT, 1);
        t.beginElementStruct();
        t.beginList(1, ThriftWriter.STRUCT, 1);
        t.beginElementStruct();
        t.i64(2, 4);
        t.beginStruct(3);
        t.i32(1, column.type().physicalType());
        t.beginList(2, ThriftWriter.I32, 1);
        t.elementI32(0);
        t.beginList(3, ThriftWriter.BINARY, 1);
        t.elementString(column.name());
        t.i32(4, 0);
        t.i64(5, numValues);
        t.i64(6, chunkBytes);
        t.i64(7, chunkBytes);
        t.i64(9, 4);
        t.endStruct();
        t.endStruct();
        t.i64(2, chunkBytes);
        t.i64(3, groupRows);
        t.endStruct();
        t.end();
        footer.writeTo(out);
        out.writeIntLE(footer.size());
        out.write(ParquetWriter.MAGIC);
        return out.toByteArray();
    }

    /** A data page v1: header, then {@code body} as it is. */
    static byte[] page(int numValues, int declaredSize, byte[] body) {
        ByteSink out = new ByteSink();
        ThriftWriter t = new ThriftWriter(out);
        t.i32(1, 0);
        t.i32(2, declaredSize);
        t.i32(3, declaredSize);
        t.beginStruct(5);
        t.i32(1, numValues);
        t.i32(2, 0);
        t.i32(3, 3);
        t.i32(4, 3);
        t.endStruct();
        t.end();
        out.write(body);
        return out.toByteArray();
    }

    static byte[] body(byte[]... parts) {
        ByteSink out = new ByteSink();
        for (byte[] p : parts) {
            out.write(p);
        }
        return out.toByteArray();
    }

    /** Levels as page v1 stores them: a 4-byte length, then the raw hybrid bytes. */
    static byte[] levels(int... raw) {
        ByteSink out = new ByteSink();
        out.writeIntLE(raw.length);
        for (int b : raw) {
            out.writeByte(b);
        }
        return out.toByteArray();
    }

    static final ParquetColumn X = ParquetColumn.optional("x", ParquetType.INT32);
    static final ParquetColumn V = ParquetColumn.required("v", ParquetType.FLOAT_LIST);

    @Test
    void craftedFileReadsWhenHonest() throws IOException {
        // 3 rows: 7, null, 9; def levels as an RLE run... bit-packed: 1,0,1 in one group
        byte[] pages = page(3, 4 + 2 + 8, body(levels(0x03, 0b101), new byte[] {7, 0, 0, 0, 9, 0, 0, 0}));
        Path p = file("honest.parquet", craft(X, pages, 3, 3, 3, pages.length));
        try (ParquetReader r = ParquetReader.open(p)) {
            Iterator<Object[]> it = r.rows("x");
            assertEquals(7, it.next()[0]);
            assertEquals(null, it.next()[0]);
            assertEquals(9, it.next()[0]);
            assertFalse(it.hasNext());
        }
    }

    @Test
    void truncatedFilesFail() throws IOException {
        Path good = dir.resolve("good.parquet");
        try (ParquetWriter w = ParquetWriter.open(good, ParquetRoundTripTest.ALL, ParquetWriteOptions.defaults())) {
            for (int r = 0; r < 20; r++) {
                w.writeRow(ParquetRoundTripTest.row(r));
            }
        }
        byte[] bytes = Files.readAllBytes(good);
        for (int n = 0; n < bytes.length; n += 7) {
            Path p = file("cut.parquet", Arrays.copyOf(bytes, n));
            assertClean(readAll(p), "cut.parquet", "");
        }
    }

    @Test
    void wrongMagicFails() throws IOException {
        byte[] pages = page(0, 0, new byte[0]);
        byte[] bytes = craft(X, pages, 0, 0, 0, pages.length);
        bytes[1] = 'X';
        Path p = file("magic.parquet", bytes);
        assertClean(readAll(p), "magic.parquet", "PAR1");
    }

    @Test
    void footerLengthBeyondFileFails() throws IOException {
        byte[] pages = page(0, 0, new byte[0]);
        byte[] bytes = craft(X, pages, 0, 0, 0, pages.length);
        bytes[bytes.length - 5] = 0x7F;
        Path p = file("footer.parquet", bytes);
        assertClean(readAll(p), "footer.parquet", "footer declares");
    }

    @Test
    void chunkAndPageSizesBeyondFileFail() throws IOException {
        byte[] pages = page(1, 1_000_000_000, body(levels(0x02, 1), new byte[4]));
        Path p = file("page.parquet", craft(X, pages, 1, 1, 1, pages.length));
        assertClean(readAll(p), "page.parquet", "page 0 declares 1,000,000,000 bytes, but only 10 remain");
        Path q = file("chunk.parquet", craft(X, pages, 1, 1, 1, 1L << 40));
        assertClean(readAll(q), "chunk.parquet", "declares 1,099,511,627,776 bytes");
    }

    @Test
    void hugeRowCountsFailWithoutAllocating() throws IOException {
        byte[] pages = page(1, 10, body(levels(0x02, 1), new byte[4]));
        Path p = file("rows.parquet", craft(X, pages, 1L << 40, 1L << 40, 1, pages.length));
        assertClean(readAll(p), "rows.parquet", "ends before row 1");
        // a page of 2^31-1 null rows in four bytes of levels: streamed, not allocated
        byte[] nulls = page(Integer.MAX_VALUE, 10, body(levels(0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0)));
        Path q = file("nulls.parquet", craft(X, nulls, 1L << 40, 1L << 40, 1L << 40, nulls.length));
        try (ParquetReader r = ParquetReader.open(q)) {
            Iterator<Object[]> it = r.rows("x");
            for (int i = 0; i < 1000; i++) {
                assertEquals(null, it.next()[0]);
            }
        }
    }

    @Test
    void hugeListsFail() throws IOException {
        // one row whose list claims 2^30 elements, but holds the bytes of one
        byte[] rep = levels(0x02, 0, 0xFE, 0xFF, 0xFF, 0xFF, 0x07, 1);
        byte[] def = levels(0x80, 0x80, 0x80, 0x80, 0x08, 1);
        byte[] pages = page(1 << 30, rep.length + def.length + 4, body(rep, def, new byte[4]));
        Path p = file("list.parquet", craft(V, pages, 1, 1, 1 << 30, pages.length));
        assertClean(readAll(p), "list.parquet", "values end early");
    }

    @Test
    void levelRunsOverrunningTheDataFail() throws IOException {
        // a bit-packed run of 1000 groups with 2 bytes behind it
        byte[] pages = page(100, 4 + 4, body(levels(0xD1, 0x0F, 0, 0)));
        Path p = file("rle.parquet", craft(X, pages, 100, 100, 100, pages.length));
        assertClean(readAll(p), "rle.parquet", "bit-packed run of 100 values needs 13 bytes, but only 2 remain");
        // an RLE run longer than the page is cut at the page's count and reads
        byte[] run = page(3, 4 + 3 + 12, body(levels(0xE8, 0x07 /* 500 */, 1), new byte[12]));
        Path q = file("run.parquet", craft(X, run, 3, 3, 3, run.length));
        assertEquals(null, readAll(q));
    }

    @Test
    void deepThriftNestingFails() throws IOException {
        byte[] footer = new byte[2000];
        footer[0] = (byte) 0xAC; // field 10, a struct
        Arrays.fill(footer, 1, 1500, (byte) 0x1C); // field +1, a struct, again and again
        ByteSink out = new ByteSink();
        out.write(ParquetWriter.MAGIC);
        out.write(footer);
        out.writeIntLE(footer.length);
        out.write(ParquetWriter.MAGIC);
        Path p = file("deep.parquet", out.toByteArray());
        assertClean(readAll(p), "deep.parquet", "nested deeper than 64");
    }

    @Test
    void hugeThriftListFails() throws IOException {
        ByteSink footer = new ByteSink();
        footer.writeByte(0x29); // field 2 (schema), a list
        footer.writeByte(0xFC); // of structs, size in a varint
        footer.writeUnsignedVarint(1_000_000_000);
        footer.write(new byte[16]);
        ByteSink out = new ByteSink();
        out.write(ParquetWriter.MAGIC);
        footer.writeTo(out);
        out.writeIntLE(footer.size());
        out.write(ParquetWriter.MAGIC);
        Path p = file("list.parquet", out.toByteArray());
        assertClean(readAll(p), "list.parquet",
                "Thrift list of 1000000000 elements");
    }

    @Test
    void unsupportedCodecNamesItAndTheColumn() throws IOException {
        byte[] pages = page(1, 10, body(levels(0x02, 1), new byte[4]));
        byte[] bytes = craft(X, pages, 1, 1, 1, pages.length);
        // codec field 4 of ColumnMetaData: "i32(4, 0)" is the byte pair 0x15 0x00 after the path list
        int at = indexOf(bytes, new byte[] {0x18, 0x01, 'x', 0x15, 0x00});
        bytes[at + 4] = 12; // zigzag 6: ZSTD
        Path p = file("zstd.parquet", bytes);
        assertClean(readAll(p), "zstd.parquet", "column 'x' row group 0 uses compression codec ZSTD");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    @Test
    void randomlyDamagedFilesFailCleanlyOrRead() throws IOException {
        Path ours = dir.resolve("ours.parquet");
        try (ParquetWriter w = ParquetWriter.open(ours, ParquetRoundTripTest.ALL,
                ParquetWriteOptions.defaults().withPageBytes(300).withRowGroupSize(1 << 20, 40))) {
            for (int r = 0; r < 100; r++) {
                w.writeRow(ParquetRoundTripTest.row(r));
            }
        }
        Path gz = dir.resolve("gz.parquet");
        try (ParquetWriter w = ParquetWriter.open(gz, ParquetRoundTripTest.ALL,
                ParquetWriteOptions.defaults().withCompression(ParquetCompression.GZIP))) {
            for (int r = 0; r < 60; r++) {
                w.writeRow(ParquetRoundTripTest.row(r));
            }
        }
        Path mrV1 = dir.resolve("mr1.parquet");
        ParquetInteropTest.writeWithParquetMr(mrV1, CompressionCodecName.SNAPPY, true, WriterVersion.PARQUET_1_0, 300);
        Path mrV2 = dir.resolve("mr2.parquet");
        ParquetInteropTest.writeWithParquetMr(mrV2, CompressionCodecName.UNCOMPRESSED, false, WriterVersion.PARQUET_2_0, 300);
        Random rnd = new Random(20240611);
        int failures = 0;
        for (Path seed : new Path[] {ours, gz, mrV1, mrV2}) {
            byte[] original = Files.readAllBytes(seed);
            for (int iteration = 0; iteration < 150; iteration++) {
                byte[] damaged = original.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    damaged[rnd.nextInt(damaged.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                Path p = file("fuzz.parquet", damaged);
                try {
                    if (readAll(p) != null) {
                        failures++;
                    }
                } catch (RuntimeException | Error e) {
                    fail("seed " + seed.getFileName() + " iteration " + iteration + ": " + e, e);
                }
            }
        }
        assertTrue(failures > 50, "the damage should break some files: " + failures);
    }
}
