package dev.jattr.kernels.cuda;

import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.ReduceKernels;
import dev.jattr.kernels.cuda.driver.KernelArgs;

/** Sums along and onto an axis, and softmax, on the GPU ({@code reduce.cu}); sums in double. */
final class CudaReduce implements ReduceKernels {
  private final CudaDevice dev;

  CudaReduce(CudaDevice dev) {
    this.dev = dev;
  }

  private static KernelArgs view(long x, AxisView v) {
    return new KernelArgs().pointer(x).i32(v.outer()).i32(v.mid()).i32(v.inner());
  }

  @Override
  public void sumOverAxis(float[] x, AxisView v, float[] out) {
    int no = v.outer() * v.inner();
    dev.call(call -> {
      long dout = call.out(out, 0, no);
      call.launch1d("reduce", "sum_over_axis_f32", no, view(call.in(x, 0, v.size()), v).pointer(dout));
    });
  }

  @Override
  public void sumOverAxis(double[] x, AxisView v, double[] out) {
    int no = v.outer() * v.inner();
    dev.call(call -> {
      long dout = call.out(out, 0, no);
      call.launch1d("reduce", "sum_over_axis_f64", no, view(call.in(x, 0, v.size()), v).pointer(dout));
    });
  }

  @Override
  public void sumToAxis(float[] x, AxisView v, float[] out) {
    dev.call(call -> {
      long dout = call.out(out, 0, v.mid());
      call.launchPerOutput("reduce", "sum_to_axis_f32", v.mid(), view(call.in(x, 0, v.size()), v).pointer(dout));
    });
  }

  @Override
  public void sumToAxis(double[] x, AxisView v, double[] out) {
    dev.call(call -> {
      long dout = call.out(out, 0, v.mid());
      call.launchPerOutput("reduce", "sum_to_axis_f64", v.mid(), view(call.in(x, 0, v.size()), v).pointer(dout));
    });
  }

  @Override
  public void softmax(float[] x, AxisView v, boolean log, float[] out) {
    int n = v.size();
    dev.call(call -> {
      long dout = call.out(out, 0, n);
      call.launch1d("reduce", "softmax_f32", (long) v.outer() * v.inner(),
          view(call.in(x, 0, n), v).flag(log).pointer(dout));
    });
  }

  @Override
  public void softmax(double[] x, AxisView v, boolean log, double[] out) {
    int n = v.size();
    dev.call(call -> {
      long dout = call.out(out, 0, n);
      call.launch1d("reduce", "softmax_f64", (long) v.outer() * v.inner(),
          view(call.in(x, 0, n), v).flag(log).pointer(dout));
    });
  }
}
