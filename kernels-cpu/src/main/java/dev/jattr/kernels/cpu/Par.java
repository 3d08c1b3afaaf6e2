package dev.jattr.kernels.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Package-private helper that runs independent tasks on the kernels' own team of threads: the
 * calling thread and {@link #threads()} − 1 daemon workers.
 *
 * <p>Why not the common ForkJoinPool: a forward pass runs hundreds of parallel kernels a few tens
 * of microseconds apart, and a pool worker parks between them. On a virtual machine waking a
 * parked thread took up to 3 ms here (an idle virtual CPU halts), so one convolution of 0.1 ms
 * took 3 ms at the 90th percentile. A worker of this team instead spins for {@link #SPIN_NANOS}
 * after its last task before it parks, as ONNX Runtime's intra-op threads do, so that the next
 * kernel finds it awake.
 *
 * <p>Tasks are claimed from a shared counter, so a late worker simply finds less to do; which
 * thread runs a task never changes what it computes, so results do not depend on the timing. One
 * parallel call runs at a time: a call made while another is in flight (a nested call from a
 * task, or a second caller thread) runs its tasks on its own thread.
 */
final class Par {
  /**
   * Multiply-adds (or comparable scalar steps) above which work is split over threads. Measured on
   * the 2-core benchmark machine: below about a million steps splitting lost to one thread
   * (shufflenet_v2_x0_5 and mobilenet_v3_small were 5 to 15% faster end to end with this bound
   * than with 2<sup>16</sup>).
   */
  static final long MIN_WORK = 1L << 20;

  /** The default spin in microseconds. */
  static final long DEFAULT_SPIN_MICROS = 2000L;

  /**
   * How long a worker spins for the next call after its last task before it parks: {@code
   * -Djattr.kernels.spin=MICROSECONDS}, default {@value #DEFAULT_SPIN_MICROS}.
   */
  static final long SPIN_NANOS = Math.max(0L, Long.getLong("jattr.kernels.spin", DEFAULT_SPIN_MICROS)) * 1000L;

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
    return THREADS;
  }

  /** The system property that sets the common pool's parallelism, read here too. */
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private static final int THREADS = threadsFor(System.getProperty(PARALLELISM),
      ForkJoinPool.getCommonPoolParallelism(), Runtime.getRuntime().availableProcessors());

  /**
   * The kernels' threads for the parallelism property's value {@code property} (null when unset),
   * the common pool's parallelism as the JDK reports it, and {@code cores} hardware threads: the
   * property's workers plus the caller where it is a number, else the pool's plus the caller, at
   * most {@code cores}. The property is read itself because the JDK reports a parallelism of 1
   * for a property of 0 (its pool keeps a worker for asynchronous tasks), which made
   * {@code parallelism=0} run every kernel on two threads.
   */
  static int threadsFor(String property, int commonParallelism, int cores) {
    int workers = commonParallelism;
    if (property != null) {
      try {
        workers = Integer.parseInt(property.strip());
      } catch (NumberFormatException e) {
        workers = commonParallelism; // the pool ignores a value it cannot read, and so do we
      }
    }
    return Math.max(1, Math.min(cores, Math.max(0, workers) + 1));
  }

  /** Whether {@code count} independent items totalling {@code work} steps should run in parallel. */
  static boolean worthIt(int count, long work) {
    return worthIt(count, work, MIN_WORK);
  }

  /** As {@link #worthIt(int, long)}, splitting from {@code least} steps rather than {@link #MIN_WORK}. */
  static boolean worthIt(int count, long work, long least) {
    return count >= 2 && threads() >= 2 && work >= least;
  }

  /**
   * Runs {@code body} over {@code [0, count)}, split into contiguous chunks executed in parallel
   * when {@code parallel} is true, otherwise in one call on the current thread.
   */
  static void forRange(int count, boolean parallel, RangeBody body) {
    if (count <= 0) {
      return;
    }
    if (!parallel || count < 2 || threads() < 2) {
      body.run(0, count);
      return;
    }
    int chunks = Math.min(count, 4 * threads());
    int per = (count + chunks - 1) / chunks;
    int n = (count + per - 1) / per;
    forEach(n, t -> body.run(t * per, Math.min(count, (t + 1) * per)));
  }

  /**
   * Runs {@code task} for every index in {@code [0, n)}, on the team when it is free, and returns
   * when all have finished; the first exception a task throws is rethrown here.
   */
  static void forEach(int n, IntConsumer task) {
    if (n <= 0) {
      return;
    }
    Team team = threads() < 2 || n < 2 ? null : Team.get();
    if (team == null || !team.busy.compareAndSet(false, true)) {
      for (int t = 0; t < n; t++) {
        task.accept(t);
      }
      return;
    }
    try {
      Job job = new Job(n, task);
      team.post(job);
      job.work();
      for (int spins = 1; job.done.get() < n; spins++) {
        pause(spins);
      }
      team.job = null;
      job.rethrow();
    } finally {
      team.busy.set(false);
    }
  }

  /**
   * Wakes the workers that have parked, without work: each spins again for {@link #SPIN_NANOS},
   * so a parallel call made within that time does not wait for a parked thread to be scheduled
   * (up to milliseconds on a virtual machine whose idle CPU halted). Called as a run of many
   * kernels starts.
   */
  static void wake() {
    if (threads() >= 2) {
      Team.get().wake();
    }
  }

  /**
   * One step of a spin-wait: a pause instruction, and every 64th step a yield, so that a spinning
   * thread gives its CPU to the thread it waits for when the two share one (a virtual machine
   * whose host is busy runs our threads on fewer CPUs than it reports).
   */
  private static void pause(int spins) {
    if ((spins & 63) == 0) {
      Thread.yield();
    } else {
      Thread.onSpinWait();
    }
  }

  /** One parallel call: its tasks, the next unclaimed one, and how many have finished. */
  private static final class Job {
    final int n;
    final IntConsumer task;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    volatile Throwable failure;

    Job(int n, IntConsumer task) {
      this.n = n;
      this.task = task;
    }

    /** Claims and runs tasks until none is left. */
    void work() {
      for (int t; (t = next.getAndIncrement()) < n; ) {
        try {
          task.accept(t);
        } catch (Throwable e) {
          if (failure == null) {
            failure = e;
          }
        } finally {
          done.incrementAndGet();
        }
      }
    }

    void rethrow() {
      Throwable e = failure;
      if (e instanceof RuntimeException r) {
        throw r;
      }
      if (e instanceof Error r) {
        throw r;
      }
      if (e != null) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The workers, started on first use, and the job they are to help with. */
  private static final class Team {
    final AtomicBoolean busy = new AtomicBoolean();
    final Worker[] workers;
    volatile Job job;

    private Team(int size) {
      workers = new Worker[size];
      for (int i = 0; i < size; i++) {
        workers[i] = new Worker(this);
        Thread th = new Thread(workers[i], "jattr-kernels-" + (i + 1));
        th.setDaemon(true);
        workers[i].thread = th;
      }
      for (Worker w : workers) {
        w.thread.start();
      }
    }

    private static final class Holder {
      static final Team TEAM = new Team(threads() - 1);
    }

    static Team get() {
      return Holder.TEAM;
    }

    /** Publishes a job and wakes the workers that have parked. */
    void post(Job j) {
      job = j;
      wake();
    }

    /** Unparks the workers that have parked, posting no job. */
    void wake() {
      for (Worker w : workers) {
        if (w.parked) {
          LockSupport.unpark(w.thread);
        }
      }
    }
  }

  /** A worker: helps with each new job, spins a while after it, then parks until woken. */
  private static final class Worker implements Runnable {
    final Team team;
    Thread thread;
    volatile boolean parked;

    Worker(Team team) {
      this.team = team;
    }

    @Override
    public void run() {
      Job seen = null;
      long idleSince = System.nanoTime();
      int spins = 0;
      while (true) {
        Job j = team.job;
        if (j != null && j != seen) {
          seen = j;
          j.work();
          idleSince = System.nanoTime();
        } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
          pause(++spins);
        } else {
          parked = true;
          j = team.job;
          if (j == null || j == seen) {
            LockSupport.park(this);
          }
          parked = false;
          idleSince = System.nanoTime();
        }
      }
    }
  }
}
