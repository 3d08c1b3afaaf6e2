package dev.jattr.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jattr.kernels.cuda.driver.CudaDriver;
import dev.jattr.kernels.cuda.driver.CudaException;
import dev.jattr.kernels.cuda.driver.Dim3;
import dev.jattr.kernels.cuda.driver.KernelArgs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CUDA driver without a GPU: device memory is host memory at made-up addresses (an access
 * outside an allocation fails the test), every launch is recorded and checked against the
 * kernel's parameter list in the committed PTX, and a test may give a kernel a Java emulation so
 * that data flows from upload through "kernel" to download.
 */
final class FakeDriver implements CudaDriver {
  /** One recorded launch. */
  record Launch(String kernel, Dim3 grid, Dim3 block, List<KernelArgs.Arg> args) {
    long pointer(int i) {
      return ((KernelArgs.Pointer) args.get(i)).address();
    }

    int i32(int i) {
      return ((KernelArgs.Int) args.get(i)).value();
    }

    int[] struct(int i) {
      return ((KernelArgs.IntStruct) args.get(i)).fields();
    }
  }

  /** A Java stand-in for a kernel. */
  interface Emulation {
    void run(Launch launch, FakeDriver memory);
  }

  private final Arena arena = Arena.ofShared();
  private final TreeMap<Long, MemorySegment> blocks = new TreeMap<>();
  private final Map<Long, String> moduleNames = new HashMap<>();
  private final Map<Long, String> functionNames = new HashMap<>();
  private final Map<String, Emulation> emulations = new HashMap<>();
  final List<Launch> launches = new ArrayList<>();
  final List<String> modulesLoaded = new ArrayList<>();
  int allocations;
  int frees;
  int copiesToDevice;
  int asyncCopiesToDevice;
  int eventWaits;
  int zeroings;
  /** Asynchronous copies queued on the stream: done at the next launch, wait or synchronous copy, reading their source then. */
  private final List<Runnable> queued = new ArrayList<>();
  int copiesToHost;
  int devices = 1;
  private long next = 1L << 32;
  private long nextHandle = 1000;
  private String failing;
  private int failingCode;

  /** The work a capture under way has recorded instead of doing, or null. */
  private List<Runnable> capturing;
  private boolean invalidated;
  private final Map<Long, List<Runnable>> graphs = new HashMap<>();
  int graphLaunches;

  /** While capturing, records {@code work} for the graph and says so; otherwise false. */
  private boolean captured(Runnable work) {
    if (capturing == null) {
      return false;
    }
    capturing.add(work);
    return true;
  }

  /** A call that waits for the device invalidates a capture under way, and fails. */
  private void refuseWhileCapturing(String function) {
    if (capturing != null) {
      invalidated = true;
      throw new CudaException(function, 904, "CUDA_ERROR_STREAM_CAPTURE_IMPLICIT (operation would make the legacy "
          + "stream depend on a capturing blocking stream)");
    }
  }

  /** Copies to the device so far, synchronous and queued. */
  int uploads() {
    return copiesToDevice + asyncCopiesToDevice;
  }

  void emulate(String kernel, Emulation e) {
    emulations.put(kernel, e);
  }

  /** Makes the next call of {@code function} fail with {@code code}. */
  void failNext(String function, int code) {
    failing = function;
    failingCode = code;
  }

  private void maybeFail(String function) {
    if (function.equals(failing)) {
      failing = null;
      throw new CudaException(function, failingCode, failingCode == 2 ? "CUDA_ERROR_OUT_OF_MEMORY (out of memory)"
          : "CUDA_ERROR_ILLEGAL_ADDRESS (an illegal memory access was encountered)");
    }
  }

  MemorySegment at(long address, long bytes) {
    Map.Entry<Long, MemorySegment> e = blocks.floorEntry(address);
    if (e == null || address + bytes > e.getKey() + e.getValue().byteSize()) {
      fail("device access of " + bytes + " bytes at " + address + " outside every allocation");
    }
    return e.getValue().asSlice(address - e.getKey(), bytes);
  }

  float getFloat(long address, int i) {
    return at(address + 4L * i, 4).get(ValueLayout.JAVA_FLOAT, 0);
  }

  void setFloat(long address, int i, float v) {
    at(address + 4L * i, 4).set(ValueLayout.JAVA_FLOAT, 0, v);
  }

  @Override
  public int driverVersion() {
    return 13000;
  }

  @Override
  public int deviceCount() {
    return devices;
  }

  @Override
  public int device(int ordinal) {
    return ordinal;
  }

  @Override
  public String deviceName(int device) {
    return "Fake GPU";
  }

  @Override
  public int attribute(int attribute, int device) {
    return switch (attribute) {
      case 75 -> 9;
      case 76 -> 0;
      case 16 -> 132;
      case 13 -> 1_980_000;
      default -> 0;
    };
  }

  @Override
  public long totalMemory(int device) {
    return 1L << 34;
  }

  @Override
  public long retainPrimaryContext(int device) {
    return 77;
  }

  @Override
  public void setCurrent(long context) {
    assertEquals(77, context);
  }

  @Override
  public long freeMemory() {
    return 1L << 33;
  }

  @Override
  public long allocate(long bytes) {
    maybeFail("cuMemAlloc_v2");
    allocations++;
    long p = next;
    next += (bytes + 511) / 256 * 256;
    blocks.put(p, arena.allocate(bytes, 256));
    return p;
  }

