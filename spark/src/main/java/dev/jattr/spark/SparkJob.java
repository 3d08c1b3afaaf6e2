package dev.jattr.spark;

import dev.jattr.batch.MethodSpec;
import java.nio.file.Path;

/**
 * One run of {@code jattr-spark}: what {@link SparkArguments} read from the command line.
 *
 * @param master     Spark's master URL, or null to take spark-submit's
 * @param model      the ONNX model file, read on the driver
 * @param input      the dataset: a stacked {@code .npy} (read by the executors) or Parquet (any path Spark reads)
 * @param labels     the labels of a {@code .npy} dataset (a {@code .npy} of one integer per example), or null
 * @param options    the columns and batch size
 * @param partitions how many partitions a {@code .npy} is read in (null: twice Spark's default parallelism),
 *                   or to which a Parquet dataset is repartitioned (null: as Spark reads it)
 * @param spec       what to compute
 * @param out        the output folder (any path Spark writes), which must not exist
 */
public record SparkJob(String master, Path model, String input, Path labels, AttributeOptions options, Integer partitions,
        MethodSpec spec, String out) {
    /** Whether the input is a stacked {@code .npy} file. */
    public boolean npyInput() {
        return input.endsWith(".npy");
    }
}
