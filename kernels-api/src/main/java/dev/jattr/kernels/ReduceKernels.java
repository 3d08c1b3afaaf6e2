package dev.jattr.kernels;

/**
 * Sums and softmax around the axis of an {@link AxisView}. Sums accumulate in double.
 */
public interface ReduceKernels {
  /**
   * out[o·inner + i] = Σ over m of x[(o·mid + m)·inner + i]: the sum along the axis (ReduceSum,
   * global pooling). A float implementation may add runs of the axis in float lanes before
   * folding them into the double sum.
   *
   * @param x input of the view's size
   * @param v the view
   * @param out outer·inner sums, overwritten
   */
  void sumOverAxis(float[] x, AxisView v, float[] out);

  /**
   * Double sum along the axis; see the float overload.
   *
   * @param x input of the view's size
   * @param v the view
   * @param out outer·inner sums, overwritten
   */
  void sumOverAxis(double[] x, AxisView v, double[] out);

  /**
   * out[m] = Σ over o and i of x[(o·mid + m)·inner + i]: the sum onto the axis, the adjoint of
   * broadcasting an operand of mid elements along the view.
   *
   * @param x input of the view's size
   * @param v the view
   * @param out mid sums, overwritten
   */
  void sumToAxis(float[] x, AxisView v, float[] out);

  /**
   * out[m] = Σ over o and i of x[j]·y[j], j = (o·mid + m)·inner + i: the sum onto the axis of a
   * product, the gradient of an operand of mid elements broadcast into a product with y, given the
   * output gradient x (the scale of a squeeze-and-excitation block, say), without the product
   * ever being stored. The default, for backends that compute on the host arrays, multiplies in
   * double and sums as {@link #sumToAxis(double[], AxisView, double[])} orders it; a backend whose
   * data lives elsewhere must override it.
   *
   * @param x the output gradient, of the view's size
   * @param y the other factor, of the view's size
   * @param v the view
   * @param out mid sums, overwritten
   */
  default void productToAxis(float[] x, float[] y, AxisView v, float[] out) {
    int mid = v.mid(), inner = v.inner();
    if (x.length < v.size() || y.length < v.size() || out.length < mid) {
      throw new IllegalArgumentException("arrays shorter than the view [" + v.outer() + ", " + mid + ", " + inner + "]");
    }
    for (int m = 0; m < mid; m++) {
      double s = 0.0;
      for (int o = 0; o < v.outer(); o++) {
        int off = (o * mid + m) * inner;
        for (int i = 0; i < inner; i++) {
          s += (double) x[off + i] * y[off + i];
        }
      }
      out[m] = (float) s;
    }
  }

  /**
   * Double sum onto the axis; see the float overload.
   *
   * @param x input of the view's size
   * @param v the view
   * @param out mid sums, overwritten
   */
  void sumToAxis(double[] x, AxisView v, double[] out);

  /**
   * Softmax along the axis, e^(x − max) / Σ e^(x − max), or its logarithm x − max − log Σ e^(x −
   * max) when {@code log}.
   *
   * @param x input of the view's size
   * @param v the view; the axis is the one normalised
   * @param log whether to return log-softmax
   * @param out output of the view's size (may alias x)
   */
  void softmax(float[] x, AxisView v, boolean log, float[] out);

  /**
   * Double softmax; see the float overload.
   *
   * @param x input of the view's size
   * @param v the view; the axis is the one normalised
   * @param log whether to return log-softmax
   * @param out output of the view's size (may alias x)
   */
  void softmax(double[] x, AxisView v, boolean log, double[] out);
}
