package dev.jattr.kernels.cpu;

import dev.jattr.kernels.PoolKernels;
import dev.jattr.kernels.WindowGeometry;

/** {@link PoolKernels} on {@link Pool}; the max-pool gradient is a scatter by the recorded winners. */
final class CpuPool implements PoolKernels {
  @Override
  public void maxForward(float[] x, int[] xShape, WindowGeometry g, float[] y, int[] yShape, int[] argmax) {
    Pool.maxForward(x, xShape, g, y, yShape, argmax);
  }

  @Override
  public void maxForward(double[] x, int[] xShape, WindowGeometry g, double[] y, int[] yShape, int[] argmax) {
    Pool.maxForward(x, xShape, g, y, yShape, argmax);
  }

  @Override
  public void maxBackward(float[] gy, int[] argmax, float[] gx) {
    checkWinners(gy.length, argmax);
    for (int i = 0; i < argmax.length; i++) {
      if (argmax[i] >= 0) {
        gx[argmax[i]] += gy[i];
      }
    }
  }

  @Override
  public void maxBackward(double[] gy, int[] argmax, double[] gx) {
    checkWinners(gy.length, argmax);
    for (int i = 0; i < argmax.length; i++) {
      if (argmax[i] >= 0) {
        gx[argmax[i]] += gy[i];
      }
    }
  }

  private static void checkWinners(int gyLength, int[] argmax) {
    if (gyLength < argmax.length) {
      throw new IllegalArgumentException("gradient of " + gyLength + " elements for " + argmax.length + " windows");
    }
  }

  @Override
  public void averageForward(float[] x, int[] xShape, WindowGeometry g, boolean countIncludePad, float[] y,
      int[] yShape) {
    Pool.averageForward(x, xShape, g, countIncludePad, y, yShape);
  }

  @Override
  public void averageForward(double[] x, int[] xShape, WindowGeometry g, boolean countIncludePad, double[] y,
      int[] yShape) {
    Pool.averageForward(x, xShape, g, countIncludePad, y, yShape);
  }

  @Override
  public void averageBackward(float[] gy, int[] yShape, WindowGeometry g, boolean countIncludePad, float[] gx,
      int[] xShape) {
    Pool.averageBackward(gy, yShape, g, countIncludePad, gx, xShape);
  }

  @Override
  public void averageBackward(double[] gy, int[] yShape, WindowGeometry g, boolean countIncludePad, double[] gx,
      int[] xShape) {
    Pool.averageBackward(gy, yShape, g, countIncludePad, gx, xShape);
  }
}
