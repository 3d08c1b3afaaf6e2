package dev.jattr.kernels.cuda;

import dev.jattr.kernels.PoolKernels;
import dev.jattr.kernels.WindowGeometry;
import dev.jattr.kernels.cuda.driver.KernelArgs;

/** Max and average pooling and their gradients on the GPU ({@code pool.cu}). */
final class CudaPool implements PoolKernels {
  private final CudaDevice dev;

  CudaPool(CudaDevice dev) {
    this.dev = dev;
  }

  private static int[] window(int[] xShape, int[] yShape, WindowGeometry g) {
    return Windows.of(xShape, xShape[1], 1, yShape, g);
  }

  @Override
  public void maxForward(float[] x, int[] xShape, WindowGeometry g, float[] y, int[] yShape, int[] argmax) {
    maxForward(x, xShape, g, y, yShape, argmax, "f32");
  }

  @Override
  public void maxForward(double[] x, int[] xShape, WindowGeometry g, double[] y, int[] yShape, int[] argmax) {
    maxForward(x, xShape, g, y, yShape, argmax, "f64");
  }

  private void maxForward(Object x, int[] xShape, WindowGeometry g, Object y, int[] yShape, int[] argmax,
      String type) {
    int[] win = window(xShape, yShape, g);
    int ny = Windows.size(yShape);
    dev.call(call -> {
      long dx = call.in(x, 0, Windows.size(xShape));
      long dy = call.out(y, 0, ny);
      long da = call.scratch(4L * ny);
      call.launch1d("pool", "maxpool_fwd_" + type, ny, new KernelArgs().pointer(dx).pointer(dy).pointer(da)
          .struct(win));
      if (argmax != null) {
        call.download(da, argmax, ny);
      }
    });
  }

  private static void checkWinners(int gyLength, int[] argmax, int gxLength) {
    if (gyLength < argmax.length) {
      throw new IllegalArgumentException("gradient of " + gyLength + " elements for " + argmax.length + " windows");
    }
    for (int a : argmax) {
      if (a >= gxLength) {
        throw new IndexOutOfBoundsException("winner " + a + " outside a gradient of " + gxLength + " elements");
      }
    }
  }

  @Override
  public void maxBackward(float[] gy, int[] argmax, float[] gx) {
    checkWinners(gy.length, argmax, gx.length);
    maxBackward(gy, argmax, gx, gx.length, "f32");
  }

  @Override
  public void maxBackward(double[] gy, int[] argmax, double[] gx) {
    checkWinners(gy.length, argmax, gx.length);
    maxBackward(gy, argmax, gx, gx.length, "f64");
  }

  private void maxBackward(Object gy, int[] argmax, Object gx, int nx, String type) {
    int ny = argmax.length;
    dev.call(call -> {
      long dgy = call.in(gy, 0, ny);
      long da = call.upload(argmax, ny);
      long dgx = call.inOut(gx, 0, nx);
      call.launch1d("pool", "maxpool_bwd_" + type, ny, new KernelArgs().pointer(dgy).pointer(da).pointer(dgx).i32(ny));
    });
  }

  @Override
  public void averageForward(float[] x, int[] xShape, WindowGeometry g, boolean countIncludePad, float[] y,
      int[] yShape) {
    average("avgpool_fwd_f32", x, xShape, g, countIncludePad, y, yShape, Windows.size(yShape));
  }

  @Override
  public void averageForward(double[] x, int[] xShape, WindowGeometry g, boolean countIncludePad, double[] y,
      int[] yShape) {
    average("avgpool_fwd_f64", x, xShape, g, countIncludePad, y, yShape, Windows.size(yShape));
  }

  @Override
  public void averageBackward(float[] gy, int[] yShape, WindowGeometry g, boolean countIncludePad, float[] gx,
      int[] xShape) {
    average("avgpool_bwd_f32", gy, yShape, g, countIncludePad, gx, xShape, Windows.size(xShape));
  }

  @Override
  public void averageBackward(double[] gy, int[] yShape, WindowGeometry g, boolean countIncludePad, double[] gx,
      int[] xShape) {
    average("avgpool_bwd_f64", gy, yShape, g, countIncludePad, gx, xShape, Windows.size(xShape));
  }

  /**
   * An average-pooling kernel from {@code in} to {@code out}, which it overwrites ({@code outCount}
   * elements); forward reads x and writes y, backward reads gy and writes gx.
   */
  private void average(String kernel, Object in, int[] inShape, WindowGeometry g, boolean countIncludePad, Object out,
      int[] outShape, int outCount) {
    boolean forward = kernel.contains("fwd");
    int[] win = forward ? window(inShape, outShape, g) : window(outShape, inShape, g);
    dev.call(call -> {
      long din = call.in(in, 0, Windows.size(inShape));
      long dout = call.out(out, 0, outCount);
      call.launch1d("pool", kernel, outCount, new KernelArgs().pointer(din).pointer(dout).struct(win)
          .flag(countIncludePad));
    });
  }
}