  @Override
  public void free(long pointer) {
    frees++;
    if (blocks.remove(pointer) == null) {
      fail("free of " + pointer + ", not an allocation");
    }
  }

  @Override
  public MemorySegment allocatePinned(long bytes) {
    return arena.allocate(bytes);
  }

  @Override
  public void freePinned(MemorySegment memory) {}

  /** Runs the queued copies, as the stream would before the work that follows them. */
  private void drain() {
    List<Runnable> q = List.copyOf(queued);
    queued.clear();
    q.forEach(Runnable::run);
  }

  @Override
  public void copyToDevice(long device, MemorySegment host) {
    refuseWhileCapturing("cuMemcpyHtoD_v2");
    drain();
    copiesToDevice++;
    at(device, host.byteSize()).copyFrom(host);
  }

  @Override
  public void copyToHost(MemorySegment host, long device) {
    refuseWhileCapturing("cuMemcpyDtoH_v2");
    drain();
    copiesToHost++;
    host.copyFrom(at(device, host.byteSize()));
  }

  @Override
  public void copyToDeviceAsync(long device, MemorySegment pinned, long stream) {
    at(device, pinned.byteSize());
    asyncCopiesToDevice++;
    if (captured(() -> at(device, pinned.byteSize()).copyFrom(pinned))) {
      return;
    }
    queued.add(() -> at(device, pinned.byteSize()).copyFrom(pinned)); // reads the pinned bytes when it runs
  }

  @Override
  public void copyToHostAsync(MemorySegment pinned, long device, long stream) {
    copyToHost(pinned, device);
  }

  @Override
  public void copyOnDevice(long destination, long source, long bytes, long stream) {
    if (captured(() -> at(destination, bytes).copyFrom(at(source, bytes)))) {
      return;
    }
    drain();
    at(destination, bytes).copyFrom(at(source, bytes));
  }

  @Override
  public void zero(long pointer, long bytes, long stream) {
    at(pointer, bytes);
    if (captured(() -> {
      zeroings++;
      at(pointer, bytes).fill((byte) 0);
    })) {
      return;
    }
    drain();
    zeroings++;
    at(pointer, bytes).fill((byte) 0);
  }

  @Override
  public long loadModule(String ptx) {
    Matcher m = Pattern.compile("\\.entry\\s+(\\w+)").matcher(ptx);
    assertTrue(m.find(), "a PTX module without kernels");
    long h = nextHandle++;
    moduleNames.put(h, ptx);
    modulesLoaded.add(m.group(1));
    return h;
  }

  @Override
  public long function(long module, String name) {
    String ptx = moduleNames.get(module);
    if (!ptx.contains(".entry " + name + "(")) {
      throw new CudaException("cuModuleGetFunction", 500, "CUDA_ERROR_NOT_FOUND (named symbol not found)");
    }
    long h = nextHandle++;
    functionNames.put(h, name + "\n" + ptx);
    return h;
  }

  @Override
  public void launch(long function, Dim3 grid, Dim3 block, int sharedBytes, long stream, KernelArgs args) {
    maybeFail("cuLaunchKernel");
    drain();
    String[] nameAndPtx = functionNames.get(function).split("\n", 2);
    String name = nameAndPtx[0];
    PtxSignature.of(nameAndPtx[1], name).check(args.list());
    Launch l = new Launch(name, grid, block, args.list());
    for (KernelArgs.Arg a : args.list()) {
      if (a instanceof KernelArgs.Pointer p && p.address() != 0) {
        at(p.address(), 1);
      }
    }
    Runnable run = () -> {
      launches.add(l);
      Emulation e = emulations.get(name);
      if (e != null) {
        e.run(l, this);
      }
    };
    if (!captured(run)) {
      run.run();
    }
  }

  @Override
  public void beginCapture(long stream) {
    drain();
    capturing = new ArrayList<>();
    invalidated = false;
  }

  @Override
  public long endCapture(long stream) {
    List<Runnable> work = capturing;
    capturing = null;
    if (invalidated) {
      throw new CudaException("cuStreamEndCapture", 901, "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED (operation failed "
          + "due to a previous error during capture)");
    }
    long h = nextHandle++;
    graphs.put(h, work);
    return h;
  }

  @Override
  public long instantiate(long graph) {
    long h = nextHandle++;
    graphs.put(h, graphs.get(graph));
    return h;
  }

  @Override
  public void launchGraph(long exec, long stream) {
    drain();
    graphLaunches++;
    graphs.get(exec).forEach(Runnable::run);
  }

  @Override
  public void destroyGraph(long graph, long exec) {
    graphs.remove(graph);
    graphs.remove(exec);
  }

  @Override
  public long createStream() {
    return nextHandle++;
  }

  @Override
  public void synchronize(long stream) {
    refuseWhileCapturing("cuStreamSynchronize");
    drain();
  }

  @Override
  public void destroyStream(long stream) {}

  @Override
  public long createEvent() {
    return nextHandle++;
  }

  @Override
  public void record(long event, long stream) {}

  @Override
  public void awaitEvent(long event) {
    refuseWhileCapturing("cuEventSynchronize");
    drain();
    eventWaits++;
  }

  @Override
  public float elapsedMillis(long start, long end) {
    return 1f;
  }

  @Override
  public void destroyEvent(long event) {}
}
