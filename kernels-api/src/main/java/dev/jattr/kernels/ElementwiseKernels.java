package dev.jattr.kernels;

/**
 * Float elementwise kernels: the functions of {@link Activation} with their vector-Jacobian
 * products, the operations of {@link Arithmetic} between a full operand and one broadcast along
 * an {@link AxisView}, and a per-channel affine map. Outputs may alias the full input.
 */
public interface ElementwiseKernels {
  /**
   * out[i] = f(x[i]) for i in [0, n).
   *
   * @param f the function
   * @param x input
   * @param alpha HardSigmoid's α (ignored otherwise)
   * @param beta HardSigmoid's β (ignored otherwise)
   * @param out output (may alias x)
   * @param n element count
   */
  void unary(Activation f, float[] x, float alpha, float beta, float[] out, int n);

  /**
   * gx[i] = gy[i]·f′(x[i]) for i in [0, n); the derivative may be computed from the input x or
   * the output y = f(x).
   *
   * @param f the function
   * @param x input of the forward pass
   * @param y output of the forward pass
   * @param gy output gradient
   * @param alpha HardSigmoid's α (ignored otherwise)
   * @param beta HardSigmoid's β (ignored otherwise)
   * @param gx input gradient (may alias gy)
   * @param n element count
   */
  void unaryBackward(Activation f, float[] x, float[] y, float[] gy, float alpha, float beta, float[] gx, int n);

  /**
   * out = op(full, small), or op(small, full) when {@code smallFirst}: {@code full} has the
   * view's size, {@code small} has {@code v.mid()} elements indexed by the middle coordinate.
   *
   * @param op the operation
   * @param full the operand of the output's shape
   * @param small the broadcast operand
   * @param smallFirst whether {@code small} is the left operand
   * @param v the broadcast view
   * @param out output (may alias full)
   */
  void binary(Arithmetic op, float[] full, float[] small, boolean smallFirst, AxisView v, float[] out);

  /**
   * out = full·scale[m] + shift[m] along the view (inference-mode batch normalisation).
   *
   * @param full input of the view's size
   * @param scale {@code v.mid()} multipliers
   * @param shift {@code v.mid()} offsets
   * @param v the view
   * @param out output (may alias full)
   */
  void affine(float[] full, float[] scale, float[] shift, AxisView v, float[] out);
}
