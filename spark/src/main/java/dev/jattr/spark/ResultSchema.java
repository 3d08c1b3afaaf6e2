package dev.jattr.spark;

import dev.jattr.batch.ExampleResult;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of a result row, in the order of {@code jattr batch}'s Parquet shards: {@code id}
 * string, {@code target} and {@code prediction} ints (null without one), {@code attribution}
 * array&lt;float&gt;, {@code shape} array&lt;int&gt;, {@code sum} double, {@code delta} double
 * (null when the method has none), {@code top_index} array&lt;int&gt; and {@code top_value}
 * array&lt;float&gt;. Arrays hold no nulls.
 */
public final class ResultSchema {
    /** The result columns. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("id", DataTypes.StringType, false),
        DataTypes.createStructField("target", DataTypes.IntegerType, true),
        DataTypes.createStructField("prediction", DataTypes.IntegerType, true),
        DataTypes.createStructField("attribution", DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField("shape", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
        DataTypes.createStructField("sum", DataTypes.DoubleType, false),
        DataTypes.createStructField("delta", DataTypes.DoubleType, true),
        DataTypes.createStructField("top_index", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
        DataTypes.createStructField("top_value", DataTypes.createArrayType(DataTypes.FloatType, false), false),
    });

    private ResultSchema() {}

    /** The row of {@code r}; its arrays are handed over as they are, not copied. */
    public static Row row(ExampleResult r) {
        return RowFactory.create(r.id(), r.target(), r.prediction(), r.attribution(), r.shape(), r.sum(), r.delta(),
                r.topIndex(), r.topValue());
    }
}
