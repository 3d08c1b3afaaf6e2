package dev.jattr.kernels.cuda.driver;

import java.lang.foreign.MemorySegment;

/**
 * The part of the CUDA driver API jattr uses, in Java terms. Handles (contexts, modules,
 * functions, streams, events) and device pointers are {@code long}s; stream 0 is the context's
 * default stream. Every method throws {@link CudaException} naming the driver function when the
 * driver reports an error. {@link PanamaDriver} calls {@code libcuda} through
 * {@code java.lang.foreign}; tests substitute a fake.
 */
public interface CudaDriver {
  /**
   * The driver's CUDA version, e.g. 13000 for 13.0 ({@code cuDriverGetVersion}).
   *
   * @return the version
   */
  int driverVersion();

  /**
   * The number of CUDA devices ({@code cuDeviceGetCount}).
   *
   * @return the count, possibly 0
   */
  int deviceCount();

  /**
   * The handle of a device ({@code cuDeviceGet}).
   *
   * @param ordinal the device's ordinal, from 0
   * @return its handle
   */
  int device(int ordinal);

  /**
   * A device's name ({@code cuDeviceGetName}).
   *
   * @param device the handle
   * @return the name, e.g. "NVIDIA H200"
   */
  String deviceName(int device);

  /**
   * A device attribute ({@code cuDeviceGetAttribute}).
   *
   * @param attribute the {@code CUdevice_attribute} code
   * @param device the handle
   * @return its value
   */
  int attribute(int attribute, int device);

  /**
   * A device's memory in bytes ({@code cuDeviceTotalMem_v2}).
   *
   * @param device the handle
   * @return the total memory
   */
  long totalMemory(int device);

  /**
   * Retains the device's primary context ({@code cuDevicePrimaryCtxRetain}).
   *
   * @param device the handle
   * @return the context
   */
  long retainPrimaryContext(int device);

  /**
   * Makes a context current on the calling thread ({@code cuCtxSetCurrent}).
   *
   * @param context the context
   */
  void setCurrent(long context);

  /**
   * Free memory of the current context's device in bytes ({@code cuMemGetInfo_v2}).
   *
   * @return the free memory
   */
  long freeMemory();

  /**
   * Allocates device memory ({@code cuMemAlloc_v2}).
   *
   * @param bytes the size
   * @return the device pointer, 256-byte aligned
   */
  long allocate(long bytes);

  /**
   * Frees device memory ({@code cuMemFree_v2}).
   *
   * @param pointer the device pointer
   */
  void free(long pointer);

  /**
   * Allocates page-locked host memory ({@code cuMemHostAlloc}), for asynchronous copies.
   *
   * @param bytes the size
   * @return the host memory
   */
  MemorySegment allocatePinned(long bytes);

  /**
   * Frees page-locked host memory ({@code cuMemFreeHost}).
   *
   * @param memory memory from {@link #allocatePinned}
   */
  void freePinned(MemorySegment memory);

  /**
   * Copies host memory to the device and waits ({@code cuMemcpyHtoD_v2}). The source may be a
   * heap segment over a Java array.
   *
   * @param device the destination device pointer
   * @param host the source
   */
  void copyToDevice(long device, MemorySegment host);

  /**
   * Copies device memory to the host and waits ({@code cuMemcpyDtoH_v2}). The destination may be
   * a heap segment over a Java array.
   *
   * @param host the destination, of the size to copy
   * @param device the source device pointer
   */
  void copyToHost(MemorySegment host, long device);

  /**
   * Enqueues a copy from pinned host memory to the device ({@code cuMemcpyHtoDAsync_v2}).
   *
   * @param device the destination device pointer
   * @param pinned the source, from {@link #allocatePinned}
   * @param stream the stream
   */
  void copyToDeviceAsync(long device, MemorySegment pinned, long stream);

  /**
   * Enqueues a copy from the device to pinned host memory ({@code cuMemcpyDtoHAsync_v2}).
   *
   * @param pinned the destination, from {@link #allocatePinned}
   * @param device the source device pointer
   * @param stream the stream
   */
  void copyToHostAsync(MemorySegment pinned, long device, long stream);

