package dev.jattr.kernels.cpu;

import java.util.Arrays;

/**
 * General matrix product {@code C[m×n] (+)= op(A)·op(B)} on row-major arrays.
 *
 * <p>The float version runs {@link PackedGemm} (packed panels, a register-tiled micro-kernel of
 * four rows by three vectors of columns using {@code fma}) or, for narrow outputs, {@link DotGemm};
 * large products are split into
 * independent row or column blocks executed on the kernels' threads ({@code Par}).
 * Each output element is always summed over k in ascending order, so results do not depend on
 * the thread count. The double version is a plain scalar reference with the same semantics.
 *
 * <p>All methods are stateless and thread-safe as long as concurrent calls do not write the
 * same output array region.
 */
public final class MatMul {
  private static final int MR = PackedGemm.MR;
  /**
   * Rows below which a product whose rows fit the dot-product kernel takes it, transposed: four,
   * the panel kernel's former tile height (the routing, and so the bits, kept when the tile grew).
   */
  private static final int FEW_ROWS = 4;
  private static final int NR = PackedGemm.NR;
  /**
   * Multiply-adds above which a product is split over threads, and the least work per task.
   * Measured on 2 cores: 1×1-convolution-sized products (24·24·784, 48·48·196, 96·96·49 and up
   * to 1.8 million multiply-adds) ran 1.1 to 2.5 times faster on one thread than split in tasks
   * of 2<sup>16</sup>. Tasks of 2<sup>18</sup> (rather than 2<sup>20</sup>, since the kernel
   * threads spin between calls) made EfficientNet-B0 and MobileNetV3-Small 2–6 % faster at
   * batch 1 in interleaved runs, SqueezeNet and ShuffleNet as fast, and batch 50 as fast.
   */
  static final long PARALLEL_WORK = 1L << 18;

  private MatMul() {}

