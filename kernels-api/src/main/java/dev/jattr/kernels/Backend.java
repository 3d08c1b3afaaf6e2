package dev.jattr.kernels;

/**
 * Where the graph IR computes: a device, an allocator for its buffers, and the kernel families
 * the primitive ops call. An op makes one call into a family per op (or per batch of products),
 * never one per element.
 *
 * <p>Backends are found with {@link java.util.ServiceLoader} through {@link Backends}: an
 * implementation has a public no-argument constructor that does no device work, is listed in
 * {@code META-INF/services/dev.jattr.kernels.Backend}, and says in {@link #availability()}
 * whether it can run here. The pure-Java CPU backend ({@code jattr-kernels-cpu}) is always there.
 */
public interface Backend {
  /**
   * The backend's name, by which {@link Backends#byName} finds it; the device's name.
   *
   * @return the name
   */
  default String name() {
    return device().name();
  }

  /**
   * The device it computes on.
   *
   * @return the device
   */
  Device device();

  /**
   * Whether it can run here (the driver and device are present). Called once, before any other
   * method but {@link #name()} and {@link #device()}; a backend that is not ready is skipped.
   *
   * @return ready, or unavailable with the reason
   */
  Availability availability();

  /**
   * The device in one line for people ({@code jattr check}): what it is, its memory, its driver.
   * Call only on a backend that is available.
   *
   * @return the description; by default the device's name
   */
  default String description() {
    return device().name();
  }

  /**
   * Whether the backend keeps copies of host arrays on its device between kernel calls, so that
   * a kernel's output stays on the device until the host reads it (see {@link #syncToHost}). The
   * graph then tells it where the host reads and writes: it brings an op's inputs to the host
   * before an op that computes on the host, marks that op's outputs as written by the host, and
   * brings results to the host at the edges of a run. False by default (and for the CPU).
   *
   * @return whether device copies are kept
   */
  default boolean keepsDeviceCopies() {
    return false;
  }

  /**
   * Makes the host array current: copies the device's newer copy back, if there is one.
   *
   * @param array a float, double or other primitive array a kernel may have written
   */
  default void syncToHost(Object array) {}

  /**
   * Says that the host wrote the array, so that a device copy is stale.
   *
   * @param array a primitive array
   */
  default void hostChanged(Object array) {}

  /**
   * Zeroes a reused array on the device instead of on the host, where that is cheaper: inside
   * {@link #onDevice}, a backend that keeps device copies zeroes the array's device copy and
   * leaves the host array stale until it is synced. Returns false, doing nothing, where the caller
   * must zero the host array itself (the default).
   *
   * @param array a primitive array about to be handed out as zeros
   * @return whether the backend zeroed it
   */
  default boolean zeroOnDevice(Object array) {
    return false;
  }

  /**
   * Brings every array the device holds a newer copy of to the host, and then treats every device
   * copy as stale: around a phase in which the host may read and write any array (the backward
   * pass).
   *
   * @param phase the phase
   * @param <T> what the phase returns
   * @return what the phase returned
   */
  default <T> T onHost(java.util.function.Supplier<T> phase) {
    return phase.get();
  }

  /**
   * Runs one op that computes only through this backend's kernels, letting its kernels' outputs
   * stay on the device. Outside such ops every kernel call copies its operands to the device and
   * its outputs back at once (bringing a newer device copy of an operand to the host first), so
   * code that reads what a kernel wrote, or calls kernels outside a run, sees the numbers.
   *
   * @param op the op's computation
   * @param <T> what it returns
   * @return what it returned
   */
  default <T> T onDevice(java.util.function.Supplier<T> op) {
    return op.get();
  }

  /**
   * Says that a run of many kernel calls (a forward or backward pass) is about to start, so that
   * a backend whose threads sleep when idle can wake them now and the first kernel finds them
   * ready. A hint: it changes no result, and does nothing by default.
   */
  default void runStarting() {}

  /**
   * Waits until the device has finished every kernel and copy queued so far, so that a profiler
   * timing one op at a time charges each its own device work (a GPU runs launches
   * asynchronously). Changes no result; nothing to wait for by default.
   */
  default void awaitDevice() {}

  /**
   * Records the device work that {@code run} queues into a {@link DeviceRecording}, without
   * running it: the caller replays the recording to run it, now and again later. Every array the
   * work touches keeps its device memory for the recording's life; work that would wait for the
   * device meanwhile (a copy back to the host) makes the recording fail with an exception, after
   * which the caller runs the work as usual. Returns null where the backend records nothing (the
   * default): then {@code run} has run as usual.
   *
   * @param run the work to record
   * @return the recording, or null where {@code run} ran instead
   */
  default DeviceRecording record(Runnable run) {
    run.run();
    return null;
  }

  /**
   * Brings the device copy of {@code array} up to date with the host's newer elements, queued
   * without waiting; nothing by default (and for an array without a device copy).
   *
   * @param array a primitive array
   */
  default void toDevice(Object array) {}

  /**
   * Copies {@code source}'s elements into {@code target}'s device copy, queued without waiting,
   * leaving {@code target}'s host elements stale (they come back with {@link #syncToHost}): how a
   * replay's input takes new values without a copy on the host first. By default (no device
   * copies) a copy into {@code target}.
   *
   * @param source a primitive array
   * @param target an array of the same type and length
   */
  default void copyToDevice(Object source, Object target) {
    System.arraycopy(source, 0, target, 0, java.lang.reflect.Array.getLength(target));
    hostChanged(target);
  }

  /**
   * Says that the device copy of {@code array} is newer than the host's (a replay wrote it), so
   * that {@link #syncToHost} brings it back; nothing by default.
   *
   * @param array a primitive array
   */
  default void deviceWrote(Object array) {}

  /**
   * Says that the elements of {@code array} will not change from now on (a graph's weights), so
   * that the backend may keep forms it derives from them, such as weights packed for its matrix
   * products, for as long as the array is reachable. A hint: it changes no result, and does
   * nothing by default.
   *
   * @param array a primitive array that nobody writes again
   */
  default void markConstant(Object array) {}

  /**
   * The allocator of the device's buffers.
   *
   * @return the allocator
   */
  Allocator allocator();

  /**
   * Matrix products.
   *
   * @return the GEMM kernels
   */
  GemmKernels gemm();

  /**
   * Convolution forward and both backward passes.
   *
   * @return the convolution kernels
   */
  ConvKernels conv();

  /**
   * Max and average pooling and their gradients.
   *
   * @return the pooling kernels
   */
  PoolKernels pool();

  /**
   * Unary and broadcast binary elementwise kernels.
   *
   * @return the elementwise kernels
   */
  ElementwiseKernels elementwise();

  /**
   * Sums and softmax along an axis.
   *
   * @return the reduction kernels
   */
  ReduceKernels reduce();

  /**
   * Gather and scatter-add.
   *
   * @return the indexing kernels
   */
  IndexKernels index();

  /**
   * Strided copies and casts.
   *
   * @return the copy kernels
   */
  CopyKernels copy();
}
