package dev.jattr.kernels.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/** Package-private helper that runs independent index ranges on the common ForkJoinPool. */
final class Par {
  /**
   * Multiply-adds (or comparable scalar steps) above which work is split over threads. Measured on
   * the 2-core benchmark machine: ForkJoin dispatch costs tens of microseconds, so below about a
   * million steps splitting lost to one thread (shufflenet_v2_x0_5 and mobilenet_v3_small were
   * 5 to 15% faster end to end with this bound than with 2<sup>16</sup>).
   */
  static final long MIN_WORK = 1L << 20;

  /** Body run over a half-open index range {@code [from, to)}. */
  @FunctionalInterface
  interface RangeBody {
    /**
     * Processes indices {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param from first index
     * @param to end index (exclusive)
     */
    void run(int from, int to);
  }

  private Par() {}

  /**
   * The threads kernels split work over: the hardware threads, but no more than the common pool's
   * workers plus the calling thread. {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=0}
   * thus makes every kernel run on its caller alone, which is what several attributions running
   * side by side (Spark tasks) want.
   */
  static int threads() {
    return Math.min(Runtime.getRuntime().availableProcessors(), ForkJoinPool.getCommonPoolParallelism() + 1);
  }

  /** Whether {@code count} independent items totalling {@code work} steps should run in parallel. */
  static boolean worthIt(int count, long work) {
    return count >= 2 && threads() >= 2 && work >= MIN_WORK;
  }

  /**
   * Runs {@code body} over {@code [0, count)}, split into contiguous chunks executed in parallel
   * when {@code parallel} is true, otherwise in one call on the current thread.
   */
  static void forRange(int count, boolean parallel, RangeBody body) {
    if (count <= 0) {
      return;
    }
    if (!parallel || count < 2) {
      body.run(0, count);
      return;
    }
    int chunks = Math.min(count, 4 * threads());
    int per = (count + chunks - 1) / chunks;
    int n = (count + per - 1) / per;
    IntStream.range(0, n).parallel().forEach(t -> body.run(t * per, Math.min(count, (t + 1) * per)));
  }
}
