package dev.jattr.kernels.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.WindowGeometry;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Once compiled, the hot kernels allocate nothing per call: scratch space is reused, and no
 * vector (or vector mask) is boxed. A boxed vector is an allocation per operation and runs the
 * Vector API's Java fallback, ten times slower; a mask made per row and passed between methods
 * was boxed on every row (57 MB per SqueezeNet forward at batch 50).
 *
 * <p>Each kernel runs in rounds until a round allocates less than {@link #BYTES_PER_CALL} per
 * call, counted over all threads (the kernel threads take part). Before the JIT compiles a kernel
 * it allocates (the interpreter boxes every vector), so a kernel fails only if no round within
 * {@link #DEADLINE_NANOS} gets there.
 */
class KernelAllocationTest {
  /** A few small objects per call (shape arrays, a task's lambda), nothing of a tensor's size. */
  private static final long BYTES_PER_CALL = 2048;
  private static final long DEADLINE_NANOS = 60_000_000_000L;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() - 0.5f;
    }
    return a;
  }

  private static void assertSettlesWithoutAllocating(String what, Runnable call) {
    assertSettlesWithoutAllocating(what, call, BYTES_PER_CALL);
  }

  /** As above, with a call allowed {@code bytesPerCall} of small objects. */
  private static void assertSettlesWithoutAllocating(String what, Runnable call, long bytesPerCall) {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    long perCall = Long.MAX_VALUE;
    while (System.nanoTime() < deadline) {
      int calls = 50;
      long before = THREADS.getTotalThreadAllocatedBytes();
      for (int i = 0; i < calls; i++) {
        call.run();
      }
      perCall = (THREADS.getTotalThreadAllocatedBytes() - before) / calls;
      if (perCall < bytesPerCall) {
        return;
      }
    }
    fail(what + " still allocates " + perCall + " bytes per call after "
        + DEADLINE_NANOS / 1_000_000_000L + " s of calls");
  }

  private static void conv(String what, int n, int c, int h, int m, int k, int stride, int pad,
      int group, Activation f) {
    conv(what, n, c, h, m, k, stride, pad, group, f, false);
  }

  private static void conv(String what, int n, int c, int h, int m, int k, int stride, int pad,
      int group, Activation f, boolean constantWeights) {
    int o = (h + 2 * pad - k) / stride + 1;
    float[] x = random(n * c * h * h, 1);
    float[] w = random(m * (c / group) * k * k, 2);
    if (constantWeights) {
      Constants.mark(w);
    }
    float[] b = random(m, 3);
    float[] y = new float[n * m * o * o];
    int[] xs = {n, c, h, h};
    int[] ws = {m, c / group, k, k};
    int[] ys = {n, m, o, o};
    WindowGeometry g = new WindowGeometry(new int[] {k, k}, new int[] {stride, stride},
        new int[] {pad, pad, pad, pad}, null);
    assertSettlesWithoutAllocating(what,
        () -> Conv.forward(x, xs, w, ws, b, g, group, f, 0f, 0f, y, ys));
  }

  @Test
  void denseConvolutions() {
    conv("3×3 convolution, one sample (rows unfolded with masked tails)", 1, 16, 23, 64, 3, 1, 1, 1,
        Activation.RELU);
    conv("3×3 convolution, stride 2 (rows unfolded from even lanes)", 1, 8, 47, 32, 3, 2, 0, 1,
        Activation.RELU);
    conv("stem: 3 channels, 3×3 stride 2 (direct over phase planes), two samples", 2, 3, 47, 32, 3, 2, 0, 1,
        Activation.RELU);
    conv("stem, one sample split by rows, hard-swish after", 1, 3, 48, 16, 3, 2, 1, 1, Activation.HARD_SWISH);
    conv("3×3 convolution over a batch of small planes", 4, 32, 11, 64, 3, 1, 1, 1, Activation.SILU);
    conv("3×3 convolution of one sample, constant weights (kept packed)", 1, 32, 11, 128, 3, 1, 1, 1,
        Activation.RELU, true);
    conv("1×1 convolution of single pixels, constant weights (kept in column panels)", 1, 144, 1, 576, 1, 1, 0,
        1, Activation.RELU, true);
    conv("3×3 convolution over a batch of small planes, constant weights", 4, 32,
        11, 128, 3, 1, 1, 1, Activation.RELU, true);
    conv("1×1 convolution over a batch of small planes, constant weights", 4, 32,
        11, 128, 1, 1, 0, 1, Activation.RELU, true);
    conv("3×3 convolution of one 5×5 plane (the transposed product, ReLU in its epilogue)", 1, 64,
        5, 256, 3, 1, 1, 1, Activation.RELU, true);
    conv("1×1 convolution of samples in parallel, each sample's planes read in order first", 4, 64,
        23, 16, 1, 1, 0, 1, Activation.RELU, true);
  }

  /** The stem pooled as it is computed: per sample over a batch, and by rows for one sample. */
  @Test
  void stemPooledAsItIsComputed() {
    for (int n : new int[] {4, 1}) {
      float[] x = random(n * 3 * 48 * 48, 1);
      float[] w = random(16 * 27, 2);
      float[] b = random(16, 3);
      float[] y = new float[n * 16 * 11 * 11];
      WindowGeometry g = new WindowGeometry(new int[] {3, 3}, new int[] {2, 2}, new int[] {0, 0, 0, 0}, null);
      // twice a plain call's allowance: the convolution's and the pooling's geometry, tap tables and row ranges
      assertSettlesWithoutAllocating("stem and 3×3 max pooling, " + n + " sample(s)",
          () -> Conv.forwardMaxPooled(x, new int[] {n, 3, 48, 48}, w, new int[] {16, 3, 3, 3}, b, g, 1, Activation.RELU,
              0f, 0f, new int[] {n, 16, 23, 23}, g, y, new int[] {n, 16, 11, 11}), 2 * BYTES_PER_CALL);
    }
  }

  @Test
  void depthwiseConvolutions() {
    conv("depthwise 5×5 on small planes (lanes across channels)", 2, 40, 6, 40, 5, 1, 2, 40,
        Activation.SILU);
    conv("depthwise 3×3 stride 2 (phase planes)", 1, 24, 48, 24, 3, 2, 1, 24, Activation.HARD_SWISH);
  }

  @Test
  void maxPooling() {
    float[] x = random(2 * 16 * 47 * 47, 4);
    float[] y = new float[2 * 16 * 23 * 23];
    WindowGeometry g = new WindowGeometry(new int[] {3, 3}, new int[] {2, 2},
        new int[] {0, 0, 0, 0}, null);
    assertSettlesWithoutAllocating("3×3 max pooling, stride 2",
        () -> Pool.maxForward(x, new int[] {2, 16, 47, 47}, g, y, new int[] {2, 16, 23, 23}, null));
    float[] small = random(4 * 40 * 11 * 11, 5);
    float[] pooled = new float[4 * 40 * 5 * 5];
    assertSettlesWithoutAllocating("3×3 max pooling of 11×11 planes (by rows, planes tested in groups)",
        () -> Pool.maxForward(small, new int[] {4, 40, 11, 11}, g, pooled, new int[] {4, 40, 5, 5}, null));
  }

  /** The panel kernel with depth over one block (its tile adds into C) and the dot kernel. */
  @Test
  void matrixProducts() {
    float[] a = random(96 * 300, 5);
    float[] b = random(300 * 200, 6);
    float[] c = new float[96 * 200];
    assertSettlesWithoutAllocating("panel product 96×300×200",
        () -> MatMul.multiply(a, 0, false, b, 0, false, c, 0, 96, 300, 200, false, false));
    float[] narrow = new float[96 * 25];
    assertSettlesWithoutAllocating("dot product 96×300×25",
        () -> MatMul.multiply(a, 0, false, b, 0, false, narrow, 0, 96, 300, 25, false, false));
  }
}
