package dev.jattr.kernels.cuda;

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
import dev.jattr.kernels.cuda.driver.CudaDriver;
import dev.jattr.kernels.cuda.driver.CudaException;
import dev.jattr.kernels.cuda.driver.CudaUnavailableException;
import dev.jattr.kernels.cuda.driver.PanamaDriver;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The CUDA backend: every kernel family of the backend interface as PTX kernels launched through
 * the CUDA driver API ({@link PanamaDriver}), found by {@link java.util.ServiceLoader} under the
 * name {@code "cuda"}. Constructing it does no device work; {@link #availability()} loads the
 * driver, initialises it and opens device {@code jattr.cuda.device} (default 0), and says in one
 * line why not where it cannot.
 *
 * <p>Operands live in Java arrays. The backend keeps a device copy of each array a kernel reads or
 * writes ({@link #keepsDeviceCopies}): a kernel's output stays on the device until the host asks
 * for it ({@link #syncToHost}), an input is uploaded only when the host wrote it since
 * ({@link #hostChanged}), and weights travel once. With {@code -Djattr.cuda.resident=false}, and
 * during {@link #onHost} phases (the backward pass), each call copies its operands to the device
 * and its outputs back instead. Device buffers are cached by size class, so steady-state calls
 * allocate no device memory. Float products use the FP32 kernel unless {@code tf32} is asked for (the constructor, or
 * {@code -Djattr.cuda.tf32=true}), which rounds their inputs to TF32 on the tensor cores.
 */
public final class CudaBackend implements Backend {
  /** The backend's name. */
  public static final String NAME = "cuda";

  private static final int ATTR_CLOCK_KHZ = 13;
  private static final int ATTR_SMS = 16;
  private static final int ATTR_CC_MAJOR = 75;
  private static final int ATTR_CC_MINOR = 76;

  private final Supplier<CudaDriver> drivers;
  private final int ordinal;
  private final boolean tf32;
  private volatile Availability availability;
  private volatile Families families;

  private record Families(CudaDevice dev, Allocator allocator, GemmKernels gemm, ConvKernels conv, PoolKernels pool,
      ElementwiseKernels elementwise, ReduceKernels reduce, IndexKernels index, CopyKernels copy) {}

  /** The backend on the real driver, with TF32 as {@code jattr.cuda.tf32} says (default off). */
  public CudaBackend() {
    this(PanamaDriver::load, Integer.getInteger("jattr.cuda.device", 0), Boolean.getBoolean("jattr.cuda.tf32"));
  }

  /**
   * The backend on the real driver.
   *
   * @param tf32 whether float products run on the tensor cores in TF32
   */
  public CudaBackend(boolean tf32) {
    this(PanamaDriver::load, Integer.getInteger("jattr.cuda.device", 0), tf32);
  }

  /**
   * The backend on a given driver (tests pass a fake one).
   *
   * @param drivers opens the driver; may throw {@link CudaUnavailableException}
   * @param ordinal the device to use
   * @param tf32 whether float products run on the tensor cores in TF32
   */
  public CudaBackend(Supplier<CudaDriver> drivers, int ordinal, boolean tf32) {
    this.drivers = drivers;
    this.ordinal = ordinal;
    this.tf32 = tf32;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Device device() {
    return new Device(NAME + ":" + ordinal, Device.Kind.GPU);
  }

  @Override
  public Availability availability() {
    Availability a = availability;
    if (a == null) {
      synchronized (this) {
        a = availability;
        if (a == null) {
          a = open();
          availability = a;
        }
      }
    }
    return a;
  }

  private Availability open() {
    try {
      CudaDriver d = drivers.get();
      int count = d.deviceCount();
      if (count == 0) {
        return Availability.unavailable("the NVIDIA driver reports no CUDA device");
      }
      if (ordinal < 0 || ordinal >= count) {
        return Availability.unavailable("CUDA device " + ordinal + " does not exist (the driver reports " + count
            + (count == 1 ? " device)" : " devices)"));
      }
      CudaDevice dev = new CudaDevice(d, ordinal);
      families = new Families(dev, new CudaAllocator(dev), new CudaGemm(dev, tf32), new CudaConv(dev),
          new CudaPool(dev), new CudaElementwise(dev), new CudaReduce(dev), new CudaIndex(dev), new CudaCopy(dev));
      return Availability.ready();
    } catch (CudaUnavailableException e) {
      return Availability.unavailable(e.getMessage());
    } catch (CudaException e) {
      return Availability.unavailable("the CUDA device did not open: " + e.getMessage());
    }
  }

  private Families families() {
    Availability a = availability();
    if (!a.available()) {
      throw new IllegalStateException("the CUDA backend is not available: " + a.reason());
    }
    return families;
  }

  /**
   * The device, driver and memory, one line: {@code cuda:0 NVIDIA H200, compute capability 9.0,
   * 132 SMs at 1980 MHz, 139.8 GiB (139.1 GiB free), driver CUDA 13.0}.
   *
   * @return the description
   * @throws IllegalStateException when the backend is not available
   */
  @Override
  public String description() {
    CudaDevice dev = families().dev();
    CudaDriver d = dev.driver();
    int h = dev.handle();
    long[] free = new long[1];
    dev.call(c -> free[0] = d.freeMemory());
    int v = d.driverVersion();
    return String.format(Locale.ROOT,
        "%s %s, compute capability %d.%d, %d SMs at %d MHz, %.1f GiB (%.1f GiB free), driver CUDA %d.%d%s",
        device().name(), dev.name(), d.attribute(ATTR_CC_MAJOR, h), d.attribute(ATTR_CC_MINOR, h),
        d.attribute(ATTR_SMS, h), d.attribute(ATTR_CLOCK_KHZ, h) / 1000, d.totalMemory(h) / (double) (1L << 30),
        free[0] / (double) (1L << 30), v / 1000, v % 1000 / 10, tf32 ? ", TF32 products" : "");
  }

  /**
   * How many device allocations the backend has made so far (cache misses).
   *
   * @return the count
   */
  public long deviceAllocations() {
    return families().dev().allocations();
  }

  /** The device, for the kernel timings of {@link CudaSelfCheck}. */
  CudaDevice deviceForChecks() {
    return families().dev();
  }

  @Override
  public boolean keepsDeviceCopies() {
    return availability().available() && families.dev().keepsCopies();
  }

  @Override
  public void syncToHost(Object array) {
    families().dev().syncToHost(array);
  }

  @Override
  public void hostChanged(Object array) {
    families().dev().hostChanged(array);
  }

  @Override
  public void awaitDevice() {
    if (availability().available()) {
      families.dev().await();
    }
  }

  /** Records into a CUDA graph of the device's stream; see {@link CudaDevice#record}. */
  @Override
  public dev.jattr.kernels.DeviceRecording record(Runnable run) {
    return families().dev().record(run);
  }

  @Override
  public void toDevice(Object array) {
    families().dev().toDevice(array);
  }

  @Override
  public void copyToDevice(Object source, Object target) {
    families().dev().copyToDevice(source, target);
  }

  @Override
  public void deviceWrote(Object array) {
    families().dev().deviceWrote(array);
  }

  @Override
  public boolean zeroOnDevice(Object array) {
    return families().dev().zeroOnDevice(array);
  }

  @Override
  public <T> T onHost(java.util.function.Supplier<T> phase) {
    return families().dev().onHost(phase);
  }

  @Override
  public <T> T onDevice(java.util.function.Supplier<T> op) {
    return families().dev().onDevice(op);
  }

  @Override
  public Allocator allocator() {
    return families().allocator();
  }

  @Override
  public GemmKernels gemm() {
    return families().gemm();
  }

  @Override
  public ConvKernels conv() {
    return families().conv();
  }

  @Override
  public PoolKernels pool() {
    return families().pool();
  }

  @Override
  public ElementwiseKernels elementwise() {
    return families().elementwise();
  }

  @Override
  public ReduceKernels reduce() {
    return families().reduce();
  }

  @Override
  public IndexKernels index() {
    return families().index();
  }

  @Override
  public CopyKernels copy() {
    return families().copy();
  }
}
