package dev.jattr.kernels.cuda;

import dev.jattr.kernels.Arithmetic;
import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.ReduceKernels;
import dev.jattr.kernels.cuda.driver.KernelArgs;

/** Sums along and onto an axis, and softmax, on the GPU ({@code reduce.cu}); sums in double. */
final class CudaReduce implements ReduceKernels {
  private final CudaDevice dev;
  private final CudaElementwise elementwise;

  CudaReduce(CudaDevice dev) {
    this.dev = dev;
    this.elementwise = new CudaElementwise(dev);
  }

  /** The product in device memory, then its sum onto the axis: two kernels that exist already. */
  @Override
  public void productToAxis(float[] x, float[] y, AxisView v, float[] out) {
    float[] product = new float[v.size()];
    elementwise.binary(Arithmetic.MUL, x, y, false, new AxisView(1, v.size(), 1), product);
    sumToAxis(product, v, out);
  }

  @Override
  public void sumOverAxis(float[] x, AxisView v, float[] out) {
    run("sum_over_axis_f32", x, v, out, v.outer() * v.inner(), false, null);
  }

  @Override
  public void sumOverAxis(double[] x, AxisView v, double[] out) {
    run("sum_over_axis_f64", x, v, out, v.outer() * v.inner(), false, null);
  }

  @Override
  public void sumToAxis(float[] x, AxisView v, float[] out) {
    run("sum_to_axis_f32", x, v, out, v.mid(), true, null);
  }

  @Override
  public void sumToAxis(double[] x, AxisView v, double[] out) {
    run("sum_to_axis_f64", x, v, out, v.mid(), true, null);
  }

  @Override
  public void softmax(float[] x, AxisView v, boolean log, float[] out) {
    run("softmax_f32", x, v, out, v.size(), false, log);
  }

  @Override
  public void softmax(double[] x, AxisView v, boolean log, double[] out) {
    run("softmax_f64", x, v, out, v.size(), false, log);
  }

  /**
   * One kernel over the view: {@code outCount} outputs, one block each when {@code perOutput},
   * else one thread per output (softmax: per row); {@code log} is softmax's flag, null otherwise.
   */
  private void run(String kernel, Object x, AxisView v, Object out, int outCount, boolean perOutput, Boolean log) {
    dev.call(call -> {
      long dout = call.out(out, 0, outCount);
      KernelArgs args = new KernelArgs().pointer(call.in(x, 0, v.size())).i32(v.outer()).i32(v.mid()).i32(v.inner());
      if (log != null) {
        args.flag(log);
      }
      args.pointer(dout);
      if (perOutput) {
        call.launchPerOutput("reduce", kernel, outCount, args);
      } else {
        call.launch1d("reduce", kernel, log != null ? (long) v.outer() * v.inner() : outCount, args);
      }
    });
  }
}
