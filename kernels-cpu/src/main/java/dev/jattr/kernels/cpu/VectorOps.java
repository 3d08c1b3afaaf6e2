package dev.jattr.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Contiguous float helpers for elementwise operations, each with a Vector API path and a plain
 * scalar path ({@code *Scalar}) of the same semantics so both can be tested against each other.
 *
 * <p>Elementwise methods operate on the first {@code n} elements and allow the output to alias
 * an input. Large elementwise calls are split over the common pool; {@link #sum} and {@link #dot}
 * are single-threaded and deterministic. All methods are stateless and thread-safe for distinct
 * output arrays.
 */
public final class VectorOps {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  static final int L = SPECIES.length();
  /** Elements above which elementwise calls run in parallel chunks. */
  private static final int PARALLEL_ELEMENTS = 1 << 20;
  /** Elements summed in float lanes before the partial is folded into a double. */
  private static final int BLOCK = 1024;

  private VectorOps() {}

  private static void checkN(int n, int... lengths) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    for (int len : lengths) {
      if (len < n) {
        throw new IllegalArgumentException("array of length " + len + " shorter than n = " + n);
      }
    }
  }

  private static void elementwise(int n, Par.RangeBody body) {
    Par.forRange((n + BLOCK - 1) / BLOCK, n >= PARALLEL_ELEMENTS && Par.threads() >= 2,
        (from, to) -> body.run(from * BLOCK, Math.min(n, to * BLOCK)));
  }

  /**
   * out = a + b, elementwise over the first n elements.
   *
   * @param a first operand
   * @param b second operand
   * @param out result (may alias a or b)
   * @param n element count
   */
  public static void add(float[] a, float[] b, float[] out, int n) {
    checkN(n, a.length, b.length, out.length);
    elementwise(n, (from, to) -> {
      int i = from;
      int bound = from + SPECIES.loopBound(to - from);
      for (; i < bound; i += L) {
        FloatVector.fromArray(SPECIES, a, i).add(FloatVector.fromArray(SPECIES, b, i))
            .intoArray(out, i);
      }
      for (; i < to; i++) {
        out[i] = a[i] + b[i];
      }
    });
  }

  /**
   * Scalar path of {@link #add}.
   *
   * @param a first operand
   * @param b second operand
   * @param out result (may alias a or b)
   * @param n element count
   */
  public static void addScalar(float[] a, float[] b, float[] out, int n) {
    checkN(n, a.length, b.length, out.length);
    for (int i = 0; i < n; i++) {
      out[i] = a[i] + b[i];
    }
  }

  /**
   * y[yOff + i] += x[xOff + i] for i in [0, n): in-place accumulation with offsets.
   */
  static void addInPlace(float[] x, int xOff, float[] y, int yOff, int n) {
    int i = 0;
    int bound = SPECIES.loopBound(n);
    for (; i < bound; i += L) {
      FloatVector.fromArray(SPECIES, y, yOff + i).add(FloatVector.fromArray(SPECIES, x, xOff + i))
          .intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] += x[xOff + i];
    }
  }

  /**
   * out = a * b, elementwise over the first n elements.
   *
   * @param a first operand
   * @param b second operand
   * @param out result (may alias a or b)
   * @param n element count
   */
  public static void mul(float[] a, float[] b, float[] out, int n) {
    checkN(n, a.length, b.length, out.length);
    elementwise(n, (from, to) -> {
      int i = from;
      int bound = from + SPECIES.loopBound(to - from);
      for (; i < bound; i += L) {
        FloatVector.fromArray(SPECIES, a, i).mul(FloatVector.fromArray(SPECIES, b, i))
            .intoArray(out, i);
      }
      for (; i < to; i++) {
        out[i] = a[i] * b[i];
      }
    });
  }

  /**
   * Scalar path of {@link #mul}.
   *
   * @param a first operand
   * @param b second operand
   * @param out result (may alias a or b)
   * @param n element count
   */
  public static void mulScalar(float[] a, float[] b, float[] out, int n) {
    checkN(n, a.length, b.length, out.length);
    for (int i = 0; i < n; i++) {
      out[i] = a[i] * b[i];
    }
  }

  /**
   * y += alpha * x over the first n elements (fused multiply-add per element).
   *
   * @param alpha scale
   * @param x addend
   * @param y accumulator, updated in place
   * @param n element count
   */
  public static void axpy(float alpha, float[] x, float[] y, int n) {
    checkN(n, x.length, y.length);
    elementwise(n, (from, to) -> {
      FloatVector va = FloatVector.broadcast(SPECIES, alpha);
      int i = from;
      int bound = from + SPECIES.loopBound(to - from);
      for (; i < bound; i += L) {
        FloatVector.fromArray(SPECIES, x, i).fma(va, FloatVector.fromArray(SPECIES, y, i))
            .intoArray(y, i);
      }
      for (; i < to; i++) {
        y[i] = Math.fma(alpha, x[i], y[i]);
      }
    });
  }

  /**
   * Scalar path of {@link #axpy}.
   *
   * @param alpha scale
   * @param x addend
   * @param y accumulator, updated in place
   * @param n element count
   */
  public static void axpyScalar(float alpha, float[] x, float[] y, int n) {
    checkN(n, x.length, y.length);
    for (int i = 0; i < n; i++) {
      y[i] = Math.fma(alpha, x[i], y[i]);
    }
  }

  /**
   * out = max(x, 0) over the first n elements ({@code Math.max} semantics: NaN propagates, -0
   * becomes +0).
   *
   * @param x input
   * @param out result (may alias x)
   * @param n element count
   */
  public static void relu(float[] x, float[] out, int n) {
    checkN(n, x.length, out.length);
    elementwise(n, (from, to) -> {
      FloatVector zero = FloatVector.zero(SPECIES);
      int i = from;
      int bound = from + SPECIES.loopBound(to - from);
      for (; i < bound; i += L) {
        FloatVector.fromArray(SPECIES, x, i).max(zero).intoArray(out, i);
      }
      for (; i < to; i++) {
        out[i] = Math.max(x[i], 0f);
      }
    });
  }

  /**
   * Scalar path of {@link #relu}.
   *
   * @param x input
   * @param out result (may alias x)
   * @param n element count
   */
  public static void reluScalar(float[] x, float[] out, int n) {
    checkN(n, x.length, out.length);
    for (int i = 0; i < n; i++) {
      out[i] = Math.max(x[i], 0f);
    }
  }

  /**
   * Sum of x[off .. off+n). Accumulates in several float vector lanes per block of
   * {@value #BLOCK} elements and folds each block's partial into a double.
   *
   * @param x input
   * @param off first element
   * @param n element count
   * @return the sum, rounded to float
   */
  public static float sum(float[] x, int off, int n) {
    checkRange(x.length, off, n);
    double total = 0.0;
    for (int start = 0; start < n; start += BLOCK) {
      int len = Math.min(BLOCK, n - start);
      int base = off + start;
      FloatVector s0 = FloatVector.zero(SPECIES);
      FloatVector s1 = s0;
      int i = 0;
      int bound2 = len - len % (2 * L);
      for (; i < bound2; i += 2 * L) {
        s0 = s0.add(FloatVector.fromArray(SPECIES, x, base + i));
        s1 = s1.add(FloatVector.fromArray(SPECIES, x, base + i + L));
      }
      int bound = SPECIES.loopBound(len);
      for (; i < bound; i += L) {
        s0 = s0.add(FloatVector.fromArray(SPECIES, x, base + i));
      }
      float part = Lanes.sum(s0.add(s1));
      for (; i < len; i++) {
        part += x[base + i];
      }
      total += part;
    }
    return (float) total;
  }

  /**
   * Scalar path of {@link #sum}: accumulates in double.
   *
   * @param x input
   * @param off first element
   * @param n element count
   * @return the sum, rounded to float
   */
  public static float sumScalar(float[] x, int off, int n) {
    checkRange(x.length, off, n);
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      s += x[off + i];
    }
    return (float) s;
  }

  private static void checkRange(int len, int off, int n) {
    if (off < 0 || n < 0 || (long) off + n > len) {
      throw new IllegalArgumentException(
          "range [" + off + ", " + off + " + " + n + ") outside array of length " + len);
    }
  }

  /**
   * Dot product of the first n elements. Products are accumulated with fma in several float
   * vector lanes per block of {@value #BLOCK} elements; each block's partial is folded into a
   * double.
   *
   * @param a first operand
   * @param b second operand
   * @param n element count
   * @return the dot product
   */
  public static double dot(float[] a, float[] b, int n) {
    checkN(n, a.length, b.length);
    return dot(a, 0, b, 0, n);
  }

  /**
   * Dot product of a[aOff .. aOff+n) and b[bOff .. bOff+n), summed as {@link #dot(float[], float[], int)} does.
   *
   * @param a first operand
   * @param aOff its first element
   * @param b second operand
   * @param bOff its first element
   * @param n element count
   * @return the dot product
   */
  static double dot(float[] a, int aOff, float[] b, int bOff, int n) {
    checkRange(a.length, aOff, n);
    checkRange(b.length, bOff, n);
    double total = 0.0;
    for (int start = 0; start < n; start += BLOCK) {
      int len = Math.min(BLOCK, n - start);
      FloatVector s0 = FloatVector.zero(SPECIES);
      FloatVector s1 = s0;
      int i = start;
      int end = start + len;
      int bound2 = start + len - len % (2 * L);
      for (; i < bound2; i += 2 * L) {
        s0 = FloatVector.fromArray(SPECIES, a, aOff + i).fma(FloatVector.fromArray(SPECIES, b, bOff + i), s0);
        s1 = FloatVector.fromArray(SPECIES, a, aOff + i + L)
            .fma(FloatVector.fromArray(SPECIES, b, bOff + i + L), s1);
      }
      int bound = start + SPECIES.loopBound(len);
      for (; i < bound; i += L) {
        s0 = FloatVector.fromArray(SPECIES, a, aOff + i).fma(FloatVector.fromArray(SPECIES, b, bOff + i), s0);
      }
      double part = Lanes.sum(s0.add(s1));
      for (; i < end; i++) {
        part += (double) a[aOff + i] * b[bOff + i];
      }
      total += part;
    }
    return total;
  }

  /**
   * Scalar path of {@link #dot}: accumulates exact float products in double.
   *
   * @param a first operand
   * @param b second operand
   * @param n element count
   * @return the dot product
   */
  public static double dotScalar(float[] a, float[] b, int n) {
    checkN(n, a.length, b.length);
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
