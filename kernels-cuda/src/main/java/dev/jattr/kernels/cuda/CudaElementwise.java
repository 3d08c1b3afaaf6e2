package dev.jattr.kernels.cuda;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.Arithmetic;
import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.ElementwiseKernels;
import dev.jattr.kernels.cuda.driver.KernelArgs;

/** Unary, broadcast binary and affine kernels on the GPU ({@code elementwise.cu}). */
final class CudaElementwise implements ElementwiseKernels {
  private final CudaDevice dev;

  CudaElementwise(CudaDevice dev) {
    this.dev = dev;
  }

  @Override
  public void unary(Activation f, float[] x, float alpha, float beta, float[] out, int n) {
    dev.call(call -> {
      long dx = call.in(x, 0, n);
      long dout = call.out(out, 0, n);
      call.launch1d("elementwise", "unary_f32", n, new KernelArgs().i32(f.ordinal()).pointer(dx).f32(alpha).f32(beta)
          .pointer(dout).i32(n));
    });
  }

  @Override
  public void unaryBackward(Activation f, float[] x, float[] y, float[] gy, float alpha, float beta, float[] gx,
      int n) {
    dev.call(call -> {
      long dx = x == null ? 0 : call.in(x, 0, n);
      long dy = y == null ? 0 : call.in(y, 0, n);
      long dgy = call.in(gy, 0, n);
      long dgx = call.out(gx, 0, n);
      call.launch1d("elementwise", "unary_bwd_f32", n, new KernelArgs().i32(f.ordinal()).pointer(dx).pointer(dy)
          .pointer(dgy).f32(alpha).f32(beta).pointer(dgx).i32(n));
    });
  }

  @Override
  public void binary(Arithmetic op, float[] full, float[] small, boolean smallFirst, AxisView v, float[] out) {
    int n = v.size();
    dev.call(call -> {
      long df = call.in(full, 0, n);
      long ds = call.in(small, 0, v.mid());
      long dout = call.out(out, 0, n);
      call.launch1d("elementwise", "binary_f32", n, new KernelArgs().i32(op.ordinal()).pointer(df).pointer(ds)
          .flag(smallFirst).i32(v.outer()).i32(v.mid()).i32(v.inner()).pointer(dout));
    });
  }

  @Override
  public void affine(float[] full, float[] scale, float[] shift, AxisView v, float[] out) {
    int n = v.size();
    dev.call(call -> {
      long df = call.in(full, 0, n);
      long dscale = call.in(scale, 0, v.mid());
      long dshift = call.in(shift, 0, v.mid());
      long dout = call.out(out, 0, n);
      call.launch1d("elementwise", "affine_f32", n, new KernelArgs().pointer(df).pointer(dscale).pointer(dshift)
          .i32(v.outer()).i32(v.mid()).i32(v.inner()).pointer(dout));
    });
  }
}
