package dev.jattr.kernels;

/**
 * General matrix products {@code C[m×n] (+)= op(A)·op(B)} on row-major arrays. op(A) is m×k (A
 * stored k×m when {@code transA}), op(B) is k×n (B stored n×k when {@code transB}); C has row
 * stride n. Offsets select a matrix inside a larger array, so batched products need no copies.
 * Each output element is summed over k in ascending order, so results do not depend on how the
 * work is split. Implementations are thread-safe for distinct output regions.
 */
public interface GemmKernels {
  /**
   * Float product.
   *
   * @param a left operand storage
   * @param aOff offset of A's first element
   * @param transA whether A is stored transposed (k×m)
   * @param b right operand storage
   * @param bOff offset of B's first element
   * @param transB whether B is stored transposed (n×k)
   * @param c output storage
   * @param cOff offset of C's first element
   * @param m rows of C
   * @param k inner dimension
   * @param n columns of C
   * @param accumulate add into C instead of overwriting it
   */
  void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB, float[] c, int cOff,
      int m, int k, int n, boolean accumulate);

  /**
   * Double product, with the semantics of the float one.
   *
   * @param a left operand storage
   * @param aOff offset of A's first element
   * @param transA whether A is stored transposed (k×m)
   * @param b right operand storage
   * @param bOff offset of B's first element
   * @param transB whether B is stored transposed (n×k)
   * @param c output storage
   * @param cOff offset of C's first element
   * @param m rows of C
   * @param k inner dimension
   * @param n columns of C
   * @param accumulate add into C instead of overwriting it
   */
  void multiply(double[] a, int aOff, boolean transA, double[] b, int bOff, boolean transB, double[] c, int cOff,
      int m, int k, int n, boolean accumulate);

  /**
   * A batch of float products of the same dimensions, one per index i of the offset arrays, run
   * in order: with {@code accumulate}, products that share an output offset sum into it (the
   * gradient of a broadcast operand). A backend may launch them as one batched kernel.
   *
   * @param a left operand storage
   * @param aOffsets offset of each A
   * @param transA whether A is stored transposed (k×m)
   * @param b right operand storage
   * @param bOffsets offset of each B
   * @param transB whether B is stored transposed (n×k)
   * @param c output storage
   * @param cOffsets offset of each C
   * @param m rows of C
   * @param k inner dimension
   * @param n columns of C
   * @param accumulate add into C instead of overwriting it
   * @throws IllegalArgumentException when the offset arrays differ in length
   */
  default void multiplyBatched(float[] a, int[] aOffsets, boolean transA, float[] b, int[] bOffsets, boolean transB,
      float[] c, int[] cOffsets, int m, int k, int n, boolean accumulate) {
    checkBatch(aOffsets, bOffsets, cOffsets);
    for (int i = 0; i < cOffsets.length; i++) {
      multiply(a, aOffsets[i], transA, b, bOffsets[i], transB, c, cOffsets[i], m, k, n, accumulate);
    }
  }

  /**
   * A batch of double products; see the float overload.
   *
   * @param a left operand storage
   * @param aOffsets offset of each A
   * @param transA whether A is stored transposed (k×m)
   * @param b right operand storage
   * @param bOffsets offset of each B
   * @param transB whether B is stored transposed (n×k)
   * @param c output storage
   * @param cOffsets offset of each C
   * @param m rows of C
   * @param k inner dimension
   * @param n columns of C
   * @param accumulate add into C instead of overwriting it
   * @throws IllegalArgumentException when the offset arrays differ in length
   */
  default void multiplyBatched(double[] a, int[] aOffsets, boolean transA, double[] b, int[] bOffsets,
      boolean transB, double[] c, int[] cOffsets, int m, int k, int n, boolean accumulate) {
    checkBatch(aOffsets, bOffsets, cOffsets);
    for (int i = 0; i < cOffsets.length; i++) {
      multiply(a, aOffsets[i], transA, b, bOffsets[i], transB, c, cOffsets[i], m, k, n, accumulate);
    }
  }

  private static void checkBatch(int[] aOffsets, int[] bOffsets, int[] cOffsets) {
    if (aOffsets.length != cOffsets.length || bOffsets.length != cOffsets.length) {
      throw new IllegalArgumentException("batch offsets differ in length: " + aOffsets.length + ", "
          + bOffsets.length + ", " + cOffsets.length);
    }
  }
}
