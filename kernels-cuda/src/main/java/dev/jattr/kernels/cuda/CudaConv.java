package dev.jattr.kernels.cuda;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.ConvKernels;
import dev.jattr.kernels.WindowGeometry;
import dev.jattr.kernels.cuda.driver.Dim3;
import dev.jattr.kernels.cuda.driver.KernelArgs;

/**
 * Convolution on the GPU, the activation fused in: float convolutions with several channels per
 * group on both sides run forward and data gradient as implicit GEMM ({@code conv_gemm_*}, a tiled
 * product that unfolds the input as it reads it), the others (depthwise, double) on the direct
 * kernels of {@code conv.cu}. {@code -Djattr.cuda.conv=direct} keeps every convolution on the
 * direct kernels (for comparisons).
 */
final class CudaConv implements ConvKernels {
  private static final int NO_ACTIVATION = -1;
  /** The product tile's side, in rows and columns (see {@code jattr_kernels.h}). */
  static final int GEMM_TILE = 64;
  private static final boolean DIRECT_ONLY = "direct".equals(System.getProperty("jattr.cuda.conv"));

  private final CudaDevice dev;

  CudaConv(CudaDevice dev) {
    this.dev = dev;
  }

  @Override
  public void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g, int group,
      float[] y, int[] yShape) {
    forward(x, xShape, w, wShape, bias, g, group, y, yShape, "f32", a -> a.i32(NO_ACTIVATION).f32(0).f32(0));
  }

  @Override
  public void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g, int group,
      Activation f, float alpha, float beta, float[] y, int[] yShape) {
    forward(x, xShape, w, wShape, bias, g, group, y, yShape, "f32", a -> a.i32(f.ordinal()).f32(alpha).f32(beta));
  }

  @Override
  public void forward(double[] x, int[] xShape, double[] w, int[] wShape, double[] bias, WindowGeometry g,
      int group, double[] y, int[] yShape) {
    forward(x, xShape, w, wShape, bias, g, group, y, yShape, "f64", a -> a.i32(NO_ACTIVATION).f64(0).f64(0));
  }

  /** y = act(conv(x, w) + bias) for float or double arrays; {@code activation} adds the last three arguments. */
  private void forward(Object x, int[] xShape, Object w, int[] wShape, Object bias, WindowGeometry g, int group,
      Object y, int[] yShape, String type, java.util.function.UnaryOperator<KernelArgs> activation) {
    int[] win = Windows.of(xShape, wShape[0], group, yShape, g);
    int ny = Windows.size(yShape);
    boolean gemm = type.equals("f32") && usesGemm(xShape[1], wShape, group);
    dev.call(call -> {
      long dx = call.in(x, 0, Windows.size(xShape));
      long dw = call.in(w, 0, Windows.size(wShape));
      long db = bias == null ? 0 : call.in(bias, 0, wShape[0]);
      long dy = call.out(y, 0, ny);
      KernelArgs args = activation.apply(new KernelArgs().pointer(dx).pointer(dw).pointer(db).pointer(dy).struct(win));
      if (gemm && ny > 0) {
        call.launch("conv", "conv_gemm_fwd_f32", gemmGrid(wShape[0] / group, ny / wShape[0], group),
            Dim3.of(CudaDevice.THREADS), args.i32(wShape[0]).i32(0));
      } else if (!gemm) {
        call.launch1d("conv", "conv_fwd_" + type, ny, args);
      }
    });
  }

  /**
   * Whether a float convolution runs as implicit GEMM: several channels per group on both sides
   * (a depthwise convolution's product would be 1 × taps × pixels: the direct kernel does better),
   * and a group count the grid can take.
   *
   * @param channels input channels C
   * @param wShape weight shape [M, C/group, k...]
   * @param group groups
   * @return whether the GEMM kernels run it
   */
  static boolean usesGemm(int channels, int[] wShape, int group) {
    int mg = wShape[0] / group, cg = channels / group;
    return !DIRECT_ONLY && mg >= 4 && cg >= 2 && group <= 65535;
  }

  /**
   * The grid of an implicit GEMM launch: a block per 64×64 tile of each group's product.
   *
   * @param rows the product's rows per group
   * @param columns its columns (samples × positions)
   * @param group groups
   * @return the grid
   */
  static Dim3 gemmGrid(int rows, int columns, int group) {
    return new Dim3((columns + GEMM_TILE - 1) / GEMM_TILE, (rows + GEMM_TILE - 1) / GEMM_TILE, group);
  }

  @Override
  public void backwardData(float[] gy, int[] yShape, float[] w, int[] wShape, WindowGeometry g, int group,
      float[] gx, int[] xShape) {
    backwardData(gy, yShape, w, wShape, g, group, gx, xShape, "f32");
  }

  @Override
  public void backwardData(double[] gy, int[] yShape, double[] w, int[] wShape, WindowGeometry g, int group,
      double[] gx, int[] xShape) {
    backwardData(gy, yShape, w, wShape, g, group, gx, xShape, "f64");
  }

  private void backwardData(Object gy, int[] yShape, Object w, int[] wShape, WindowGeometry g, int group, Object gx,
      int[] xShape, String type) {
    int[] win = Windows.of(xShape, wShape[0], group, yShape, g);
    int nx = Windows.size(xShape);
    boolean gemm = type.equals("f32") && usesGemm(xShape[1], wShape, group);
    dev.call(call -> {
      long dgy = call.in(gy, 0, Windows.size(yShape));
      long dw = call.in(w, 0, Windows.size(wShape));
      long dgx = call.out(gx, 0, nx);
      KernelArgs args = new KernelArgs().pointer(dgy).pointer(dw).pointer(dgx).struct(win);
      if (gemm && nx > 0) {
        call.launch("conv", "conv_gemm_bwd_data_f32", gemmGrid(xShape[1] / group, nx / xShape[1], group),
            Dim3.of(CudaDevice.THREADS), args);
      } else if (!gemm) {
        call.launch1d("conv", "conv_bwd_data_" + type, nx, args);
      }
    });
  }

  @Override
  public void backwardWeight(float[] gy, int[] yShape, float[] x, int[] xShape, WindowGeometry g, int group,
      float[] gw, int[] wShape) {
    backwardWeight(gy, yShape, x, xShape, g, group, gw, wShape, "f32");
  }

  @Override
  public void backwardWeight(double[] gy, int[] yShape, double[] x, int[] xShape, WindowGeometry g, int group,
      double[] gw, int[] wShape) {
    backwardWeight(gy, yShape, x, xShape, g, group, gw, wShape, "f64");
  }

  private void backwardWeight(Object gy, int[] yShape, Object x, int[] xShape, WindowGeometry g, int group, Object gw,
      int[] wShape, String type) {
    int[] win = Windows.of(xShape, wShape[0], group, yShape, g);
    int nw = Windows.size(wShape);
    dev.call(call -> {
      long dgy = call.in(gy, 0, Windows.size(yShape));
      long dx = call.in(x, 0, Windows.size(xShape));
      long dgw = call.out(gw, 0, nw);
      call.launchPerOutput("conv", "conv_bwd_weight_" + type, nw, new KernelArgs().pointer(dgy).pointer(dx)
          .pointer(dgw).struct(win));
    });
  }
}