  /**
   * Enqueues a device-to-device copy ({@code cuMemcpyDtoDAsync_v2}).
   *
   * @param destination the destination device pointer
   * @param source the source device pointer
   * @param bytes the size
   * @param stream the stream
   */
  void copyOnDevice(long destination, long source, long bytes, long stream);

  /**
   * Enqueues zeroing of device memory ({@code cuMemsetD8Async}).
   *
   * @param pointer the device pointer
   * @param bytes the size
   * @param stream the stream
   */
  void zero(long pointer, long bytes, long stream);

  /**
   * Loads a module from PTX, JIT-compiling it for the device ({@code cuModuleLoadDataEx}); on
   * failure the exception carries the JIT's error log.
   *
   * @param ptx the PTX text
   * @return the module
   */
  long loadModule(String ptx);

  /**
   * A kernel of a module ({@code cuModuleGetFunction}).
   *
   * @param module the module
   * @param name the kernel's (unmangled) name
   * @return the function
   */
  long function(long module, String name);

  /**
   * Enqueues a kernel launch ({@code cuLaunchKernel}).
   *
   * @param function the kernel
   * @param grid blocks
   * @param block threads per block
   * @param sharedBytes dynamic shared memory per block
   * @param stream the stream
   * @param args the kernel's arguments
   */
  void launch(long function, Dim3 grid, Dim3 block, int sharedBytes, long stream, KernelArgs args);

  /**
   * Creates a stream that synchronises with the legacy default stream ({@code cuStreamCreate},
   * {@code CU_STREAM_DEFAULT}): a synchronous copy waits for the work queued on it.
   *
   * @return the stream
   */
  long createStream();

  /**
   * Starts capturing the work queued on a stream into a graph instead of running it
   * ({@code cuStreamBeginCapture_v2}, relaxed mode: device memory may be allocated meanwhile).
   *
   * @param stream the stream
   */
  void beginCapture(long stream);

  /**
   * Ends a capture and returns its graph ({@code cuStreamEndCapture}); fails where the capture
   * was invalidated (by a synchronising call meanwhile).
   *
   * @param stream the capturing stream
   * @return the graph
   */
  long endCapture(long stream);

  /**
   * Makes a graph launchable ({@code cuGraphInstantiateWithFlags}).
   *
   * @param graph the graph
   * @return the executable graph
   */
  long instantiate(long graph);

  /**
   * Queues an executable graph's work on a stream ({@code cuGraphLaunch}).
   *
   * @param exec the executable graph
   * @param stream the stream
   */
  void launchGraph(long exec, long stream);

  /**
   * Destroys a graph and its executable form ({@code cuGraphExecDestroy}, {@code cuGraphDestroy});
   * either may be 0.
   *
   * @param graph the graph
   * @param exec the executable graph
   */
  void destroyGraph(long graph, long exec);

  /**
   * Waits for a stream's work ({@code cuStreamSynchronize}).
   *
   * @param stream the stream
   */
  void synchronize(long stream);

  /**
   * Destroys a stream ({@code cuStreamDestroy_v2}).
   *
   * @param stream the stream
   */
  void destroyStream(long stream);

  /**
   * Creates an event ({@code cuEventCreate}).
   *
   * @return the event
   */
  long createEvent();

  /**
   * Records an event on a stream ({@code cuEventRecord}).
   *
   * @param event the event
   * @param stream the stream
   */
  void record(long event, long stream);

  /**
   * Waits until the work a recorded event marks has finished ({@code cuEventSynchronize}); an
   * event never recorded is already complete.
   *
   * @param event the event
   */
  void awaitEvent(long event);

  /**
   * Milliseconds between two recorded events, after waiting for the second
   * ({@code cuEventSynchronize}, {@code cuEventElapsedTime}).
   *
   * @param start the earlier event
   * @param end the later event
   * @return the elapsed time in milliseconds
   */
  float elapsedMillis(long start, long end);

  /**
   * Destroys an event ({@code cuEventDestroy_v2}).
   *
   * @param event the event
   */
  void destroyEvent(long event);
}