  /**
   * C[m×n] (+)= op(A)·op(B); op(A) is m×k (A stored as k×m when transA), op(B) is k×n (B stored
   * n×k when transB). Offsets let callers run batched products. When accumulate is false C is
   * overwritten.
   *
   * @param a left operand storage
   * @param aOff offset of A's first element
   * @param transA whether A is stored transposed (k×m)
   * @param b right operand storage
   * @param bOff offset of B's first element
   * @param transB whether B is stored transposed (n×k)
   * @param c output storage (row stride n)
   * @param cOff offset of C's first element
   * @param m rows of C
   * @param k inner dimension
   * @param n columns of C
   * @param accumulate add into C instead of overwriting it
   */
  public static void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff,
      boolean transB, float[] c, int cOff, int m, int k, int n, boolean accumulate) {
    multiply(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n, accumulate, true);
  }

  /**
   * Same as the float overload above, with control over multi-threading: callers that already
   * run in parallel, or that measure one thread, pass {@code false}.
   *
   * @param a left operand storage
   * @param aOff offset of A's first element
   * @param transA whether A is stored transposed (k×m)
   * @param b right operand storage
   * @param bOff offset of B's first element
   * @param transB whether B is stored transposed (n×k)
   * @param c output storage (row stride n)
   * @param cOff offset of C's first element
   * @param m rows of C
   * @param k inner dimension
   * @param n columns of C
   * @param accumulate add into C instead of overwriting it
   * @param allowParallel whether a large product may be split over the common pool
   */
  public static void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff,
      boolean transB, float[] c, int cOff, int m, int k, int n, boolean accumulate,
      boolean allowParallel) {
    check(a.length, aOff, b.length, bOff, c.length, cOff, m, k, n);
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      if (!accumulate) {
        Arrays.fill(c, cOff, cOff + m * n, 0f);
      }
      return;
    }
    final int rsA = transA ? 1 : k;
    final int csA = transA ? m : 1;
    final int rsB = transB ? 1 : n;
    final int csB = transB ? k : 1;
    long work = (long) m * k * n;
    int threads = Par.threads();
    if (!allowParallel || threads < 2 || work < PARALLEL_WORK) {
      gemm(a, aOff, rsA, csA, b, bOff, rsB, csB, c, cOff, n, m, k, n, accumulate);
      return;
    }
    Split split = Split.of(m, n, work, threads);
    if (split == null) {
      gemm(a, aOff, rsA, csA, b, bOff, rsB, csB, c, cOff, n, m, k, n, accumulate);
      return;
    }
    boolean byRows = split.byRows();
    int perTask = split.perTask();
    // split by columns, every task would pack all of A for the panel kernel: pack it once here
    float[] packed = !byRows && usesPanels(m, k, Math.min(n, perTask * NR))
        ? Scratch.take(PackedGemm.packedSize(m, k)) : null;
    if (packed != null) {
      PackedGemm.packAll(a, aOff, rsA, csA, m, k, packed);
    }
    // split by rows, every task of the dot kernel would copy op(B) into columns: copy it once here
    float[] columns = byRows && usesDot(k, n) && rsB != 1 ? Scratch.take(n * k) : null;
    if (columns != null) {
      DotGemm.transposeB(b, bOff, rsB, csB, k, n, columns);
    }
    Par.forEach(split.tasks(), t -> {
      if (byRows) {
        int i0 = t * perTask * MR;
        int i1 = Math.min(m, i0 + perTask * MR);
        if (columns != null) {
          gemm(a, aOff + i0 * rsA, rsA, csA, columns, 0, 1, k, c, cOff + i0 * n, n, i1 - i0, k, n,
              accumulate);
        } else {
          gemm(a, aOff + i0 * rsA, rsA, csA, b, bOff, rsB, csB, c, cOff + i0 * n, n,
              i1 - i0, k, n, accumulate);
        }
      } else {
        int j0 = t * perTask * NR;
        int j1 = Math.min(n, j0 + perTask * NR);
        if (packed != null) {
          PackedGemm.gemmPacked(packed, m, 0, k, b, bOff + j0 * csB, rsB, csB, c, cOff + j0, n,
              m, j1 - j0, accumulate);
        } else {
          gemm(a, aOff, rsA, csA, b, bOff + j0 * csB, rsB, csB, c, cOff + j0, n,
              m, k, j1 - j0, accumulate);
        }
      }
    });
    if (packed != null) {
      Scratch.give(packed);
    }
    if (columns != null) {
      Scratch.give(columns);
    }
  }

  /**
   * How a product of m rows and n columns is split over threads: by bands of MR-row panels or by
   * blocks of NR-column panels (whichever has more), {@code perTask} panels to each of
   * {@code tasks} tasks.
   */
  private record Split(boolean byRows, int perTask, int tasks) {
    /** The split of a product of {@code work} multiply-adds, or null when it runs on one thread. */
    static Split of(int m, int n, long work, int threads) {
      int rowUnits = (m + MR - 1) / MR;
      int colUnits = (n + NR - 1) / NR;
      boolean byRows = rowUnits >= colUnits;
      int units = byRows ? rowUnits : colUnits;
      int tasks = (int) Math.min(Math.min(units, 4L * threads), Math.max(1L, work / PARALLEL_WORK));
      if (tasks < 2) {
        return null;
      }
      int perTask = (units + tasks - 1) / tasks;
      return new Split(byRows, perTask, (units + perTask - 1) / perTask);
    }
  }

  /**
   * C[m×n] (+)= A·B[k×n] (B and C row-major at their offsets, rows n apart) with A[m×k] packed
   * whole by {@link PackedGemm#packAll} (a convolution's weights, packed once for their
   * lifetime): the panel kernel, split over threads as {@link #multiply} splits when
   * {@code allowParallel} and the product is large. The same bits as {@link #multiply} gives
   * wherever that takes the panel kernel ({@link #usesPanels}).
   */
  static void multiplyPacked(float[] ap, int m, int k, float[] b, int bOff, float[] c, int cOff,
      int n, boolean accumulate, boolean allowParallel) {
    multiplyPacked(ap, m, k, b, bOff, c, cOff, n, accumulate, allowParallel, null, 0, false);
  }

  /**
   * {@link #multiplyPacked(float[], int, int, float[], int, float[], int, int, boolean, boolean)}
   * with {@link PackedGemm}'s epilogue: row i of C starts from {@code bias[biasOff + i]} (bias
   * non-null, accumulate false) and ends with a ReLU ({@code relu}), as the tiles are stored.
   */
  static void multiplyPacked(float[] ap, int m, int k, float[] b, int bOff, float[] c, int cOff,
      int n, boolean accumulate, boolean allowParallel, float[] bias, int biasOff, boolean relu) {
    long work = (long) m * k * n;
    Split split = allowParallel && Par.threads() >= 2 && work >= PARALLEL_WORK
        ? Split.of(m, n, work, Par.threads()) : null;
    if (split == null) {
      PackedGemm.gemmPacked(ap, m, 0, k, b, bOff, n, 1, c, cOff, n, m, n, accumulate, bias,
          biasOff, relu);
      return;
    }
    int perTask = split.perTask();
    Par.forEach(split.tasks(), t -> {
      if (split.byRows()) {
        int i0 = t * perTask * MR;
        int i1 = Math.min(m, i0 + perTask * MR);
        PackedGemm.gemmPacked(ap, m, i0, k, b, bOff, n, 1, c, cOff + i0 * n, n, i1 - i0, n,
            accumulate, bias, biasOff + i0, relu);
      } else {
        int j0 = t * perTask * NR;
        int j1 = Math.min(n, j0 + perTask * NR);
        PackedGemm.gemmPacked(ap, m, 0, k, b, bOff + j0, n, 1, c, cOff + j0, n, m, j1 - j0,
            accumulate, bias, biasOff, relu);
      }
    });
  }

  /**
   * Whether a single-threaded product of m rows, depth k and n columns takes the packed panel
   * kernel (see {@link #gemm}), whose A a caller may then pack once for many products.
   */
  static boolean usesPanels(int m, int k, int n) {
    return !usesDot(k, n) && !(m < FEW_ROWS && usesDot(k, m));
  }

  private static void check(int aLen, int aOff, int bLen, int bOff, int cLen, int cOff,
      int m, int k, int n) {
    if (m < 0 || k < 0 || n < 0) {
      throw new IllegalArgumentException("negative dimension m=" + m + " k=" + k + " n=" + n);
    }
    if (aOff < 0 || (long) aOff + (long) m * k > aLen) {
      throw new IllegalArgumentException("A too short: offset " + aOff + " + " + m + "x" + k
          + " > " + aLen);
    }
    if (bOff < 0 || (long) bOff + (long) k * n > bLen) {
      throw new IllegalArgumentException("B too short: offset " + bOff + " + " + k + "x" + n
          + " > " + bLen);
    }
    if (cOff < 0 || (long) cOff + (long) m * n > cLen) {
      throw new IllegalArgumentException("C too short: offset " + cOff + " + " + m + "x" + n
          + " > " + cLen);
    }
  }

  /**
   * Single-threaded product on strided operands: element (i, p) of op(A) is
   * {@code a[aOff + i*rsA + p*csA]}, element (p, j) of op(B) is {@code b[bOff + p*rsB + j*csB]}
   * and element (i, j) of C is {@code c[cOff + i*ldc + j]}. Outputs narrower than the panel
   * kernel's tile take {@link DotGemm}; so do outputs with few rows, as the transposed product
   * C<sup>T</sup> = op(B)<sup>T</sup>·op(A)<sup>T</sup>. The others take the packed panel kernel.
   */
  private static void gemm(float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int rsB,
      int csB, float[] c, int cOff, int ldc, int m, int k, int n, boolean accumulate) {
    if (usesDot(k, n)) {
      DotGemm.gemm(a, aOff, rsA, csA, b, bOff, rsB, csB, c, cOff, ldc, 1, m, k, n, accumulate);
    } else if (m < FEW_ROWS && usesDot(k, m)) {
      DotGemm.gemm(b, bOff, csB, rsB, a, aOff, csA, rsA, c, cOff, 1, ldc, n, k, m, accumulate);
    } else {
      PackedGemm.gemm(a, aOff, rsA, csA, b, bOff, rsB, csB, c, cOff, ldc, m, k, n, accumulate);
    }
  }

  /**
   * Whether a product of depth k and n output columns takes {@link DotGemm}. Measured with 512-bit
   * vectors (against the panel kernel's former two-vector tile): it is 4 to 40 times faster for
   * up to one vector of columns (the panel kernel pads each row of C to a whole tile and packs all
   * of A for it), and as fast or faster below three vectors of columns when k is deep enough for
   * the lane reductions to pay off.
   */
  static boolean usesDot(int k, int n) {
    int l = DotGemm.L;
    return k >= l && (n <= l || (n < 3 * l && k >= 4 * l));
  }

  /**
   * Double-precision scalar reference with the semantics of the float overload: C[m×n] (+)=
   * op(A)·op(B), each element summed over k in ascending order.
   *
   * @param a left operand storage
   * @param aOff offset of A's first element
   * @param transA whether A is stored transposed (k×m)
   * @param b right operand storage
   * @param bOff offset of B's first element
   * @param transB whether B is stored transposed (n×k)
   * @param c output storage (row stride n)
   * @param cOff offset of C's first element
   * @param m rows of C
   * @param k inner dimension
   * @param n columns of C
   * @param accumulate add into C instead of overwriting it
   */
  public static void multiply(double[] a, int aOff, boolean transA, double[] b, int bOff,
      boolean transB, double[] c, int cOff, int m, int k, int n, boolean accumulate) {
    check(a.length, aOff, b.length, bOff, c.length, cOff, m, k, n);
    int rsA = transA ? 1 : k;
    int csA = transA ? m : 1;
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * n;
      int ai = aOff + i * rsA;
      if (transB) {
        for (int j = 0; j < n; j++) {
          int bj = bOff + j * k;
          double s = accumulate ? c[ci + j] : 0.0;
          for (int p = 0; p < k; p++) {
            s += a[ai + p * csA] * b[bj + p];
          }
          c[ci + j] = s;
        }
      } else {
        if (!accumulate) {
          Arrays.fill(c, ci, ci + n, 0.0);
        }
        for (int p = 0; p < k; p++) {
          double aip = a[ai + p * csA];
          int bp = bOff + p * n;
          for (int j = 0; j < n; j++) {
            c[ci + j] += aip * b[bp + j];
          }
        }
      }
    }
  }
}
