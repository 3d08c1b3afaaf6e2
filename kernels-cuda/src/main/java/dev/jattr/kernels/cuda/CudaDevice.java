package dev.jattr.kernels.cuda;

import dev.jattr.kernels.cuda.driver.CudaDriver;
import dev.jattr.kernels.cuda.driver.CudaException;
import dev.jattr.kernels.cuda.driver.Dim3;
import dev.jattr.kernels.cuda.driver.KernelArgs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * One CUDA device as the backend uses it: its primary context, the PTX modules loaded on first
 * use, and a cache of device buffers by power-of-two size class, so that repeated calls of the
 * same shapes allocate no device memory. Calls are serialised ({@link #call}): each makes the
 * context current on the calling thread, uploads its operands, launches on the context's default
 * stream, and copies its outputs back.
 */
public final class CudaDevice {
  /** Threads per block of the one-dimensional kernels (see {@code jattr_kernels.h}). */
  static final int THREADS = 256;
  /** The most blocks a one-dimensional kernel is launched with; kernels loop over the rest. */
  static final int MAX_BLOCKS = 65535 * 8;
  private static final long MIN_CLASS = 256;
  /** Each half of the pinned memory that uploads pass through. */
  static final long STAGING_HALF = 16L << 20;

  private final CudaDriver driver;
  private final int ordinal;
  private final int device;
  private final long context;
  private final String name;
  private final Map<String, Long> modules = new HashMap<>();
  private final Map<String, Long> functions = new HashMap<>();
  private final Map<Long, ArrayDeque<Long>> freeBuffers = new HashMap<>();
  private final java.util.concurrent.ConcurrentLinkedQueue<Long> released =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final boolean resident;
  private final Map<MirrorKey, Mirror> mirrors = new HashMap<>();
  private final ReferenceQueue<Object> expired = new ReferenceQueue<>();
  private final long stagingHalf;
  /** The stream all work is queued on (created on first use; it synchronises with the legacy stream). */
  private long stream;
  /** The recording under way ({@link #record}), or null. */
  private Capture capture;
  private long replays;
  private final MemorySegment[] staging = new MemorySegment[2];
  private final long[] stagingDone = new long[2];
  private int stagingHalfInUse;
  private long stagingUsed;
  private long stagingWaits;
  private int hostPhases;
  private int devicePhases;
  private long cachedBytes;
  private long allocations;
  private long launches;
  private long bytesUp;
  private long bytesDown;

  /**
   * Opens device {@code ordinal} through {@code driver}.
   *
   * @param driver the driver
   * @param ordinal the device's ordinal
   */
  CudaDevice(CudaDriver driver, int ordinal) {
    this(driver, ordinal, STAGING_HALF);
  }

  /**
   * Opens device {@code ordinal} through {@code driver}, uploads passing through two halves of
   * {@code stagingHalf} bytes of pinned memory each.
   *
   * @param driver the driver
   * @param ordinal the device's ordinal
   * @param stagingHalf the bytes of each half of the upload staging memory
   */
  CudaDevice(CudaDriver driver, int ordinal, long stagingHalf) {
    this.stagingHalf = stagingHalf;
    this.driver = driver;
    this.ordinal = ordinal;
    this.device = driver.device(ordinal);
    this.name = driver.deviceName(device);
    this.context = driver.retainPrimaryContext(device);
    this.resident = !"false".equals(System.getProperty("jattr.cuda.resident"));
    if (Boolean.getBoolean("jattr.cuda.stats")) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("jattr cuda: " + stats())));
    }
  }

  /**
   * What the device has done so far, one line: kernel launches, bytes copied each way, device
   * allocations.
   *
   * @return the statistics
   */
  synchronized String stats() {
    return String.format(java.util.Locale.ROOT,
        "%s: %d kernel launches, %d graph replays, %.1f MB to the device, %.1f MB back, %d allocations", name, launches,
        replays, bytesUp / 1e6, bytesDown / 1e6, allocations);
  }

  /**
   * How many kernels were launched so far.
   *
   * @return the count
   */
  synchronized long launches() {
    return launches;
  }

  /**
   * The driver.
   *
   * @return the driver
   */
  CudaDriver driver() {
    return driver;
  }

  /**
   * The device's ordinal.
   *
   * @return the ordinal
   */
  int ordinal() {
    return ordinal;
  }

  /**
   * The device's name as the driver gives it.
   *
   * @return the name
   */
  String name() {
    return name;
  }

  /**
   * The driver's device handle.
   *
   * @return the handle
   */
  int handle() {
    return device;
  }

  /**
   * How many times device memory was allocated (not taken from the cache).
   *
   * @return the count
   */
  synchronized long allocations() {
    return allocations;
  }

  /**
   * Runs one backend call with the context current, and gives every buffer it took back to the
   * cache afterwards.
   *
   * @param body the call
   */
  synchronized void call(java.util.function.Consumer<Call> body) {
    driver.setCurrent(context);
    for (Long p = capture == null ? released.poll() : null; p != null; p = released.poll()) {
      driver.free(p); // (not while recording: a free waits for the device)
    }
    freeExpiredMirrors();
    Call c = new Call();
    try {
      body.accept(c);
      c.finish();
    } finally {
      c.release();
    }
  }

  /** Waits until the device has finished everything queued on its stream. */
  synchronized void await() {
    driver.setCurrent(context);
    driver.synchronize(stream());
  }

  /**
   * The stream the device's work is queued on, created on first use (the context must be
   * current).
   *
   * @return the stream
   */
  synchronized long stream() {
    if (stream == 0) {
      stream = driver.createStream();
    }
    return stream;
  }

  /**
   * Whether kernel outputs stay on the device until the host asks for them (the default; off with
   * {@code -Djattr.cuda.resident=false}, and during {@link #onHost} phases).
   *
   * @return whether device copies are kept now
   */
  boolean keepsCopies() {
    return resident; // final: no lock on the executor's per-op question
  }

  private boolean residentNow() {
    return resident && devicePhases > 0 && hostPhases == 0;
  }

  /**
   * Copies the device's newer copy of {@code array} to the host, if it has one.
   *
   * @param array a primitive array
   */
  synchronized void syncToHost(Object array) {
    Mirror m = mirrors.get(new MirrorKey(array, null));
    if (m != null && m.state == Mirror.DEVICE_NEWER) {
      driver.setCurrent(context);
      download(m, array);
    }
  }

  /** {@link #syncToHost} from inside a call, where the lock is held and the context current. */
  private void bringHome(Object array) {
    Mirror m = mirrors.get(new MirrorKey(array, null));
    if (m != null && m.state == Mirror.DEVICE_NEWER) {
      download(m, array);
    }
  }

  /**
   * Marks the device copy of {@code array}, if any, as stale.
   *
   * @param array a primitive array
   */
  synchronized void hostChanged(Object array) {
    Mirror m = mirrors.get(new MirrorKey(array, null));
    if (m != null) {
      m.state = Mirror.HOST_NEWER;
    }
  }

  /**
   * Runs a phase in which the host may read and write any array: brings every newer device copy
   * to the host first, copies operands at each call during the phase, and treats every device copy
   * as stale afterwards.
   *
   * @param phase the phase
   * @param <T> its result type
   * @return its result
   */
  <T> T onHost(java.util.function.Supplier<T> phase) {
    synchronized (this) {
      if (resident) {
        driver.setCurrent(context);
        for (Map.Entry<MirrorKey, Mirror> e : mirrors.entrySet()) {
          Object a = e.getKey().get();
          if (a != null && e.getValue().state == Mirror.DEVICE_NEWER) {
            download(e.getValue(), a);
          }
        }
      }
      hostPhases++;
    }
    try {
      return phase.get();
    } finally {
      synchronized (this) {
        hostPhases--;
        for (Mirror m : mirrors.values()) {
          m.state = Mirror.HOST_NEWER;
        }
      }
    }
  }

  /**
   * Runs {@code body}, an op that computes only through kernels, with its kernels' outputs left on
   * the device.
   *
   * @param body the computation
   * @param <T> its result type
   * @return its result
   */
  <T> T onDevice(java.util.function.Supplier<T> body) {
    synchronized (this) {
      devicePhases++;
    }
    try {
      return body.get();
    } finally {
      synchronized (this) {
        devicePhases--;
      }
    }
  }

  /**
   * Inside a device op, zeroes the device copy of {@code array} and marks it newer than the host's.
   *
   * @param array a float or double array
   * @return whether it did (false outside device ops, or for other arrays)
   */
  synchronized boolean zeroOnDevice(Object array) {
    if (!residentNow() || !(array instanceof float[] || array instanceof double[])) {
      return false;
    }
    driver.setCurrent(context);
    Mirror m = mirror(array);
    if (m.bytes > 0) {
      driver.zero(m.pointer, m.bytes, stream());
    }
    m.state = Mirror.DEVICE_NEWER;
    return true;
  }

  private void download(Mirror m, Object array) {
    long bytes = byteLength(array);
    if (bytes > 0) {
      bytesDown += bytes;
      driver.copyToHost(heap(array), m.pointer);
    }
    m.state = Mirror.SYNCED;
  }

  private static MemorySegment heap(Object array) {
    return switch (array) {
      case float[] f -> MemorySegment.ofArray(f);
      case double[] d -> MemorySegment.ofArray(d);
      case int[] i -> MemorySegment.ofArray(i);
      case long[] l -> MemorySegment.ofArray(l);
      default -> throw new IllegalArgumentException("no device copies of " + array.getClass().getSimpleName());
    };
  }

  private static long byteLength(Object array) {
    return heap(array).byteSize();
  }

  private Mirror mirror(Object array) {
    if (capture != null) {
      capture.arrays.put(array, Boolean.TRUE); // kept reachable: its device memory is the recording's
    }
    MirrorKey probe = new MirrorKey(array, null);
    Mirror m = mirrors.get(probe);
    if (m == null) {
      long bytes = byteLength(array);
      m = new Mirror(take(bytes), bytes);
      mirrors.put(new MirrorKey(array, expired), m);
    }
    return m;
  }

  private void freeExpiredMirrors() {
    for (java.lang.ref.Reference<?> r = expired.poll(); r != null; r = expired.poll()) {
      Mirror m = mirrors.remove((MirrorKey) r);
      if (m != null) {
        give(m.pointer, m.bytes);
      }
    }
  }

  /** A weak key comparing arrays by identity. */
  private static final class MirrorKey extends WeakReference<Object> {
    private final int hash;

    MirrorKey(Object array, ReferenceQueue<Object> queue) {
      super(array, queue);
      this.hash = System.identityHashCode(array);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (o == this) {
        return true;
      }
      Object a = get();
      return a != null && o instanceof MirrorKey k && k.get() == a;
    }
  }

  /** The device copy of a host array and which side is newer. */
  private static final class Mirror {
    static final int SYNCED = 0, DEVICE_NEWER = 1, HOST_NEWER = 2;
    final long pointer;
    final long bytes;
    int state = HOST_NEWER;

    Mirror(long pointer, long bytes) {
      this.pointer = pointer;
      this.bytes = bytes;
    }
  }

  /**
   * Frees an allocator's buffer at the next call (the allocator's segments are released on a
   * cleaner thread, where the context is not current).
   *
   * @param pointer the device pointer
   */
  /**
   * Copies {@code host} to {@code device} without waiting for the device: through pinned staging
   * memory and an asynchronous copy on the stream, ordered before the kernels launched after it.
   * A copy from pageable memory ({@code cuMemcpyHtoD}) would first wait for all the work queued
   * on the stream, a round trip per upload. The staging memory is two halves used in turn: an
   * upload takes the next bytes of the current half; a full half gets an event after its last
   * copy, and before a half is written again its event is awaited (copies queued a whole half
   * earlier, so the wait is rarely a wait). An upload larger than a half copies synchronously.
   */
  private void stage(long device, MemorySegment host) {
    long bytes = host.byteSize();
    if (capture != null) {
      capture.stage(device, host);
      return;
    }
    if (bytes > stagingHalf) {
      driver.copyToDevice(device, host);
      return;
    }
    long at = (stagingUsed + 15) & ~15L;
    if (staging[stagingHalfInUse] == null || at + bytes > stagingHalf) {
      if (staging[stagingHalfInUse] != null) {
        driver.record(stagingDone[stagingHalfInUse], stream()); // after this half's copies
        stagingHalfInUse ^= 1;
      }
      if (staging[stagingHalfInUse] == null) {
        staging[stagingHalfInUse] = driver.allocatePinned(stagingHalf);
        stagingDone[stagingHalfInUse] = driver.createEvent();
      } else {
        driver.awaitEvent(stagingDone[stagingHalfInUse]);
        stagingWaits++;
      }
      at = 0;
    }
    MemorySegment slot = staging[stagingHalfInUse].asSlice(at, bytes);
    slot.copyFrom(host);
    driver.copyToDeviceAsync(device, slot, stream());
    stagingUsed = at + bytes;
  }

  /**
   * How many times an upload found the staging half it was about to reuse in use (it then waited
   * for the copies from it to finish).
   *
   * @return the count
   */
  synchronized long stagingWaits() {
    return stagingWaits;
  }

  /**
   * Records the work {@code body} queues (a CUDA graph of the stream's capture) instead of
   * running it. Uploads meanwhile go through pinned memory of the recording's own, so that each
   * replay copies the same bytes; scratch buffers and the arrays whose device copies the work
   * touches stay the recording's until it is closed. Where {@code body} fails, or the capture
   * was invalidated by a call that waits for the device, nothing is recorded, the device copies
   * the capture touched count as stale, and the exception is thrown.
   *
   * @param body the work
   * @return the recording
   */
  synchronized Recording record(Runnable body) {
    if (capture != null) {
      throw new IllegalStateException("a recording is already under way");
    }
    driver.setCurrent(context);
    long s = stream();
    Capture c = new Capture();
    capture = c;
    long graph = 0;
    try {
      driver.beginCapture(s);
      RuntimeException failed = null;
      try {
        body.run();
      } catch (RuntimeException e) {
        failed = e;
      }
      try {
        graph = driver.endCapture(s);
      } catch (RuntimeException e) {
        if (failed == null) {
          failed = e;
        }
      }
      if (failed != null) {
        throw failed;
      }
      long exec = driver.instantiate(graph);
      return new Recording(graph, exec, c);
    } catch (RuntimeException | Error e) {
      if (graph != 0) {
        driver.destroyGraph(graph, 0);
      }
      for (Object a : c.arrays.keySet()) {
        Mirror m = mirrors.get(new MirrorKey(a, null));
        if (m != null) {
          m.state = Mirror.HOST_NEWER; // whatever the capture queued never ran
        }
      }
      c.free();
      throw e;
    } finally {
      capture = null;
    }
  }

  /**
   * Uploads {@code array}'s newer host elements to its device copy (made now if it has none), for
   * float and double arrays.
   *
   * @param array a primitive array
   */
  synchronized void toDevice(Object array) {
    if (!(array instanceof float[] || array instanceof double[])) {
      return;
    }
    driver.setCurrent(context);
    Mirror m = mirror(array);
    if (m.state == Mirror.HOST_NEWER) {
      uploadMirror(m, array);
    }
  }

  /** Sends the host's elements of {@code array} to its device copy, queued on the stream. */
  private void uploadMirror(Mirror m, Object array) {
    if (m.bytes > 0) {
      bytesUp += m.bytes;
      stage(m.pointer, heap(array));
    }
    m.state = Mirror.SYNCED;
  }

  /**
   * Uploads {@code source}'s elements into {@code target}'s device copy (made now if it has
   * none); {@code target}'s host elements are stale from then on.
   *
   * @param source a float or double array
   * @param target an array of the same type and length
   */
  synchronized void copyToDevice(Object source, Object target) {
    if (source.getClass() != target.getClass() || byteLength(source) != byteLength(target)) {
      throw new IllegalArgumentException("a " + source.getClass().getSimpleName() + " of " + byteLength(source)
          + " bytes into one of " + byteLength(target));
    }
    driver.setCurrent(context);
    Mirror m = mirror(target);
    if (m.bytes > 0) {
      bytesUp += m.bytes;
      stage(m.pointer, heap(source));
    }
    m.state = Mirror.DEVICE_NEWER;
  }

  /**
   * Marks the device copy of {@code array}, if any, as newer than the host's.
   *
   * @param array a primitive array
   */
  synchronized void deviceWrote(Object array) {
    Mirror m = mirrors.get(new MirrorKey(array, null));
    if (m != null) {
      m.state = Mirror.DEVICE_NEWER;
    }
  }

  /**
   * How many recordings were replayed so far.
   *
   * @return the count
   */
  synchronized long replays() {
    return replays;
  }

  /** What a recording under way collects: its staging memory, scratch buffers and arrays. */
  private final class Capture {
    private static final long BLOCK = 1L << 20;
    final List<MemorySegment> pinned = new ArrayList<>();
    final List<long[]> scratch = new ArrayList<>();
    final java.util.IdentityHashMap<Object, Boolean> arrays = new java.util.IdentityHashMap<>();
    private long used = BLOCK;

    /** Queues a copy of {@code host} from pinned memory that stays the recording's. */
    void stage(long device, MemorySegment host) {
      long bytes = host.byteSize();
      long at = (used + 15) & ~15L;
      MemorySegment block = pinned.isEmpty() ? null : pinned.getLast();
      if (block == null || at + bytes > block.byteSize()) {
        block = driver.allocatePinned(Math.max(BLOCK, bytes));
        pinned.add(block);
        at = 0;
      }
      MemorySegment slot = block.asSlice(at, bytes);
      slot.copyFrom(host);
      driver.copyToDeviceAsync(device, slot, stream);
      used = at + bytes;
    }

    /** Gives the scratch buffers back to the cache and frees the staging memory (the stream idle). */
    void free() {
      for (long[] t : scratch) {
        give(t[0], t[1]);
      }
      scratch.clear();
      for (MemorySegment p : pinned) {
        driver.freePinned(p);
      }
      pinned.clear();
      arrays.clear();
    }
  }

  /** A recorded run: a CUDA graph and what it holds. */
  final class Recording implements dev.jattr.kernels.DeviceRecording {
    private final long graph;
    private long exec;
    private final Capture held;

    private Recording(long graph, long exec, Capture held) {
      this.graph = graph;
      this.exec = exec;
      this.held = held;
    }

    @Override
    public void replay() {
      synchronized (CudaDevice.this) {
        if (exec == 0) {
          throw new IllegalStateException("this recording was closed");
        }
        driver.setCurrent(context);
        driver.launchGraph(exec, stream());
        replays++;
      }
    }

    @Override
    public void close() {
      synchronized (CudaDevice.this) {
        if (exec == 0) {
          return;
        }
        driver.setCurrent(context);
        driver.synchronize(stream()); // a replay may still read the staging memory
        driver.destroyGraph(graph, exec);
        exec = 0;
        held.free();
      }
    }
  }

  void freeLater(long pointer) {
    released.add(pointer);
  }

  private long take(long bytes) {
    long size = sizeClass(bytes);
    ArrayDeque<Long> q = freeBuffers.get(size);
    if (q != null && !q.isEmpty()) {
      cachedBytes -= size;
      return q.pop();
    }
    allocations++;
    try {
      return driver.allocate(size);
    } catch (CudaException e) {
      if (e.code() != CudaException.OUT_OF_MEMORY || cachedBytes == 0) {
        throw e;
      }
      trim();
      return driver.allocate(size);
    }
  }

  private void give(long pointer, long bytes) {
    long size = sizeClass(bytes);
    freeBuffers.computeIfAbsent(size, s -> new ArrayDeque<>()).push(pointer);
    cachedBytes += size;
  }

  /** Frees every cached buffer. */
  synchronized void trim() {
    driver.setCurrent(context);
    for (Map.Entry<Long, ArrayDeque<Long>> e : freeBuffers.entrySet()) {
      for (long p : e.getValue()) {
        driver.free(p);
      }
      e.getValue().clear();
    }
    cachedBytes = 0;
  }

  private static int elementBytes(Object array) {
    return switch (array) {
      case float[] f -> Float.BYTES;
      case double[] d -> Double.BYTES;
      default -> throw new IllegalArgumentException("kernel operands are float or double arrays, not "
          + array.getClass().getSimpleName());
    };
  }

  /**
   * The size class of a buffer: the next power of two, at least 256 bytes.
   *
   * @param bytes the size asked for
   * @return the size allocated
   */
  static long sizeClass(long bytes) {
    long b = Math.max(MIN_CLASS, bytes);
    return Long.highestOneBit(b - 1) << 1;
  }

  private long function(String module, String kernel) {
    String key = module + "/" + kernel;
    Long f = functions.get(key);
    if (f == null) {
      long m = modules.computeIfAbsent(module, n -> driver.loadModule(ptx(n)));
      f = driver.function(m, kernel);
      functions.put(key, f);
    }
    return f;
  }

  /**
   * The committed PTX of a module.
   *
   * @param module the module's name ({@code gemm}, {@code conv}, ...)
   * @return its PTX text
   */
  static String ptx(String module) {
    String path = "ptx/" + module + ".ptx";
    try (InputStream in = CudaDevice.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the CUDA kernels " + path + " are missing from the jattr-kernels-cuda jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The grid of a one-dimensional kernel over {@code n} elements.
   *
   * @param n the element count (at least 1)
   * @return the grid
   */
  static Dim3 grid1d(long n) {
    long blocks = (n + THREADS - 1) / THREADS;
    return Dim3.of((int) Math.min(blocks, MAX_BLOCKS));
  }

  /** The buffers and launches of one backend call. */
  final class Call {
    private final ArrayDeque<long[]> taken = new ArrayDeque<>();
    private final List<Runnable> after = new ArrayList<>();

    private Call() {}

    /**
     * The device address of an input: {@code length} elements of {@code array} from
     * {@code offset}. Where copies are kept, the array's device copy (uploaded whole when the host's
     * is newer); otherwise a fresh copy of the range.
     *
     * @param array a float or double array
     * @param offset the first element
     * @param length the element count
     * @return the device address of element {@code offset}
     */
    long in(Object array, int offset, int length) {
      int elem = elementBytes(array);
      if (!residentNow()) {
        bringHome(array);
        return upload(heap(array).asSlice((long) elem * offset, (long) elem * length));
      }
      Mirror m = mirror(array);
      if (m.state == Mirror.HOST_NEWER) {
        uploadMirror(m, array);
      }
      return m.pointer + (long) elem * offset;
    }

    /**
     * The device address of an output the kernel overwrites: {@code length} elements of
     * {@code array} from {@code offset}. The host array receives them after the launches, or,
     * where copies are kept, when the host asks for them.
     *
     * @param array a float or double array
     * @param offset the first element
     * @param length the element count
     * @return the device address of element {@code offset}
     */
    long out(Object array, int offset, int length) {
      int elem = elementBytes(array);
      if (!residentNow()) {
        if (offset != 0 || (long) length * elem != byteLength(array)) {
          bringHome(array); // the rest of the array keeps its host values
        }
        long p = scratch((long) elem * length);
        after.add(() -> {
          downloadRange(p, array, offset, length);
          hostChanged(array); // reentrant: the call holds the lock
        });
        return p;
      }
      Mirror m = mirror(array);
      boolean whole = offset == 0 && (long) length * elem == m.bytes;
      if (!whole && m.state == Mirror.HOST_NEWER) {
        uploadMirror(m, array);
      }
      after.add(() -> m.state = Mirror.DEVICE_NEWER);
      return m.pointer + (long) elem * offset;
    }

    /**
     * The device address of an output the kernel reads and adds to.
     *
     * @param array a float or double array
     * @param offset the first element
     * @param length the element count
     * @return the device address of element {@code offset}
     */
    long inOut(Object array, int offset, int length) {
      int elem = elementBytes(array);
      if (!residentNow()) {
        bringHome(array);
        long p = upload(heap(array).asSlice((long) elem * offset, (long) elem * length));
        after.add(() -> {
          downloadRange(p, array, offset, length);
          hostChanged(array); // reentrant: the call holds the lock
        });
        return p;
      }
      long p = in(array, offset, length);
      Mirror m = mirror(array);
      after.add(() -> m.state = Mirror.DEVICE_NEWER);
      return p;
    }

    private void downloadRange(long device, Object array, int offset, int length) {
      int elem = elementBytes(array);
      if (length > 0) {
        bytesDown += (long) elem * length;
        driver.copyToHost(heap(array).asSlice((long) elem * offset, (long) elem * length), device);
      }
    }

    private void finish() {
      for (Runnable r : after) {
        r.run();
      }
    }

    /**
     * A device buffer of {@code bytes}, uninitialised.
     *
     * @param bytes its size
     * @return its device address
     */
    long scratch(long bytes) {
      long p = take(bytes);
      taken.push(new long[] {p, bytes});
      return p;
    }

    /**
     * Uploads {@code length} floats from {@code a[offset]}.
     *
     * @return the device address
     */
    long upload(float[] a, int offset, int length) {
      return upload(MemorySegment.ofArray(a).asSlice(4L * offset, 4L * length));
    }

    /**
     * Uploads {@code length} ints from {@code a[0]}.
     *
     * @return the device address
     */
    long upload(int[] a, int length) {
      return upload(MemorySegment.ofArray(a).asSlice(0, 4L * length));
    }

    private long upload(MemorySegment host) {
      long p = scratch(host.byteSize());
      bytesUp += host.byteSize();
      if (host.byteSize() > 0) {
        stage(p, host);
      }
      return p;
    }

    /** Copies {@code length} ints from the device to {@code a[0]}. */
    void download(long device, int[] a, int length) {
      if (length > 0) {
        bytesDown += (long) length * Float.BYTES;
        driver.copyToHost(MemorySegment.ofArray(a).asSlice(0, 4L * length), device);
      }
    }

    /**
     * Launches a kernel of a module.
     *
     * @param module the PTX module
     * @param kernel the kernel's name
     * @param grid blocks
     * @param block threads per block
     * @param args its arguments
     */
    void launch(String module, String kernel, Dim3 grid, Dim3 block, KernelArgs args) {
      driver.launch(function(module, kernel), grid, block, 0, stream(), args);
      launches++;
    }

    /**
     * Launches a one-dimensional kernel over {@code n} elements; nothing when n is 0.
     *
     * @param module the PTX module
     * @param kernel the kernel's name
     * @param n the element count
     * @param args its arguments
     */
    void launch1d(String module, String kernel, long n, KernelArgs args) {
      if (n > 0) {
        launch(module, kernel, grid1d(n), Dim3.of(THREADS), args);
      }
    }

    /**
     * Launches a block-per-output kernel over {@code outputs} outputs; nothing when 0.
     *
     * @param module the PTX module
     * @param kernel the kernel's name
     * @param outputs the output count, one block each
     * @param args its arguments
     */
    void launchPerOutput(String module, String kernel, int outputs, KernelArgs args) {
      if (outputs > 0) {
        launch(module, kernel, Dim3.of(outputs), Dim3.of(THREADS), args);
      }
    }

    private void release() {
      while (!taken.isEmpty()) {
        long[] t = taken.pop();
        if (capture != null) {
          capture.scratch.add(t); // the recorded work reads and writes it at every replay
          continue;
        }
        give(t[0], t[1]);
      }
    }
  }
}
