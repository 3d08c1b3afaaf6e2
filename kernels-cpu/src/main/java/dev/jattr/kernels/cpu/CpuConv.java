package dev.jattr.kernels.cpu;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.ConvKernels;
import dev.jattr.kernels.WindowGeometry;

/** {@link ConvKernels} on {@link Conv} (im2col and the matrix product; depthwise planes directly; activations fused). */
final class CpuConv implements ConvKernels {
  @Override
  public void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g,
      int group, float[] y, int[] yShape) {
    Conv.forward(x, xShape, w, wShape, bias, g, group, y, yShape);
  }

  @Override
  public void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g,
      int group, Activation f, float alpha, float beta, float[] y, int[] yShape) {
    Conv.forward(x, xShape, w, wShape, bias, g, group, f, alpha, beta, y, yShape);
  }

  @Override
  public void forwardInto(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g,
      int group, Activation f, float alpha, float beta, float[] y, int[] yShape, int channel) {
    Conv.forwardInto(x, xShape, w, wShape, bias, g, group, f, alpha, beta, y, yShape, channel);
  }

  @Override
  public boolean forwardMaxPooled(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias,
      WindowGeometry g, int group, Activation f, float alpha, float beta, int[] convShape, WindowGeometry pool,
      float[] y, int[] yShape) {
    return Conv.forwardMaxPooled(x, xShape, w, wShape, bias, g, group, f, alpha, beta, convShape, pool, y, yShape);
  }

  @Override
  public void backwardData(float[] gy, int[] yShape, float[] w, int[] wShape, WindowGeometry g, int group,
      float[] gx, int[] xShape) {
    Conv.backwardData(gy, yShape, w, wShape, g, group, gx, xShape);
  }

  @Override
  public void backwardWeight(float[] gy, int[] yShape, float[] x, int[] xShape, WindowGeometry g, int group,
      float[] gw, int[] wShape) {
    Conv.backwardWeight(gy, yShape, x, xShape, g, group, gw, wShape);
  }

  @Override
  public void forward(double[] x, int[] xShape, double[] w, int[] wShape, double[] bias, WindowGeometry g,
      int group, double[] y, int[] yShape) {
    Conv.forward(x, xShape, w, wShape, bias, g, group, y, yShape);
  }

  @Override
  public void backwardData(double[] gy, int[] yShape, double[] w, int[] wShape, WindowGeometry g, int group,
      double[] gx, int[] xShape) {
    Conv.backwardData(gy, yShape, w, wShape, g, group, gx, xShape);
  }

  @Override
  public void backwardWeight(double[] gy, int[] yShape, double[] x, int[] xShape, WindowGeometry g, int group,
      double[] gw, int[] wShape) {
    Conv.backwardWeight(gy, yShape, x, xShape, g, group, gw, wShape);
  }
}
