package dev.jattr.spark;

import static dev.jattr.cli.Main.oneLine;

import java.io.PrintWriter;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * The {@code spark-submit} entry point behind {@code ./jattr-spark}: attributes every example of a
 * dataset and writes Parquet with a {@code summary.json}. A user error ends as one line
 * {@code jattr: <message>} on standard error and exit code 2; a failure inside jattr or Spark as
 * {@code jattr: internal error: …} and exit code 1, with the stack trace under {@code --verbose}
 * (or {@code JATTR_VERBOSE=1}).
 */
public final class SparkMain {
    /** The exit code of a user error: a bad argument, file, model or input. */
    public static final int USER_ERROR = 2;
    /** The exit code of a failure inside jattr or Spark. */
    public static final int INTERNAL_ERROR = 1;

    private SparkMain() {}

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs the command line with the given streams and returns the exit code. Uses the running
     * Spark session when there is one (and leaves it running), else makes one and stops it.
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        SparkArguments arguments = new SparkArguments();
        CommandLine cl = new CommandLine(arguments).setUsageHelpWidth(100);
        cl.getCommandSpec().name("jattr-spark");
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("jattr: " + oneLine(e.getMessage()) + " (see 'jattr-spark --help')");
            err.flush();
            return USER_ERROR;
        }
        if (cl.isUsageHelpRequested()) {
            cl.usage(out);
            return 0;
        }
        if (cl.isVersionHelpRequested()) {
            out.println("jattr-spark (Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Java " + Runtime.version() + ")");
            return 0;
        }
        boolean verbose = System.getenv("JATTR_VERBOSE") != null;
        SparkSession made = null;
        try {
            SparkJob job = arguments.job(cl.getParseResult().hasMatchedOption("--shard-size"));
            SparkSession spark;
            scala.Option<SparkSession> running = SparkSession.getActiveSession().orElse(SparkSession::getDefaultSession);
            if (running.isDefined()) {
                spark = running.get();
            } else {
                spark = made = session(job.master());
            }
            SparkRun run = SparkRun.run(spark, job);
            out.printf(Locale.ROOT, "wrote %d examples to %s in %.1f s (%.2f examples/s)%n", run.examples(), job.out(), run.seconds(),
                    run.examplesPerSecond());
            out.flush();
            return 0;
        } catch (Exception | Error e) {
            SparkErrors problem = SparkErrors.of(e);
            err.println("jattr: " + (problem.user() ? problem.message()
                    : "internal error: " + problem.message() + "; rerun with JATTR_VERBOSE=1 and report it"));
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return problem.user() ? USER_ERROR : INTERNAL_ERROR;
        } finally {
            if (made != null) {
                made.stop();
            }
        }
    }

    /** A session for {@code master} (null: spark-submit's), its executors with one kernel thread per task. */
    private static SparkSession session(String master) {
        SparkConf submitted = new SparkConf();
        SparkSession.Builder b = SparkSession.builder().appName("jattr-spark")
                .config("spark.executor.extraJavaOptions", TaskThreads.executorJavaOptions(submitted.get("spark.executor.extraJavaOptions", "")));
        if (master != null) {
            b.master(master);
        } else if (!submitted.contains("spark.master")) {
            throw new IllegalArgumentException("no Spark master: give --master (local[2], yarn, k8s://…) or run under spark-submit");
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
