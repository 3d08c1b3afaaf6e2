package dev.jattr.kernels.cpu;

import dev.jattr.kernels.Allocator;
import dev.jattr.kernels.Availability;
import dev.jattr.kernels.Backend;
import dev.jattr.kernels.ConvKernels;
import dev.jattr.kernels.CopyKernels;
import dev.jattr.kernels.Device;
import dev.jattr.kernels.ElementwiseKernels;
import dev.jattr.kernels.GemmKernels;
import dev.jattr.kernels.IndexKernels;
import dev.jattr.kernels.PoolKernels;
import dev.jattr.kernels.ReduceKernels;

/**
 * The pure-Java backend: heap memory and the Vector API kernels of this package ({@link MatMul},
 * {@link Conv}, {@link Pool}, {@link Elementwise}, …). It is always available. Registered in
 * {@code META-INF/services/dev.jattr.kernels.Backend}; obtain it with
 * {@code dev.jattr.kernels.Backends.cpu()}. Stateless and thread-safe.
 */
public final class CpuBackend implements Backend {
  private final Allocator allocator = new CpuAllocator();
  private final GemmKernels gemm = new CpuGemm();
  private final ConvKernels conv = new CpuConv();
  private final PoolKernels pool = new CpuPool();
  private final ElementwiseKernels elementwise = new CpuElementwise();
  private final ReduceKernels reduce = new CpuReduce();
  private final IndexKernels index = new CpuIndex();
  private final CopyKernels copy = new CpuCopy();

  /** The CPU backend; the service loader calls this. */
  public CpuBackend() {}

  @Override
  public Device device() {
    return Device.CPU;
  }

  /**
   * The CPU in one line: {@code cpu, 16 threads, 256-bit vectors (Java Vector API)}.
   *
   * @return the description
   */
  @Override
  public String description() {
    return "cpu, " + Par.threads() + " threads, "
        + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors (Java Vector API)";
  }

  @Override
  public Availability availability() {
    return Availability.ready();
  }

  /** Wakes the kernels' worker threads that have parked (see {@code Par}), so that they spin for the run's first kernel. */
  @Override
  public void runStarting() {
    Par.wake();
  }

  /** Records the array in {@code Constants}, so that kernels keep what they derive from it (packed weights). */
  @Override
  public void markConstant(Object array) {
    Constants.mark(array);
  }

  @Override
  public Allocator allocator() {
    return allocator;
  }

  @Override
  public GemmKernels gemm() {
    return gemm;
  }

  @Override
  public ConvKernels conv() {
    return conv;
  }

  @Override
  public PoolKernels pool() {
    return pool;
  }

  @Override
  public ElementwiseKernels elementwise() {
    return elementwise;
  }

  @Override
  public ReduceKernels reduce() {
    return reduce;
  }

  @Override
  public IndexKernels index() {
    return index;
  }

  @Override
  public CopyKernels copy() {
    return copy;
  }

  @Override
  public String toString() {
    return "CpuBackend[" + Par.threads() + " threads]";
  }
}
