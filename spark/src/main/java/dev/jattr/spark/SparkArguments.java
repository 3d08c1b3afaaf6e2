package dev.jattr.spark;

import dev.jattr.cli.BatchCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command line of {@code jattr-spark}: {@code --master}, {@code --partitions} and the
 * arguments of {@code jattr batch}, parsed and checked by {@code jattr batch}'s own command.
 */
@Command(name = "jattr-spark", sortOptions = false,
        description = "Attributes every example of a dataset with Apache Spark and writes Parquet with a summary.json.")
final class SparkArguments {
    @Option(names = "--master", paramLabel = "URL", description = "Spark's master, e.g. local[2] (default: spark-submit's).")
    String master;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of the input (.npy default: twice Spark's default parallelism; Parquet: as read).")
    Integer partitions;

    @Mixin
    BatchCommand batch = new BatchCommand();

    /** The run these arguments describe; fails on arguments that do not fit together. */
    SparkJob job(boolean shardSizeGiven) {
        if (partitions != null && partitions < 1) {
            throw new IllegalArgumentException("--partitions " + partitions + " must be at least 1");
        }
        if (shardSizeGiven) {
            throw new IllegalArgumentException("--shard-size applies to jattr batch; Spark writes one file per partition (--partitions)");
        }
        BatchCommand.Job job = batch.job();
        BatchCommand.Data data = batch.data(job.graph());
        if (data.imageFlag() != null) {
            throw new IllegalArgumentException(data.imageFlag() + ": jattr-spark reads .npy or Parquet, not images");
        }
        String lower = data.input().toLowerCase(Locale.ROOT);
        boolean npy = lower.endsWith(".npy");
        if (Files.isDirectory(Path.of(data.input())) && !lower.endsWith(".parquet")) {
            throw new IllegalArgumentException("--input " + data.input() + " is a folder; jattr-spark reads a stacked .npy or Parquet "
                    + "(a folder of images goes to jattr batch)");
        }
        if (data.labels() != null && !npy) {
            throw new IllegalArgumentException("--labels goes with a .npy input; name the label column of Parquet with --label-column");
        }
        if (npy && (data.column() != null || data.labelColumn() != null || data.idColumn() != null)) {
            throw new IllegalArgumentException("--column, --id-column and --label-column go with Parquet input, not .npy");
        }
        AttributeOptions options = new AttributeOptions(npy ? "input" : data.column(), data.idColumn() == null ? "id" : data.idColumn(),
                npy && data.labels() != null ? "label" : data.labelColumn(), job.batchSize());
        return new SparkJob(master, job.modelFile(), data.input(), data.labels() == null ? null : Path.of(data.labels()), options,
                partitions, job.spec(), job.out().toString());
    }
}
