/**
 * Dataset attribution as an Apache Spark job: {@link dev.jattr.spark.JattrSpark} maps a
 * {@code Dataset<Row>} of model inputs to one row of results per input row, with the columns of
 * {@code jattr batch}'s Parquet shards; {@link dev.jattr.spark.SparkMain} is the
 * {@code spark-submit} entry point behind {@code ./jattr-spark}.
 */
package dev.jattr.spark;
