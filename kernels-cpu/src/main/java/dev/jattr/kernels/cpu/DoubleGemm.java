package dev.jattr.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double-precision matrix product on the Vector API for the float64 convolution path:
 * C[m×n] (+)= op(A)·op(B). Transposed operands are first copied to row-major; the product runs
 * in cache blocks of {@link #KC} × {@link #NC} with a register tile of four rows by two vectors.
 * Package-private; {@link MatMul#multiply(double[], int, boolean, double[], int, boolean, double[],
 * int, int, int, int, boolean)} stays the scalar reference.
 */
final class DoubleGemm {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int KC = 256;
  private static final int NC = 512;

  private DoubleGemm() {}

  static void multiply(double[] a, int aOff, boolean transA, double[] b, int bOff, boolean transB,
      double[] c, int cOff, int m, int k, int n, boolean accumulate) {
    if (transA) {
      a = transpose(a, aOff, k, m);
      aOff = 0;
    }
    if (transB) {
      b = transpose(b, bOff, n, k);
      bOff = 0;
    }
    if (!accumulate) {
      java.util.Arrays.fill(c, cOff, cOff + m * n, 0.0);
    }
    for (int j0 = 0; j0 < n; j0 += NC) {
      int j1 = Math.min(n, j0 + NC);
      for (int p0 = 0; p0 < k; p0 += KC) {
        int p1 = Math.min(k, p0 + KC);
        int i = 0;
        for (; i + 4 <= m; i += 4) {
          rows4(a, aOff, b, bOff, c, cOff, i, k, n, j0, j1, p0, p1);
        }
        for (; i < m; i++) {
          row1(a, aOff, b, bOff, c, cOff, i, k, n, j0, j1, p0, p1);
        }
      }
    }
  }

  /** A row-major copy of the r×q matrix stored at {@code off}: the q×r transpose. */
  private static double[] transpose(double[] src, int off, int r, int q) {
    double[] t = new double[r * q];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < q; j++) {
        t[j * r + i] = src[off + i * q + j];
      }
    }
    return t;
  }

  private static void rows4(double[] a, int aOff, double[] b, int bOff, double[] c, int cOff,
      int i, int k, int n, int j0, int j1, int p0, int p1) {
    int a0 = aOff + i * k;
    int a1 = a0 + k;
    int a2 = a1 + k;
    int a3 = a2 + k;
    int c0 = cOff + i * n;
    int c1 = c0 + n;
    int c2 = c1 + n;
    int c3 = c2 + n;
    int j = j0;
    for (; j + 2 * L <= j1; j += 2 * L) {
      DoubleVector x0 = DoubleVector.fromArray(S, c, c0 + j);
      DoubleVector y0 = DoubleVector.fromArray(S, c, c0 + j + L);
      DoubleVector x1 = DoubleVector.fromArray(S, c, c1 + j);
      DoubleVector y1 = DoubleVector.fromArray(S, c, c1 + j + L);
      DoubleVector x2 = DoubleVector.fromArray(S, c, c2 + j);
      DoubleVector y2 = DoubleVector.fromArray(S, c, c2 + j + L);
      DoubleVector x3 = DoubleVector.fromArray(S, c, c3 + j);
      DoubleVector y3 = DoubleVector.fromArray(S, c, c3 + j + L);
      for (int p = p0; p < p1; p++) {
        int bp = bOff + p * n + j;
        DoubleVector bu = DoubleVector.fromArray(S, b, bp);
        DoubleVector bv = DoubleVector.fromArray(S, b, bp + L);
        DoubleVector s0 = DoubleVector.broadcast(S, a[a0 + p]);
        x0 = bu.fma(s0, x0);
        y0 = bv.fma(s0, y0);
        DoubleVector s1 = DoubleVector.broadcast(S, a[a1 + p]);
        x1 = bu.fma(s1, x1);
        y1 = bv.fma(s1, y1);
        DoubleVector s2 = DoubleVector.broadcast(S, a[a2 + p]);
        x2 = bu.fma(s2, x2);
        y2 = bv.fma(s2, y2);
        DoubleVector s3 = DoubleVector.broadcast(S, a[a3 + p]);
        x3 = bu.fma(s3, x3);
        y3 = bv.fma(s3, y3);
      }
      x0.intoArray(c, c0 + j);
      y0.intoArray(c, c0 + j + L);
      x1.intoArray(c, c1 + j);
      y1.intoArray(c, c1 + j + L);
      x2.intoArray(c, c2 + j);
      y2.intoArray(c, c2 + j + L);
      x3.intoArray(c, c3 + j);
      y3.intoArray(c, c3 + j + L);
    }
    for (; j < j1; j++) {
      double s0 = c[c0 + j];
      double s1 = c[c1 + j];
      double s2 = c[c2 + j];
      double s3 = c[c3 + j];
      for (int p = p0; p < p1; p++) {
        double bv = b[bOff + p * n + j];
        s0 = Math.fma(a[a0 + p], bv, s0);
        s1 = Math.fma(a[a1 + p], bv, s1);
        s2 = Math.fma(a[a2 + p], bv, s2);
        s3 = Math.fma(a[a3 + p], bv, s3);
      }
      c[c0 + j] = s0;
      c[c1 + j] = s1;
      c[c2 + j] = s2;
      c[c3 + j] = s3;
    }
  }

  private static void row1(double[] a, int aOff, double[] b, int bOff, double[] c, int cOff,
      int i, int k, int n, int j0, int j1, int p0, int p1) {
    int a0 = aOff + i * k;
    int c0 = cOff + i * n;
    int j = j0;
    for (; j + L <= j1; j += L) {
      DoubleVector x0 = DoubleVector.fromArray(S, c, c0 + j);
      for (int p = p0; p < p1; p++) {
        x0 = DoubleVector.fromArray(S, b, bOff + p * n + j)
            .fma(DoubleVector.broadcast(S, a[a0 + p]), x0);
      }
      x0.intoArray(c, c0 + j);
    }
    for (; j < j1; j++) {
      double s0 = c[c0 + j];
      for (int p = p0; p < p1; p++) {
        s0 = Math.fma(a[a0 + p], b[bOff + p * n + j], s0);
      }
      c[c0 + j] = s0;
    }
  }
}
