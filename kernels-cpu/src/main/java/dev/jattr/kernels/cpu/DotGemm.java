package dev.jattr.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Package-private float matrix product for outputs with few columns (a 1×1 convolution over a
 * small feature map, a matrix times a handful of vectors): {@code C[m×n] (+)= op(A)·op(B)} as
 * dot products along k. Rows of op(A) and columns of op(B) are read contiguously (copied once
 * when they are strided), so nothing is packed and no vector lane is spent on padding columns, as
 * the panel kernel of {@link MatMul} would for n below its tile width. Register tiles of
 * {@value #TR} rows by five columns (twenty vector accumulators), then by {@value #TC} and by one,
 * are reduced across lanes once per output element after the k loop; every tile sums an output
 * alike, so its bits do not depend on which tile takes it. Measured on 5×5 planes (256×576×25,
 * 64×384×25), the five-column tile ran 10 to 25 % faster than three columns alone.
 */
final class DotGemm {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  /** Vector length in floats. */
  static final int L = SPECIES.length();
  /** Rows of the register tile. */
  private static final int TR = 4;
  /** Columns of the register tile. */
  private static final int TC = 3;

  private DotGemm() {}

  /**
   * Same contract as MatMul's strided single-threaded product: element (i, p) of op(A) is
   * {@code a[aOff + i*rsA + p*csA]}, element (p, j) of op(B) is {@code b[bOff + p*rsB + j*csB]},
   * element (i, j) of C is {@code c[cOff + i*rsC + j*csC]}; m, n ≥ 1 and k ≥ 1. Strides of C
   * let a caller compute a transposed product into C.
   */
  static void gemm(float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int rsB, int csB,
      float[] c, int cOff, int rsC, int csC, int m, int k, int n, boolean accumulate) {
    float[] ar = a;
    int arOff = aOff;
    int lda = rsA;
    if (csA != 1) {
      ar = Scratch.take(m * k);
      for (int i = 0; i < m; i++) {
        for (int p = 0; p < k; p++) {
          ar[i * k + p] = a[aOff + i * rsA + p * csA];
        }
      }
      arOff = 0;
      lda = k;
    }
    float[] bt = b;
    int btOff = bOff;
    int ldb = csB;
    if (rsB != 1) {
      bt = Scratch.take(n * k);
      transposeB(b, bOff, rsB, csB, k, n, bt);
      btOff = 0;
      ldb = k;
    }
    float[][] work = WORK.get();
    float[] out = work[0];
    // the accumulators are stored here and summed by Lanes.sums, outside the tile's large loop:
    // folded inside it, C2 left the folds' rearranges to the Vector API's Java fallback
    float[] lanes = work[1];
    for (int i = 0; i < m; i += TR) {
      int rows = Math.min(TR, m - i);
      int a0 = arOff + i * lda;
      // rows past the end repeat the last row; their results are dropped
      int a1 = arOff + Math.min(i + 1, m - 1) * lda;
      int a2 = arOff + Math.min(i + 2, m - 1) * lda;
      int a3 = arOff + Math.min(i + 3, m - 1) * lda;
      int j = 0;
      for (; j + 5 <= n; j += 5) {
        tile4x5(ar, a0, a1, a2, a3, bt, btOff + j * ldb, ldb, k, lanes, out);
        store(out, 5, rows, 5, c, cOff + i * rsC + j * csC, rsC, csC, accumulate);
      }
      for (; j + TC <= n; j += TC) {
        int b0 = btOff + j * ldb;
        tile4x3(ar, a0, a1, a2, a3, bt, b0, b0 + ldb, b0 + 2 * ldb, k, lanes, out);
        store(out, TC, rows, TC, c, cOff + i * rsC + j * csC, rsC, csC, accumulate);
      }
      for (; j < n; j++) {
        tile4x1(ar, a0, a1, a2, a3, bt, btOff + j * ldb, k, lanes, out);
        store(out, 1, rows, 1, c, cOff + i * rsC + j * csC, rsC, csC, accumulate);
      }
    }
    if (ar != a) {
      Scratch.give(ar);
    }
    if (bt != b) {
      Scratch.give(bt);
    }
  }

  /**
   * op(B)[k×n] into bt as its columns, one after another (bt[j·k + p] = op(B)(p, j)). Rows of
   * B with unit column stride (an unfolded input, [kRows × pixels]) go sixteen by sixteen through
   * {@link LaneTranspose}'s register transposes: element by element this copy took a tenth of a
   * batch-1 SqueezeNet forward pass, whose 5×5 planes' products all come here.
   */
  static void transposeB(float[] b, int bOff, int rsB, int csB, int k, int n, float[] bt) {
    int p0 = 0;
    if (csB == 1 && LaneTranspose.APPLIES) {
      int[][] idx = INDEX.get();
      if (idx[0].length < n) {
        idx[0] = new int[n];
      }
      int[] at = idx[0];
      int[] rows = idx[1];
      for (; p0 + 16 <= k; p0 += 16) {
        for (int j = 0; j < n; j++) {
          at[j] = j * k + p0;
        }
        int src = bOff + p0 * rsB;
        for (int j0 = 0; j0 < n; j0 += 16) {
          int cols = Math.min(16, n - j0);
          // whole rows of sixteen are read: the last rows' may reach past the array
          if (src + 15 * rsB + j0 + 16 <= b.length) {
            LaneTranspose.toLanes(b, src, rsB, j0, cols, at, bt, rows);
          } else {
            copyColumns(b, bOff, rsB, csB, k, bt, p0, p0 + 16, j0, j0 + cols);
          }
        }
      }
    }
    copyColumns(b, bOff, rsB, csB, k, bt, p0, k, 0, n);
  }

  /** Per thread, where each column's transposed rows go and the sixteen rows read (a leaf kernel). */
  private static final ThreadLocal<int[][]> INDEX =
      ThreadLocal.withInitial(() -> new int[][] {new int[3 * L], new int[16]});

  /** Rows [p0, p1) and columns [j0, j1) of op(B) into bt, element by element. */
  private static void copyColumns(float[] b, int bOff, int rsB, int csB, int k, float[] bt, int p0,
      int p1, int j0, int j1) {
    for (int p = p0; p < p1; p++) {
      int src = bOff + p * rsB;
      for (int j = j0; j < j1; j++) {
        bt[j * k + p] = b[src + j * csB];
      }
    }
  }

  /** Per thread, a tile's sums and its accumulators' lanes (a leaf kernel: never nested on a thread). */
  private static final ThreadLocal<float[][]> WORK =
      ThreadLocal.withInitial(() -> new float[][] {new float[TR * 5], new float[TR * 5 * L]});

  private static void store(float[] out, int stride, int rows, int cols, float[] c, int cIdx,
      int rsC, int csC, boolean accumulate) {
    for (int r = 0; r < rows; r++) {
      for (int q = 0; q < cols; q++) {
        float v = out[r * stride + q];
        int idx = cIdx + r * rsC + q * csC;
        c[idx] = accumulate ? c[idx] + v : v;
      }
    }
  }

  private static void tile4x3(float[] a, int a0, int a1, int a2, int a3, float[] b, int b0,
      int b1, int b2, int k, float[] lanes, float[] out) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = s00;
    FloatVector s02 = s00;
    FloatVector s10 = s00;
    FloatVector s11 = s00;
    FloatVector s12 = s00;
    FloatVector s20 = s00;
    FloatVector s21 = s00;
    FloatVector s22 = s00;
    FloatVector s30 = s00;
    FloatVector s31 = s00;
    FloatVector s32 = s00;
    int bound = SPECIES.loopBound(k);
    int p = 0;
    for (; p < bound; p += L) {
      FloatVector v0 = FloatVector.fromArray(SPECIES, b, b0 + p);
      FloatVector v1 = FloatVector.fromArray(SPECIES, b, b1 + p);
      FloatVector v2 = FloatVector.fromArray(SPECIES, b, b2 + p);
      FloatVector u = FloatVector.fromArray(SPECIES, a, a0 + p);
      s00 = u.fma(v0, s00);
      s01 = u.fma(v1, s01);
      s02 = u.fma(v2, s02);
      u = FloatVector.fromArray(SPECIES, a, a1 + p);
      s10 = u.fma(v0, s10);
      s11 = u.fma(v1, s11);
      s12 = u.fma(v2, s12);
      u = FloatVector.fromArray(SPECIES, a, a2 + p);
      s20 = u.fma(v0, s20);
      s21 = u.fma(v1, s21);
      s22 = u.fma(v2, s22);
      u = FloatVector.fromArray(SPECIES, a, a3 + p);
      s30 = u.fma(v0, s30);
      s31 = u.fma(v1, s31);
      s32 = u.fma(v2, s32);
    }
    s00.intoArray(lanes, 0 * L);
    s01.intoArray(lanes, 1 * L);
    s02.intoArray(lanes, 2 * L);
    s10.intoArray(lanes, 3 * L);
    s11.intoArray(lanes, 4 * L);
    s12.intoArray(lanes, 5 * L);
    s20.intoArray(lanes, 6 * L);
    s21.intoArray(lanes, 7 * L);
    s22.intoArray(lanes, 8 * L);
    s30.intoArray(lanes, 9 * L);
    s31.intoArray(lanes, 10 * L);
    s32.intoArray(lanes, 11 * L);
    Lanes.sums(lanes, 12, out);
    for (; p < k; p++) {
      float w0 = b[b0 + p];
      float w1 = b[b1 + p];
      float w2 = b[b2 + p];
      float x0 = a[a0 + p];
      float x1 = a[a1 + p];
      float x2 = a[a2 + p];
      float x3 = a[a3 + p];
      out[0] = Math.fma(x0, w0, out[0]);
      out[1] = Math.fma(x0, w1, out[1]);
      out[2] = Math.fma(x0, w2, out[2]);
      out[3] = Math.fma(x1, w0, out[3]);
      out[4] = Math.fma(x1, w1, out[4]);
      out[5] = Math.fma(x1, w2, out[5]);
      out[6] = Math.fma(x2, w0, out[6]);
      out[7] = Math.fma(x2, w1, out[7]);
      out[8] = Math.fma(x2, w2, out[8]);
      out[9] = Math.fma(x3, w0, out[9]);
      out[10] = Math.fma(x3, w1, out[10]);
      out[11] = Math.fma(x3, w2, out[11]);
    }
  }

  /**
   * Rows a0…a3 by five columns: twenty accumulators, seven loads per twenty fma (the 4×3 tile
   * takes seven per twelve), each output summed as {@link #tile4x3} sums it.
   */
  private static void tile4x5(float[] a, int a0, int a1, int a2, int a3, float[] b, int b0,
      int ldb, int k, float[] lanes, float[] out) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = s00;
    FloatVector s02 = s00;
    FloatVector s03 = s00;
    FloatVector s04 = s00;
    FloatVector s10 = s00;
    FloatVector s11 = s00;
    FloatVector s12 = s00;
    FloatVector s13 = s00;
    FloatVector s14 = s00;
    FloatVector s20 = s00;
    FloatVector s21 = s00;
    FloatVector s22 = s00;
    FloatVector s23 = s00;
    FloatVector s24 = s00;
    FloatVector s30 = s00;
    FloatVector s31 = s00;
    FloatVector s32 = s00;
    FloatVector s33 = s00;
    FloatVector s34 = s00;
    int b1 = b0 + ldb;
    int b2 = b1 + ldb;
    int b3 = b2 + ldb;
    int b4 = b3 + ldb;
    int bound = SPECIES.loopBound(k);
    int p = 0;
    for (; p < bound; p += L) {
      FloatVector v0 = FloatVector.fromArray(SPECIES, b, b0 + p);
      FloatVector v1 = FloatVector.fromArray(SPECIES, b, b1 + p);
      FloatVector v2 = FloatVector.fromArray(SPECIES, b, b2 + p);
      FloatVector v3 = FloatVector.fromArray(SPECIES, b, b3 + p);
      FloatVector v4 = FloatVector.fromArray(SPECIES, b, b4 + p);
      FloatVector u = FloatVector.fromArray(SPECIES, a, a0 + p);
      s00 = u.fma(v0, s00);
      s01 = u.fma(v1, s01);
      s02 = u.fma(v2, s02);
      s03 = u.fma(v3, s03);
      s04 = u.fma(v4, s04);
      u = FloatVector.fromArray(SPECIES, a, a1 + p);
      s10 = u.fma(v0, s10);
      s11 = u.fma(v1, s11);
      s12 = u.fma(v2, s12);
      s13 = u.fma(v3, s13);
      s14 = u.fma(v4, s14);
      u = FloatVector.fromArray(SPECIES, a, a2 + p);
      s20 = u.fma(v0, s20);
      s21 = u.fma(v1, s21);
      s22 = u.fma(v2, s22);
      s23 = u.fma(v3, s23);
      s24 = u.fma(v4, s24);
      u = FloatVector.fromArray(SPECIES, a, a3 + p);
      s30 = u.fma(v0, s30);
      s31 = u.fma(v1, s31);
      s32 = u.fma(v2, s32);
      s33 = u.fma(v3, s33);
      s34 = u.fma(v4, s34);
    }
    s00.intoArray(lanes, 0 * L);
    s01.intoArray(lanes, 1 * L);
    s02.intoArray(lanes, 2 * L);
    s03.intoArray(lanes, 3 * L);
    s04.intoArray(lanes, 4 * L);
    s10.intoArray(lanes, 5 * L);
    s11.intoArray(lanes, 6 * L);
    s12.intoArray(lanes, 7 * L);
    s13.intoArray(lanes, 8 * L);
    s14.intoArray(lanes, 9 * L);
    s20.intoArray(lanes, 10 * L);
    s21.intoArray(lanes, 11 * L);
    s22.intoArray(lanes, 12 * L);
    s23.intoArray(lanes, 13 * L);
    s24.intoArray(lanes, 14 * L);
    s30.intoArray(lanes, 15 * L);
    s31.intoArray(lanes, 16 * L);
    s32.intoArray(lanes, 17 * L);
    s33.intoArray(lanes, 18 * L);
    s34.intoArray(lanes, 19 * L);
    Lanes.sums(lanes, 20, out);
    for (; p < k; p++) {
      float w0 = b[b0 + p];
      float w1 = b[b1 + p];
      float w2 = b[b2 + p];
      float w3 = b[b3 + p];
      float w4 = b[b4 + p];
      float x0 = a[a0 + p];
      float x1 = a[a1 + p];
      float x2 = a[a2 + p];
      float x3 = a[a3 + p];
      out[0] = Math.fma(x0, w0, out[0]);
      out[1] = Math.fma(x0, w1, out[1]);
      out[2] = Math.fma(x0, w2, out[2]);
      out[3] = Math.fma(x0, w3, out[3]);
      out[4] = Math.fma(x0, w4, out[4]);
      out[5] = Math.fma(x1, w0, out[5]);
      out[6] = Math.fma(x1, w1, out[6]);
      out[7] = Math.fma(x1, w2, out[7]);
      out[8] = Math.fma(x1, w3, out[8]);
      out[9] = Math.fma(x1, w4, out[9]);
      out[10] = Math.fma(x2, w0, out[10]);
      out[11] = Math.fma(x2, w1, out[11]);
      out[12] = Math.fma(x2, w2, out[12]);
      out[13] = Math.fma(x2, w3, out[13]);
      out[14] = Math.fma(x2, w4, out[14]);
      out[15] = Math.fma(x3, w0, out[15]);
      out[16] = Math.fma(x3, w1, out[16]);
      out[17] = Math.fma(x3, w2, out[17]);
      out[18] = Math.fma(x3, w3, out[18]);
      out[19] = Math.fma(x3, w4, out[19]);
    }
  }

  private static void tile4x1(float[] a, int a0, int a1, int a2, int a3, float[] b, int b0, int k,
      float[] lanes, float[] out) {
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    int bound = SPECIES.loopBound(k);
    int p = 0;
    for (; p < bound; p += L) {
      FloatVector v = FloatVector.fromArray(SPECIES, b, b0 + p);
      s0 = FloatVector.fromArray(SPECIES, a, a0 + p).fma(v, s0);
      s1 = FloatVector.fromArray(SPECIES, a, a1 + p).fma(v, s1);
      s2 = FloatVector.fromArray(SPECIES, a, a2 + p).fma(v, s2);
      s3 = FloatVector.fromArray(SPECIES, a, a3 + p).fma(v, s3);
    }
    s0.intoArray(lanes, 0 * L);
    s1.intoArray(lanes, 1 * L);
    s2.intoArray(lanes, 2 * L);
    s3.intoArray(lanes, 3 * L);
    Lanes.sums(lanes, 4, out);
    for (; p < k; p++) {
      float w = b[b0 + p];
      out[0] = Math.fma(a[a0 + p], w, out[0]);
      out[1] = Math.fma(a[a1 + p], w, out[1]);
      out[2] = Math.fma(a[a2 + p], w, out[2]);
      out[3] = Math.fma(a[a3 + p], w, out[3]);
    }
  }
}
