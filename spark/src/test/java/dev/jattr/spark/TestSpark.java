package dev.jattr.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.batch.Example;
import dev.jattr.batch.ExampleResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The test classes' Spark: one local session of two task threads that retries a failed task once
 * ({@code local[2,2]}), made on first use and shared by every test class of the JVM; and datasets
 * of generated examples with the checks that compare results.
 */
final class TestSpark {
    private TestSpark() {}

    /** The shared session. */
    static synchronized SparkSession session() {
        return SparkSession.builder().master("local[2,2]").appName("jattr-spark-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.adaptive.enabled", "false")
                .getOrCreate();
    }

    /** {@code n} examples of {@code shape} with ids {@code e0, e1, …}, uniform in [-1, 1), labels {@code i % classes}. */
    static List<Example> examples(int n, int[] shape, int classes, long seed) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = new float[size];
            for (int j = 0; j < size; j++) {
                v[j] = (float) (random.nextDouble() * 2 - 1);
            }
            out.add(new Example("e" + i, v, shape, i % classes));
        }
        return out;
    }

    /**
     * {@code n} examples made in the executors from their index alone (so that large inputs do not
     * pass through the driver) in {@code partitions} partitions, as rows (id, input, label), equal
     * to {@link #generated(long, int[], int)}.
     */
    static Dataset<Row> generatedFrame(long n, int[] shape, int classes, int partitions) {
        int[] s = shape.clone();
        return session().range(0, n, 1, partitions).map((org.apache.spark.api.java.function.MapFunction<Long, Row>) i -> {
            Example e = generated(i, s, classes);
            return RowFactory.create(e.id(), e.values(), e.label());
        }, org.apache.spark.sql.Encoders.row(ARRAY_SCHEMA));
    }

    /** Example {@code i} of {@link #generatedFrame}: id {@code g<i>}, values uniform in [-1, 1) from a seed of {@code i}, label {@code i % classes}. */
    static Example generated(long i, int[] shape, int classes) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        SplittableRandom random = new SplittableRandom(0x5eed + i);
        float[] v = new float[size];
        for (int j = 0; j < size; j++) {
            v[j] = (float) (random.nextDouble() * 2 - 1);
        }
        return new Example("g" + i, v, shape, (int) (i % classes));
    }

    /** Rows of (id string, input array&lt;float&gt;, label int). */
    static final StructType ARRAY_SCHEMA = new StructType().add("id", DataTypes.StringType, false)
            .add("input", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("label", DataTypes.IntegerType, true);

    /** The examples as rows (id string, input array&lt;float&gt;, label int) in {@code partitions} partitions. */
    static Dataset<Row> frame(List<Example> examples, int partitions) {
        List<Row> rows = examples.stream().map(e -> RowFactory.create(e.id(), e.values(), e.label())).toList();
        return session().createDataFrame(rows, ARRAY_SCHEMA).repartition(partitions).sortWithinPartitions("id").coalesce(partitions);
    }

    /**
     * Checks that result row {@code r} holds {@code expected}'s values where the two came from different cuts of the data
     * (other batches): equal within float32 rounding of the attribution's scale, since a kernel may sum in another order for
     * another batch size (a convolution of small planes multiplies a block of samples at once).
     */
    static void assertRowMatches(ExampleResult expected, Row r) {
        String id = expected.id();
        assertEquals(expected.id(), r.getString(0));
        assertEquals(expected.target(), r.isNullAt(1) ? null : r.getInt(1), id);
        assertEquals(expected.prediction(), r.isNullAt(2) ? null : r.getInt(2), id);
        float[] want = expected.attribution();
        float scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertArrayEquals(want, floats(r, 3), 1e-5f * scale, id);
        assertArrayEquals(expected.shape(), ints(r, 4), id);
        assertEquals(expected.sum(), r.getDouble(5), 1e-5 * scale * want.length, id);
        if (expected.delta() == null) {
            assertTrue(r.isNullAt(6), id);
        } else {
            assertEquals(expected.delta(), r.getDouble(6), 1e-6 * Math.max(1, Math.abs(expected.delta())), id);
        }
        assertArrayEquals(expected.topValue(), floats(r, 8), 1e-5f * scale, id);
    }

    /** Checks that result row {@code r} equals {@code expected} value for value (floats bit for bit). */
    static void assertRowEquals(ExampleResult expected, Row r) {
        String id = expected.id();
        assertEquals(expected.id(), r.getString(0));
        assertEquals(expected.target(), r.isNullAt(1) ? null : r.getInt(1), id);
        assertEquals(expected.prediction(), r.isNullAt(2) ? null : r.getInt(2), id);
        assertArrayEquals(expected.attribution(), floats(r, 3), 0f, id);
        assertArrayEquals(expected.shape(), ints(r, 4), id);
        assertEquals(Double.doubleToLongBits(expected.sum()), Double.doubleToLongBits(r.getDouble(5)), id);
        assertEquals(expected.delta(), r.isNullAt(6) ? null : r.getDouble(6), id);
        assertArrayEquals(expected.topIndex(), ints(r, 7), id);
        assertArrayEquals(expected.topValue(), floats(r, 8), 0f, id);
    }

    static float[] floats(Row r, int column) {
        List<Object> l = r.getList(column);
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Float) l.get(i);
        }
        return out;
    }

    static int[] ints(Row r, int column) {
        return r.<Integer>getList(column).stream().mapToInt(Integer::intValue).toArray();
    }
}
