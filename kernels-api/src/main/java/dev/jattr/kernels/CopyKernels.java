package dev.jattr.kernels;

/**
 * Strided copies (transpose, slice, broadcast, reversal) and precision casts.
 */
public interface CopyKernels {
  /**
   * Copies the strided view of {@code src} with the given shape into {@code dst} as a contiguous
   * row-major array: dst[dstOff + flat(idx)] = src[srcOff + Σ idx[d]·srcStrides[d]]. Strides
   * may be zero (a broadcast) or negative (a reversal).
   *
   * @param src source storage
   * @param srcOff offset of the view's first element
   * @param srcStrides element stride per dimension
   * @param shape the view's shape
   * @param dst destination storage
   * @param dstOff offset of the first element written
   */
  void copy(float[] src, int srcOff, int[] srcStrides, int[] shape, float[] dst, int dstOff);

  /**
   * Double strided copy; see the float overload.
   *
   * @param src source storage
   * @param srcOff offset of the view's first element
   * @param srcStrides element stride per dimension
   * @param shape the view's shape
   * @param dst destination storage
   * @param dstOff offset of the first element written
   */
  void copy(double[] src, int srcOff, int[] srcStrides, int[] shape, double[] dst, int dstOff);

  /**
   * dst[i] = src[i] widened to double, for i in [0, n).
   *
   * @param src source
   * @param dst destination
   * @param n element count
   */
  void cast(float[] src, double[] dst, int n);

  /**
   * dst[i] = src[i] rounded to the nearest float, for i in [0, n).
   *
   * @param src source
   * @param dst destination
   * @param n element count
   */
  void cast(double[] src, float[] dst, int n);
}
