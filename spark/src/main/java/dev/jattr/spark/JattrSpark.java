package dev.jattr.spark;

import dev.jattr.batch.DatasetAttributor;
import dev.jattr.batch.MethodSpec;
import dev.jattr.batch.TargetChoice;
import dev.jattr.graph.Graph;
import dev.jattr.graph.ValueInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Attribution of every row of a Spark {@code Dataset<Row>}: one result row per input row, with the
 * columns of {@link ResultSchema}, equal value for value to {@link DatasetAttributor} run serially
 * over the same examples. The model file is read once on the driver and broadcast; each executor
 * JVM imports it once and each task thread reuses one attributor. The returned dataset is lazy:
 * every action on it computes the attributions again (cache or write it).
 */
public final class JattrSpark {
    private JattrSpark() {}

    /** {@link #attribute(Dataset, Path, MethodSpec, AttributeOptions)} with {@link AttributeOptions#defaults()}. */
    public static Dataset<Row> attribute(Dataset<Row> df, Path modelPath, MethodSpec spec) {
        return attribute(df, modelPath, spec, AttributeOptions.defaults());
    }

    /**
     * The attributions of the rows of {@code df} by the model at {@code modelPath} (a path the
     * driver reads). Checks the model, the spec and the columns on the driver, so that a wrong
     * layer or column fails before any task runs.
     */
    public static Dataset<Row> attribute(Dataset<Row> df, Path modelPath, MethodSpec spec, AttributeOptions options) {
        return attribute(df, ModelBytes.read(modelPath), spec, options, null, -1);
    }

    /**
     * The attributions, listing each example in {@code summary} when it is not null, and failing
     * the first attempt of partition {@code failFirstAttemptOf} after its first batch (for tests of
     * task retry; -1 for none).
     */
    static Dataset<Row> attribute(Dataset<Row> df, ModelBytes model, MethodSpec spec, AttributeOptions options,
            CollectionAccumulator<SummaryEntry> summary, int failFirstAttemptOf) {
        Graph graph = ExecutorModels.graph(model);
        DatasetAttributor checked = ExecutorModels.attributor(model, spec);
        int[] shape = exampleShape(graph, model.name());
        String input = inputColumn(df, options.inputColumn());
        column(df, options.idColumn(), "id");
        String label = options.labelColumn();
        if (label == null && spec.target() instanceof TargetChoice.Label) {
            throw new IllegalArgumentException("the target is each example's label, but no label column was given");
        }
        List<Column> columns = new ArrayList<>(List.of(functions.col(quoted(options.idColumn())).cast(DataTypes.StringType),
                functions.col(quoted(input))));
        if (label != null) {
            StructField f = column(df, label, "label");
            if (!(f.dataType() instanceof IntegralType)) {
                throw new IllegalArgumentException("label column '" + label + "' holds " + f.dataType().simpleString()
                        + "; labels are integers (output indices)");
            }
            columns.add(functions.col(quoted(label)).cast(DataTypes.IntegerType));
        }
        Broadcast<ModelBytes> shipped = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext()).broadcast(model);
        var f = new PartitionAttributor(shipped, checked.spec(), shape, label != null, options.batchSize(), summary, failFirstAttemptOf);
        return df.select(columns.toArray(Column[]::new)).mapPartitions(f, Encoders.row(ResultSchema.SCHEMA));
    }

    /** The shape of one example: the model input's dimensions after the batch, which must be fixed. */
    static int[] exampleShape(Graph graph, String model) {
        if (graph.inputs().size() != 1) {
            throw new IllegalArgumentException(model + " has " + graph.inputs().size() + " inputs; dataset attribution feeds models of one input");
        }
        ValueInfo in = graph.inputs().getFirst();
        int[] dims = in.dims();
        if (dims.length < 1) {
            throw new IllegalArgumentException(model + ": input '" + in.name() + "' is a scalar; dimension 0 must count the examples");
        }
        int[] shape = Arrays.copyOfRange(dims, 1, dims.length);
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(model + ": input '" + in.name() + "' has shape " + in.shapeText()
                        + "; dataset attribution needs every dimension after the batch fixed");
            }
        }
        return shape;
    }

    /**
     * The input column: {@code name}, or the only array column when it is null; of floats or
     * doubles, or binary holding little-endian float32 values (which Spark hands over without
     * boxing each value, unlike an array).
     */
    private static String inputColumn(Dataset<Row> df, String name) {
        if (name == null) {
            List<String> arrays = Arrays.stream(df.schema().fields()).filter(f -> f.dataType() instanceof ArrayType)
                    .map(StructField::name).toList();
            if (arrays.size() != 1) {
                throw new IllegalArgumentException("the dataset has " + arrays.size() + " array columns " + arrays
                        + "; name the input column");
            }
            name = arrays.getFirst();
        }
        StructField f = column(df, name, "input");
        DataType element = f.dataType() instanceof ArrayType a ? a.elementType() : null;
        if (element != DataTypes.FloatType && element != DataTypes.DoubleType && f.dataType() != DataTypes.BinaryType) {
            throw new IllegalArgumentException("input column '" + name + "' holds " + f.dataType().simpleString()
                    + "; inputs are array<float>, array<double> or binary (little-endian float32), one example flat in row-major order");
        }
        return name;
    }

    private static StructField column(Dataset<Row> df, String name, String role) {
        for (StructField f : df.schema().fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("the dataset has no " + role + " column '" + name + "'; its columns are "
                + Arrays.toString(df.schema().fieldNames()));
    }

    /** A column name as {@code col} reads it literally, dots and all. */
    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
