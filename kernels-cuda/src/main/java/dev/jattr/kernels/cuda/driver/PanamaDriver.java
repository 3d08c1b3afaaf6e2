package dev.jattr.kernels.cuda.driver;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link CudaDriver} over {@code libcuda} with {@code java.lang.foreign}: each function is bound
 * once by its exported name (the {@code _v2} variants where {@code cuda.h} maps to them), and
 * every call goes through {@link #check}, which turns a {@code CUresult} other than
 * {@code CUDA_SUCCESS} into a {@link CudaException} with the function's name and the driver's
 * {@code cuGetErrorName}/{@code cuGetErrorString} text. Synchronous copies pass Java arrays to the
 * driver without an intermediate buffer (critical downcalls with heap access).
 */
public final class PanamaDriver implements CudaDriver {
  private static final int JIT_INFO_LOG_BUFFER = 3;
  private static final int JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4;
  private static final int JIT_ERROR_LOG_BUFFER = 5;
  private static final int JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
  private static final int JIT_LOG_BYTES = 16 * 1024;

  private final Linker linker = Linker.nativeLinker();
  private final SymbolLookup lib;
  private final Map<String, MethodHandle> handles = new HashMap<>();
  private volatile MethodHandle launchHandle;

  private PanamaDriver(SymbolLookup lib) {
    this.lib = lib;
  }

  /**
   * Loads {@code libcuda} (see {@link LibCuda#find}) and initialises the driver ({@code cuInit}).
   *
   * @return the driver
   * @throws CudaUnavailableException when the library is absent or {@code cuInit} fails; the
   *     message says why in one line
   */
  public static PanamaDriver load() {
    SymbolLookup lib = LibCuda.find();
    PanamaDriver d = new PanamaDriver(lib);
    try {
      d.check("cuInit", d.call("cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT), 0));
    } catch (CudaException e) {
      throw new CudaUnavailableException("the CUDA driver did not initialise: " + e.getMessage());
    }
    return d;
  }

  private MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
    return handles.computeIfAbsent(name, n -> linker.downcallHandle(
        lib.find(n).orElseThrow(() -> new CudaUnavailableException(
            "the CUDA driver library has no function " + n + " (driver too old?)")),
        fd, options));
  }

  private int call(String name, FunctionDescriptor fd, Object... args) {
    return invoke(handle(name, fd), name, args);
  }

  private static int invoke(MethodHandle h, String name, Object... args) {
    try {
      return (int) h.invokeWithArguments(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(name + " failed: " + t, t);
    }
  }

  /**
   * Throws when {@code rc} is not {@code CUDA_SUCCESS}.
   *
   * @param function the driver function that returned it
   * @param rc its {@code CUresult}
   */
  void check(String function, int rc) {
    if (rc != 0) {
      throw new CudaException(function, rc, CudaErrors.describe(rc, this::errorName, this::errorString));
    }
  }

  private String errorName(int rc) {
    return errorText("cuGetErrorName", rc);
  }

  private String errorString(int rc) {
    return errorText("cuGetErrorString", rc);
  }

  private String errorText(String fn, int rc) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment p = a.allocate(ADDRESS);
      int r = call(fn, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), rc, p);
      MemorySegment s = p.get(ADDRESS, 0);
      if (r != 0 || s.equals(MemorySegment.NULL)) {
        return null;
      }
      return s.reinterpret(4096).getString(0, StandardCharsets.UTF_8);
    }
  }

  private int outInt(String fn, FunctionDescriptor fd, Object... rest) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(JAVA_INT);
      check(fn, call(fn, fd, prepend(out, rest)));
      return out.get(JAVA_INT, 0);
    }
  }

  private long outLong(String fn, FunctionDescriptor fd, Object... rest) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(JAVA_LONG);
      check(fn, call(fn, fd, prepend(out, rest)));
      return out.get(JAVA_LONG, 0);
    }
  }

  private long outHandle(String fn, FunctionDescriptor fd, Object... rest) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(ADDRESS);
      check(fn, call(fn, fd, prepend(out, rest)));
      return out.get(ADDRESS, 0).address();
    }
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private static MemorySegment ptr(long address) {
    return MemorySegment.ofAddress(address);
  }

  @Override
  public int driverVersion() {
    return outInt("cuDriverGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  }

  @Override
  public int deviceCount() {
    return outInt("cuDeviceGetCount", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  }

  @Override
  public int device(int ordinal) {
    return outInt("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), ordinal);
  }

  @Override
  public String deviceName(int device) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment buf = a.allocate(256);
      check("cuDeviceGetName", call("cuDeviceGetName",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), buf, 256, device));
      return buf.getString(0, StandardCharsets.UTF_8);
    }
  }

  @Override
  public int attribute(int attribute, int device) {
    return outInt("cuDeviceGetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
        attribute, device);
  }

  @Override
  public long totalMemory(int device) {
    return outLong("cuDeviceTotalMem_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), device);
  }

  @Override
  public long retainPrimaryContext(int device) {
    return outHandle("cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), device);
  }

  @Override
  public void setCurrent(long context) {
    check("cuCtxSetCurrent", call("cuCtxSetCurrent", FunctionDescriptor.of(JAVA_INT, ADDRESS), ptr(context)));
  }

  @Override
  public long freeMemory() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment free = a.allocate(JAVA_LONG);
      MemorySegment total = a.allocate(JAVA_LONG);
      check("cuMemGetInfo_v2", call("cuMemGetInfo_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS),
          free, total));
      return free.get(JAVA_LONG, 0);
    }
  }

  @Override
  public long allocate(long bytes) {
    return outLong("cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), Math.max(bytes, 1));
  }

  @Override
  public void free(long pointer) {
    check("cuMemFree_v2", call("cuMemFree_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG), pointer));
  }

  @Override
  public MemorySegment allocatePinned(long bytes) {
    long p = outHandle("cuMemHostAlloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT),
        Math.max(bytes, 1), 0);
    return MemorySegment.ofAddress(p).reinterpret(bytes);
  }

  @Override
  public void freePinned(MemorySegment memory) {
    check("cuMemFreeHost", call("cuMemFreeHost", FunctionDescriptor.of(JAVA_INT, ADDRESS),
        MemorySegment.ofAddress(memory.address())));
  }

  @Override
  public void copyToDevice(long device, MemorySegment host) {
    MethodHandle h = handle("cuMemcpyHtoD_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG),
        Linker.Option.critical(true));
    check("cuMemcpyHtoD_v2", invoke(h, "cuMemcpyHtoD_v2", device, host, host.byteSize()));
  }

  @Override
  public void copyToHost(MemorySegment host, long device) {
    MethodHandle h = handle("cuMemcpyDtoH_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG),
        Linker.Option.critical(true));
    check("cuMemcpyDtoH_v2", invoke(h, "cuMemcpyDtoH_v2", host, device, host.byteSize()));
  }

  @Override
  public void copyToDeviceAsync(long device, MemorySegment pinned, long stream) {
    check("cuMemcpyHtoDAsync_v2", call("cuMemcpyHtoDAsync_v2",
        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS), device, pinned,
        pinned.byteSize(), ptr(stream)));
  }

  @Override
  public void copyToHostAsync(MemorySegment pinned, long device, long stream) {
    check("cuMemcpyDtoHAsync_v2", call("cuMemcpyDtoHAsync_v2",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS), pinned, device,
        pinned.byteSize(), ptr(stream)));
  }

  @Override
  public void copyOnDevice(long destination, long source, long bytes, long stream) {
    check("cuMemcpyDtoDAsync_v2", call("cuMemcpyDtoDAsync_v2",
        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS), destination, source, bytes,
        ptr(stream)));
  }

  @Override
  public void zero(long pointer, long bytes, long stream) {
    check("cuMemsetD8Async", call("cuMemsetD8Async",
        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS), pointer, 0, bytes, ptr(stream)));
  }

  @Override
  public long loadModule(String ptx) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(ADDRESS);
      MemorySegment image = a.allocateFrom(ptx);
      MemorySegment errorLog = a.allocate(JIT_LOG_BYTES);
      MemorySegment infoLog = a.allocate(JIT_LOG_BYTES);
      MemorySegment options = a.allocateFrom(JAVA_INT, JIT_ERROR_LOG_BUFFER, JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
          JIT_INFO_LOG_BUFFER, JIT_INFO_LOG_BUFFER_SIZE_BYTES);
      MemorySegment values = a.allocate(ADDRESS, 4);
      values.setAtIndex(ADDRESS, 0, errorLog);
      values.setAtIndex(ADDRESS, 1, MemorySegment.ofAddress(JIT_LOG_BYTES));
      values.setAtIndex(ADDRESS, 2, infoLog);
      values.setAtIndex(ADDRESS, 3, MemorySegment.ofAddress(JIT_LOG_BYTES));
      int rc = call("cuModuleLoadDataEx",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS), out, image, 4, options,
          values);
      if (rc != 0) {
        String log = errorLog.getString(0, StandardCharsets.UTF_8).strip();
        String base = CudaErrors.describe(rc, this::errorName, this::errorString);
        throw new CudaException("cuModuleLoadDataEx", rc, log.isEmpty() ? base : base + "; JIT log: " + log);
      }
      return out.get(ADDRESS, 0).address();
    }
  }

  @Override
  public long function(long module, String name) {
    try (Arena a = Arena.ofConfined()) {
      return outHandle("cuModuleGetFunction", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS),
          ptr(module), a.allocateFrom(name));
    }
  }

  @Override
  public void launch(long function, Dim3 grid, Dim3 block, int sharedBytes, long stream, KernelArgs args) {
    MethodHandle h = launchHandle;
    if (h == null) {
      h = handle("cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
          JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
      launchHandle = h;
    }
    try (Arena a = Arena.ofConfined()) {
      List<KernelArgs.Arg> list = args.list();
      MemorySegment params = a.allocate(ADDRESS, Math.max(1, list.size()));
      for (int i = 0; i < list.size(); i++) {
        params.setAtIndex(ADDRESS, i, lay(a, list.get(i)));
      }
      int rc;
      try {
        rc = (int) h.invokeExact(ptr(function), grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(),
            sharedBytes, ptr(stream), params, MemorySegment.NULL);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException("cuLaunchKernel failed: " + t, t);
      }
      check("cuLaunchKernel", rc);
    }
  }

  private static MemorySegment lay(Arena a, KernelArgs.Arg arg) {
    MemorySegment s = a.allocate(MemoryLayout.paddingLayout(Math.max(8, arg.byteSize())).withByteAlignment(8));
    switch (arg) {
      case KernelArgs.Pointer p -> s.set(JAVA_LONG, 0, p.address());
      case KernelArgs.Int i -> s.set(JAVA_INT, 0, i.value());
      case KernelArgs.Float32 f -> s.set(JAVA_FLOAT, 0, f.value());
      case KernelArgs.Float64 d -> s.set(JAVA_DOUBLE, 0, d.value());
      case KernelArgs.IntStruct st -> MemorySegment.copy(st.fields(), 0, s, JAVA_INT, 0, st.fields().length);
    }
    return s;
  }

  @Override
  public long createStream() {
    return outHandle("cuStreamCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), 0);
  }

  private static final int CAPTURE_MODE_RELAXED = 2;

  @Override
  public void beginCapture(long stream) {
    check("cuStreamBeginCapture_v2", call("cuStreamBeginCapture_v2",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), ptr(stream), CAPTURE_MODE_RELAXED));
  }

  @Override
  public long endCapture(long stream) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(ADDRESS);
      check("cuStreamEndCapture", call("cuStreamEndCapture", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS),
          ptr(stream), out));
      return out.get(ADDRESS, 0).address();
    }
  }

  @Override
  public long instantiate(long graph) {
    return outHandle("cuGraphInstantiateWithFlags", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG),
        ptr(graph), 0L);
  }

  @Override
  public void launchGraph(long exec, long stream) {
    check("cuGraphLaunch", call("cuGraphLaunch", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), ptr(exec),
        ptr(stream)));
  }

  @Override
  public void destroyGraph(long graph, long exec) {
    if (exec != 0) {
      check("cuGraphExecDestroy", call("cuGraphExecDestroy", FunctionDescriptor.of(JAVA_INT, ADDRESS), ptr(exec)));
    }
    if (graph != 0) {
      check("cuGraphDestroy", call("cuGraphDestroy", FunctionDescriptor.of(JAVA_INT, ADDRESS), ptr(graph)));
    }
  }

  @Override
  public void synchronize(long stream) {
    check("cuStreamSynchronize", call("cuStreamSynchronize", FunctionDescriptor.of(JAVA_INT, ADDRESS), ptr(stream)));
  }

  @Override
  public void destroyStream(long stream) {
    check("cuStreamDestroy_v2", call("cuStreamDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS), ptr(stream)));
  }

  @Override
  public long createEvent() {
    return outHandle("cuEventCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), 0);
  }

  @Override
  public void record(long event, long stream) {
    check("cuEventRecord", call("cuEventRecord", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), ptr(event),
        ptr(stream)));
  }

  @Override
  public void awaitEvent(long event) {
    check("cuEventSynchronize", call("cuEventSynchronize", FunctionDescriptor.of(JAVA_INT, ADDRESS), ptr(event)));
  }

  @Override
  public float elapsedMillis(long start, long end) {
    awaitEvent(end);
    String fn = lib.find("cuEventElapsedTime_v2").isPresent() ? "cuEventElapsedTime_v2" : "cuEventElapsedTime";
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(JAVA_FLOAT);
      check(fn, call(fn, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), out, ptr(start), ptr(end)));
      return out.get(JAVA_FLOAT, 0);
    }
  }

  @Override
  public void destroyEvent(long event) {
    check("cuEventDestroy_v2", call("cuEventDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS), ptr(event)));
  }
}
