package dev.jattr.kernels.cuda;

import dev.jattr.kernels.GemmKernels;
import dev.jattr.kernels.cuda.driver.Dim3;
import dev.jattr.kernels.cuda.driver.KernelArgs;

/**
 * Matrix products on the GPU: the 64×64-tiled kernel of {@code gemm.cu}, or with
 * {@code tf32} its tensor-core variant (inputs rounded to TF32, 10-bit mantissa; see
 * {@code docs/cuda.md} for its error). Float products with few outputs over a long k (a
 * classifier's last layer) take {@code gemm_dot_f32} instead, a half-warp per output summing in
 * sixteen lanes, as the CPU's dot kernel does: a running sum over a k of a thousand terms rounds
 * enough to show in attributions that are differences of nearly equal outputs.
 */
final class CudaGemm implements GemmKernels {
  /** Rows and columns of C one block computes. */
  static final int TILE = 64;

  private final CudaDevice dev;
  private final boolean tf32;

  CudaGemm(CudaDevice dev, boolean tf32) {
    this.dev = dev;
    this.tf32 = tf32;
  }

  /**
   * The launch grid of a product: one block per 64×64 tile of C, at most 65535 tile rows (the
   * kernels step over the rest).
   *
   * @param m rows of C
   * @param n columns of C
   * @return the grid
   */
  static Dim3 grid(int m, int n) {
    return new Dim3((n + TILE - 1) / TILE, Math.min((m + TILE - 1) / TILE, 65535), 1);
  }

  /** The block of the tiled kernels: 16×16 threads. */
  static final Dim3 BLOCK = new Dim3(16, 16, 1);

  private static KernelArgs args(long a, boolean transA, long b, boolean transB, long c, int m, int k, int n,
      boolean accumulate) {
    return new KernelArgs().pointer(a).flag(transA).pointer(b).flag(transB).pointer(c).i32(m).i32(k).i32(n)
        .flag(accumulate);
  }

  /** Threads per block of {@code gemm_dot_f32}, a half-warp per output. */
  static final int DOT_THREADS = 256;

  /**
   * Whether a float product takes {@code gemm_dot_f32}: k of at least 64 terms, and at most
   * 16,384 outputs (where sixteen threads an output still fill the GPU less than the tiles would).
   *
   * @param m rows of C
   * @param k inner dimension
   * @param n columns of C
   * @return whether it takes the lane-summing kernel
   */
  static boolean usesDot(int m, int k, int n) {
    return k >= 64 && (long) m * n <= 16_384;
  }

  /**
   * The grid of {@code gemm_dot_f32}: sixteen outputs per block, at most {@link CudaDevice#MAX_BLOCKS}.
   *
   * @param outputs elements of C
   * @return the grid
   */
  static Dim3 dotGrid(long outputs) {
    long blocks = (outputs * 16 + DOT_THREADS - 1) / DOT_THREADS;
    return Dim3.of((int) Math.min(blocks, CudaDevice.MAX_BLOCKS));
  }

  @Override
  public void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB, float[] c, int cOff,
      int m, int k, int n, boolean accumulate) {
    multiply(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n, accumulate,
        usesDot(m, k, n) ? "gemm_dot_f32" : tf32 ? "gemm_tf32" : "gemm_f32");
  }

  @Override
  public void multiply(double[] a, int aOff, boolean transA, double[] b, int bOff, boolean transB, double[] c,
      int cOff, int m, int k, int n, boolean accumulate) {
    multiply(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n, accumulate, "gemm_f64");
  }

  private void multiply(Object a, int aOff, boolean transA, Object b, int bOff, boolean transB, Object c, int cOff,
      int m, int k, int n, boolean accumulate, String kernel) {
    if (m == 0 || n == 0) {
      return;
    }
    dev.call(call -> {
      long da = call.in(a, aOff, m * k);
      long db = call.in(b, bOff, k * n);
      long dc = accumulate ? call.inOut(c, cOff, m * n) : call.out(c, cOff, m * n);
      if (kernel.equals("gemm_dot_f32")) {
        call.launch("gemm", kernel, dotGrid((long) m * n), Dim3.of(DOT_THREADS),
            args(da, transA, db, transB, dc, m, k, n, accumulate));
      } else {
        call.launch("gemm", kernel, grid(m, n), BLOCK, args(da, transA, db, transB, dc, m, k, n, accumulate));
      }
    });
  }

  @Override
  public void multiplyBatched(float[] a, int[] aOffsets, boolean transA, float[] b, int[] bOffsets, boolean transB,
      float[] c, int[] cOffsets, int m, int k, int n, boolean accumulate) {
    if (aOffsets.length != cOffsets.length || bOffsets.length != cOffsets.length) {
      GemmKernels.super.multiplyBatched(a, aOffsets, transA, b, bOffsets, transB, c, cOffsets, m, k, n, accumulate);
      return;
    }
    if (m == 0 || n == 0 || cOffsets.length == 0) {
      return;
    }
    dev.call(call -> {
      long da = call.in(a, 0, a.length);
      long db = call.in(b, 0, b.length);
      long dc = call.inOut(c, 0, c.length);
      String kernel = tf32 ? "gemm_tf32" : "gemm_f32";
      for (int i = 0; i < cOffsets.length; i++) {
        call.launch("gemm", kernel, grid(m, n), BLOCK, args(da + 4L * aOffsets[i], transA, db + 4L * bOffsets[i],
            transB, dc + 4L * cOffsets[i], m, k, n, accumulate));
      }
    });
  }
}
