package dev.jattr.kernels.cuda;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.ConvKernels;
import dev.jattr.kernels.WindowGeometry;
import dev.jattr.kernels.cuda.driver.KernelArgs;

/** Convolution on the GPU: the direct kernels of {@code conv.cu}, the activation fused in. */
final class CudaConv implements ConvKernels {
  private static final int NO_ACTIVATION = -1;

  private final CudaDevice dev;

  CudaConv(CudaDevice dev) {
    this.dev = dev;
  }

  @Override
  public void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g, int group,
      float[] y, int[] yShape) {
    forward(x, xShape, w, wShape, bias, g, group, NO_ACTIVATION, 0f, 0f, y, yShape);
  }

  @Override
  public void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g, int group,
      Activation f, float alpha, float beta, float[] y, int[] yShape) {
    forward(x, xShape, w, wShape, bias, g, group, f.ordinal(), alpha, beta, y, yShape);
  }

  private void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g, int group,
      int act, float alpha, float beta, float[] y, int[] yShape) {
    int[] win = Windows.of(xShape, wShape[0], group, yShape, g);
    int ny = Windows.size(yShape);
    dev.call(call -> {
      long dx = call.in(x, 0, Windows.size(xShape));
      long dw = call.in(w, 0, Windows.size(wShape));
      long db = bias == null ? 0 : call.in(bias, 0, wShape[0]);
      long dy = call.out(y, 0, ny);
      call.launch1d("conv", "conv_fwd_f32", ny, new KernelArgs().pointer(dx).pointer(dw).pointer(db).pointer(dy)
          .struct(win).i32(act).f32(alpha).f32(beta));
    });
  }

  @Override
  public void backwardData(float[] gy, int[] yShape, float[] w, int[] wShape, WindowGeometry g, int group,
      float[] gx, int[] xShape) {
    int[] win = Windows.of(xShape, wShape[0], group, yShape, g);
    int nx = Windows.size(xShape);
    dev.call(call -> {
      long dgy = call.in(gy, 0, Windows.size(yShape));
      long dw = call.in(w, 0, Windows.size(wShape));
      long dgx = call.out(gx, 0, nx);
      call.launch1d("conv", "conv_bwd_data_f32", nx, new KernelArgs().pointer(dgy).pointer(dw).pointer(dgx)
          .struct(win));
    });
  }

  @Override
  public void backwardWeight(float[] gy, int[] yShape, float[] x, int[] xShape, WindowGeometry g, int group,
      float[] gw, int[] wShape) {
    int[] win = Windows.of(xShape, wShape[0], group, yShape, g);
    int nw = Windows.size(wShape);
    dev.call(call -> {
      long dgy = call.in(gy, 0, Windows.size(yShape));
      long dx = call.in(x, 0, Windows.size(xShape));
      long dgw = call.out(gw, 0, nw);
      call.launchPerOutput("conv", "conv_bwd_weight_f32", nw, new KernelArgs().pointer(dgy).pointer(dx)
          .pointer(dgw).struct(win));
    });
  }

  @Override
  public void forward(double[] x, int[] xShape, double[] w, int[] wShape, double[] bias, WindowGeometry g,
      int group, double[] y, int[] yShape) {
    int[] win = Windows.of(xShape, wShape[0], group, yShape, g);
    int ny = Windows.size(yShape);
    dev.call(call -> {
      long dx = call.in(x, 0, Windows.size(xShape));
      long dw = call.in(w, 0, Windows.size(wShape));
      long db = bias == null ? 0 : call.in(bias, 0, wShape[0]);
      long dy = call.out(y, 0, ny);
      call.launch1d("conv", "conv_fwd_f64", ny, new KernelArgs().pointer(dx).pointer(dw).pointer(db).pointer(dy)
          .struct(win).i32(NO_ACTIVATION).f64(0).f64(0));
    });
  }

  @Override
  public void backwardData(double[] gy, int[] yShape, double[] w, int[] wShape, WindowGeometry g, int group,
      double[] gx, int[] xShape) {
    int[] win = Windows.of(xShape, wShape[0], group, yShape, g);
    int nx = Windows.size(xShape);
    dev.call(call -> {
      long dgy = call.in(gy, 0, Windows.size(yShape));
      long dw = call.in(w, 0, Windows.size(wShape));
      long dgx = call.out(gx, 0, nx);
      call.launch1d("conv", "conv_bwd_data_f64", nx, new KernelArgs().pointer(dgy).pointer(dw).pointer(dgx)
          .struct(win));
    });
  }

  @Override
  public void backwardWeight(double[] gy, int[] yShape, double[] x, int[] xShape, WindowGeometry g, int group,
      double[] gw, int[] wShape) {
    int[] win = Windows.of(xShape, wShape[0], group, yShape, g);
    int nw = Windows.size(wShape);
    dev.call(call -> {
      long dgy = call.in(gy, 0, Windows.size(yShape));
      long dx = call.in(x, 0, Windows.size(xShape));
      long dgw = call.out(gw, 0, nw);
      call.launchPerOutput("conv", "conv_bwd_weight_f64", nw, new KernelArgs().pointer(dgy).pointer(dx)
          .pointer(dgw).struct(win));
    });
  }
}
