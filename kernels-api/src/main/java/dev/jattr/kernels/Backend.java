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
