package dev.jattr.kernels.cpu;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.Arithmetic;
import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.ElementwiseKernels;

/** {@link ElementwiseKernels} on the Vector API paths of {@link Elementwise}. */
final class CpuElementwise implements ElementwiseKernels {
  @Override
  public void unary(Activation f, float[] x, float alpha, float beta, float[] out, int n) {
    Elementwise.activation(f, x, alpha, beta, out, n, true);
  }

  @Override
  public void unaryBackward(Activation f, float[] x, float[] y, float[] gy, float alpha, float beta, float[] gx,
      int n) {
    Elementwise.activationBackward(f, x, y, gy, alpha, beta, gx, n, true);
  }

  @Override
  public void binary(Arithmetic op, float[] full, float[] small, boolean smallFirst, AxisView v, float[] out) {
    Elementwise.arith(op, full, small, smallFirst, v.outer(), v.mid(), v.inner(), out, true);
  }

  @Override
  public void affine(float[] full, float[] scale, float[] shift, AxisView v, float[] out) {
    Elementwise.affine(full, scale, shift, v.outer(), v.mid(), v.inner(), out, true);
  }
}
