package dev.jattr.batch.parquet;

import static dev.jattr.batch.parquet.ParquetRoundTripTest.ALL;
import static dev.jattr.batch.parquet.ParquetRoundTripTest.assertRowEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Checks files against parquet-mr, the library under Spark, in both directions. */
class ParquetInteropTest {
    /** What Spark writes for these Java types: optional fields, lists with optional elements. */
    static final MessageType SPARK = MessageTypeParser.parseMessageType("""
            message spark_schema {
              required int32 id;
              optional int64 big;
              optional float f;
              optional double d;
              optional binary s (STRING);
              optional int32 small (INTEGER(16,true));
              optional group v (LIST) { repeated group list { optional float element; } }
              optional group dv (LIST) { repeated group list { required double element; } }
            }
            """);

    @TempDir
    Path dir;

    /** The Java values of row r of the parquet-mr file, in our reader's form. */
    static Object[] sparkRow(int r) {
        Random rnd = new Random(r);
        float[] v = new float[r % 6];
        for (int i = 0; i < v.length; i++) {
            v[i] = r % 3 == 0 ? i : rnd.nextFloat();
        }
        return new Object[] {
            r,
            r % 4 == 0 ? null : 1_000_000_000_000L * (r % 10),
            r % 5 == 0 ? null : (float) (r % 7) / 4,
            r % 6 == 0 ? null : rnd.nextDouble(),
            r % 7 == 0 ? null : "s" + (r % 13) + (r % 2 == 0 ? "\u00fc" : ""),
            r % 8 == 0 ? null : (r % 50) - 25,
            r % 9 == 4 ? null : v,
            r % 10 == 3 ? null : rnd.doubles(r % 4).toArray()
        };
    }

    private static Group group(SimpleGroupFactory factory, Object[] row) {
        Group g = factory.newGroup();
        g.append("id", (Integer) row[0]);
        if (row[1] != null) {
            g.append("big", (Long) row[1]);
        }
        if (row[2] != null) {
            g.append("f", (Float) row[2]);
        }
        if (row[3] != null) {
            g.append("d", (Double) row[3]);
        }
        if (row[4] != null) {
            g.append("s", (String) row[4]);
        }
        if (row[5] != null) {
            g.append("small", (Integer) row[5]);
        }
        if (row[6] instanceof float[] v) {
            Group list = g.addGroup("v");
            for (float x : v) {
                list.addGroup("list").append("element", x);
            }
        }
        if (row[7] instanceof double[] v) {
            Group list = g.addGroup("dv");
            for (double x : v) {
                list.addGroup("list").append("element", x);
            }
        }
        return g;
    }

    @ParameterizedTest
    @CsvSource({
        "UNCOMPRESSED, true, PARQUET_1_0", "UNCOMPRESSED, false, PARQUET_1_0",
        "SNAPPY, true, PARQUET_1_0", "SNAPPY, false, PARQUET_1_0",
        "GZIP, true, PARQUET_1_0", "GZIP, false, PARQUET_1_0",
        "UNCOMPRESSED, true, PARQUET_2_0", "UNCOMPRESSED, false, PARQUET_2_0",
        "SNAPPY, true, PARQUET_2_0", "SNAPPY, false, PARQUET_2_0",
        "GZIP, true, PARQUET_2_0", "GZIP, false, PARQUET_2_0"})
    void readsWhatParquetMrWrites(CompressionCodecName codec, boolean dictionary, WriterVersion version) throws IOException {
        Path p = dir.resolve("mr.parquet");
        int rows = 3000;
        writeWithParquetMr(p, codec, dictionary, version, rows);
        try (ParquetReader r = ParquetReader.open(p)) {
            assertEquals(rows, r.rowCount());
            assertEquals(ParquetType.FLOAT_LIST, r.schema().columns().get(r.schema().indexOf("v")).type());
            Iterator<Object[]> it = r.rows("id", "big", "f", "d", "s", "small", "v", "dv");
            for (int i = 0; i < rows; i++) {
                assertRowEquals(sparkRow(i), it.next(), codec + " " + dictionary + " " + version + " row " + i);
            }
            assertFalse(it.hasNext());
        }
    }

    /** Writes rows {@link #sparkRow}(0 ..) with parquet-mr, in small pages and row groups. */
    static void writeWithParquetMr(Path p, CompressionCodecName codec, boolean dictionary, WriterVersion version,
            int rows) throws IOException {
        SimpleGroupFactory factory = new SimpleGroupFactory(SPARK);
        try (var w = ExampleParquetWriter.builder(new LocalOutputFile(p))
                .withConf(new PlainParquetConfiguration())
                .withType(SPARK)
                .withCompressionCodec(codec)
                .withDictionaryEncoding(dictionary)
                .withWriterVersion(version)
                .withPageSize(4096)
                .withRowGroupSize(64L * 1024)
                .build()) {
            for (int r = 0; r < rows; r++) {
                w.write(group(factory, sparkRow(r)));
            }
        }
    }

    @Test
    void parquetMrReadsWhatWeWrite() throws IOException {
        for (ParquetCompression compression : ParquetCompression.values()) {
            Path p = dir.resolve("ours-" + compression + ".parquet");
            int rows = 700;
            ParquetWriteOptions o = ParquetWriteOptions.defaults().withCompression(compression).withPageBytes(512)
                    .withRowGroupSize(1 << 20, 300);
            try (ParquetWriter w = ParquetWriter.open(p, ALL, o)) {
                for (int r = 0; r < rows; r++) {
                    w.writeRow(ParquetRoundTripTest.row(r));
                }
            }
            try (var reader = new org.apache.parquet.hadoop.ParquetReader.Builder<Group>(
                    new LocalInputFile(p), new PlainParquetConfiguration()) {
                @Override
                protected ReadSupport<Group> getReadSupport() {
                    return new GroupReadSupport();
                }
            }.build()) {
                for (int r = 0; r < rows; r++) {
                    Group g = reader.read();
                    assertRowEquals(ParquetRoundTripTest.row(r), values(g), compression + " row " + r);
                }
                assertNull(reader.read());
            }
        }
    }

    /** A parquet-mr row of the {@link ParquetRoundTripTest#ALL} schema as our Java values. */
    private static Object[] values(Group g) {
        Object[] out = new Object[ALL.size()];
        for (int c = 0; c < out.length; c++) {
            ParquetColumn col = ALL.columns().get(c);
            String name = col.name();
            if (g.getFieldRepetitionCount(name) == 0) {
                continue;
            }
            out[c] = switch (col.type()) {
                case INT32 -> g.getInteger(name, 0);
                case INT64 -> g.getLong(name, 0);
                case FLOAT -> g.getFloat(name, 0);
                case DOUBLE -> g.getDouble(name, 0);
                case STRING -> g.getString(name, 0);
                default -> list(g.getGroup(name, 0), col.type());
            };
        }
        return out;
    }

    private static Object list(Group list, ParquetType type) {
        int n = list.getFieldRepetitionCount("list");
        Object out = java.lang.reflect.Array.newInstance(type.javaType().getComponentType(), n);
        for (int i = 0; i < n; i++) {
            Group e = list.getGroup("list", i);
            switch (out) {
                case int[] a -> a[i] = e.getInteger("element", 0);
                case long[] a -> a[i] = e.getLong("element", 0);
                case float[] a -> a[i] = e.getFloat("element", 0);
                case double[] a -> a[i] = e.getDouble("element", 0);
                default -> throw new AssertionError(type);
            }
        }
        return out;
    }
}
