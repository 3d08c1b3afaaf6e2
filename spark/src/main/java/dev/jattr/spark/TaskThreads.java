package dev.jattr.spark;

import java.util.concurrent.ForkJoinPool;

/**
 * One kernel thread per Spark task. jattr's CPU kernels split their work over the common
 * ForkJoinPool; an executor already runs one task per core, so each task computes on its own
 * thread alone: the JVM that runs tasks starts with the common pool's parallelism at 0 (the caller
 * runs the work). A JVM flag, because the pool is made once, before any task: {@code ./jattr-spark}
 * gives it to the local JVM, and {@link #executorJavaOptions} adds it to the executors'.
 */
public final class TaskThreads {
    /** The system property of the common pool's parallelism. */
    public static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";
    /** The flag that gives each task one kernel thread. */
    public static final String FLAG = "-D" + PARALLELISM + "=0";
    /** The Vector API module, which the kernels use. */
    public static final String VECTOR = "--add-modules=jdk.incubator.vector";

    private TaskThreads() {}

    /**
     * {@code existing} executor Java options with the common pool's parallelism at 0 and the
     * Vector API module added, unless they set them already (Spark's launcher adds its own
     * {@code --add-opens} to every executor).
     */
    public static String executorJavaOptions(String existing) {
        String options = existing == null ? "" : existing.strip();
        if (!options.contains("-D" + PARALLELISM + "=")) {
            options = (options + " " + FLAG).strip();
        }
        if (!options.contains("jdk.incubator.vector")) {
            options = (options + " " + VECTOR).strip();
        }
        return options;
    }

    /**
     * Whether this JVM's tasks compute with one kernel thread each: its common pool's parallelism
     * is set to 0. (The JDK reports a parallelism of 1 for a setting of 0, so the property is read,
     * as the kernels read it.)
     */
    public static boolean oneKernelThreadPerTask() {
        String p = System.getProperty(PARALLELISM);
        return p != null ? "0".equals(p.strip()) : ForkJoinPool.getCommonPoolParallelism() < 1;
    }
}
