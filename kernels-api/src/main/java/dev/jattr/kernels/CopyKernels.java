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

  /**
   * Copies a block of rows between two row strides: dst[dstOff + r·dstRow + j] = src[srcOff +
   * r·srcRow + j] for r in [0, rows) and j in [0, len). A Concat writes each input so into its
   * slot of the output, a Split reads each part so out of its input. The default copies row by
   * row on the calling thread; a backend may split the rows over its threads.
   *
   * @param src source storage
   * @param srcOff offset of the first row in the source
   * @param srcRow distance between rows in the source
   * @param dst destination storage
   * @param dstOff offset of the first row in the destination
   * @param dstRow distance between rows in the destination
   * @param rows number of rows
   * @param len elements per row
   */
  default void copyRows(float[] src, int srcOff, int srcRow, float[] dst, int dstOff, int dstRow, int rows,
      int len) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(src, srcOff + r * srcRow, dst, dstOff + r * dstRow, len);
    }
  }
}
