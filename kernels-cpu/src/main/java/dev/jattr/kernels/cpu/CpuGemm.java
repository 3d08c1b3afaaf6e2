package dev.jattr.kernels.cpu;

import dev.jattr.kernels.GemmKernels;

/** {@link GemmKernels} on {@link MatMul}: the packed Vector API product for float, the reference for double. */
final class CpuGemm implements GemmKernels {
  @Override
  public void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB, float[] c,
      int cOff, int m, int k, int n, boolean accumulate) {
    MatMul.multiply(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n, accumulate);
  }

  @Override
  public void multiply(double[] a, int aOff, boolean transA, double[] b, int bOff, boolean transB, double[] c,
      int cOff, int m, int k, int n, boolean accumulate) {
    MatMul.multiply(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n, accumulate);
  }
}
