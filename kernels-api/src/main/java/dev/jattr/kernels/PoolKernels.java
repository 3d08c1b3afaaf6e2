package dev.jattr.kernels;

/**
 * Max and average pooling (ONNX {@code MaxPool} / {@code AveragePool}) with spatial rank 1, 2 or
 * 3, strides, asymmetric pads and dilations, and their gradients.
 *
 * <p>Layouts: {@code x[N, C, in...]}, {@code y[N, C, out...]}, row-major; output extents are
 * taken from {@code yShape} as given (ceil mode is the caller's larger output shape). Window taps
 * outside the input are padding. Implementations are thread-safe for distinct outputs.
 */
public interface PoolKernels {
  /**
   * Max pooling. Padding never wins; ties go to the first tap in window scan order; a NaN in the
   * window wins (the first NaN); a window of padding only yields −∞ and argmax −1.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param y output, overwritten
   * @param yShape output shape [N, C, out...]
   * @param argmax receives, per output element, the flat index into x of the winner; may be null
   */
  void maxForward(float[] x, int[] xShape, WindowGeometry g, float[] y, int[] yShape, int[] argmax);

  /**
   * Double max pooling; see the float overload.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param y output, overwritten
   * @param yShape output shape [N, C, out...]
   * @param argmax receives, per output element, the flat index into x of the winner; may be null
   */
  void maxForward(double[] x, int[] xShape, WindowGeometry g, double[] y, int[] yShape, int[] argmax);

  /**
   * Gradient of max pooling: gx[argmax[i]] += gy[i] for every i with argmax[i] ≥ 0; gx is added
   * to, not overwritten.
   *
   * @param gy output gradient
   * @param argmax the winners {@link #maxForward(float[], int[], WindowGeometry, float[], int[], int[])} returned
   * @param gx input gradient, accumulated into
   */
  void maxBackward(float[] gy, int[] argmax, float[] gx);

  /**
   * Double gradient of max pooling; see the float overload.
   *
   * @param gy output gradient
   * @param argmax the winners of the forward pass
   * @param gx input gradient, accumulated into
   */
  void maxBackward(double[] gy, int[] argmax, double[] gx);

  /**
   * Average pooling. The divisor is the window size when {@code countIncludePad}, else the
   * number of real taps; windows running past the padded input never count those positions. A
   * zero divisor yields 0.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param countIncludePad whether padding counts in the divisor
   * @param y output, overwritten
   * @param yShape output shape [N, C, out...]
   */
  void averageForward(float[] x, int[] xShape, WindowGeometry g, boolean countIncludePad, float[] y, int[] yShape);

  /**
   * Double average pooling; see the float overload.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param countIncludePad whether padding counts in the divisor
   * @param y output, overwritten
   * @param yShape output shape [N, C, out...]
   */
  void averageForward(double[] x, int[] xShape, WindowGeometry g, boolean countIncludePad, double[] y,
      int[] yShape);

  /**
   * Gradient of average pooling: each real tap of a window receives gy / divisor; gx overwritten.
   *
   * @param gy output gradient
   * @param yShape output shape [N, C, out...]
   * @param g window geometry
   * @param countIncludePad whether padding counts in the divisor
   * @param gx input gradient, overwritten
   * @param xShape input shape [N, C, in...]
   */
  void averageBackward(float[] gy, int[] yShape, WindowGeometry g, boolean countIncludePad, float[] gx,
      int[] xShape);

  /**
   * Double gradient of average pooling; see the float overload.
   *
   * @param gy output gradient
   * @param yShape output shape [N, C, out...]
   * @param g window geometry
   * @param countIncludePad whether padding counts in the divisor
   * @param gx input gradient, overwritten
   * @param xShape input shape [N, C, in...]
   */
  void averageBackward(double[] gy, int[] yShape, WindowGeometry g, boolean countIncludePad, double[] gx,
      int[] xShape);
}
