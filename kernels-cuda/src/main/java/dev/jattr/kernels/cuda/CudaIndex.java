package dev.jattr.kernels.cuda;

import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.IndexKernels;
import dev.jattr.kernels.cuda.driver.KernelArgs;

/** Gather along an axis and scatter-add on the GPU ({@code index.cu}). */
final class CudaIndex implements IndexKernels {
  private final CudaDevice dev;

  CudaIndex(CudaDevice dev) {
    this.dev = dev;
  }

  /** Indices are checked on the host, before any launch, as the CPU backend does. */
  private static void checkIndices(int[] indices, AxisView v) {
    for (int j = 0; j < indices.length; j++) {
      if (indices[j] < 0 || indices[j] >= v.mid()) {
        throw new IndexOutOfBoundsException("index " + indices[j] + " at position " + j + " outside [0, " + v.mid()
            + ")");
      }
    }
  }

  @Override
  public void gather(float[] src, AxisView v, int[] indices, float[] out) {
    gather(src, v, indices, out, "f32");
  }

  @Override
  public void gather(double[] src, AxisView v, int[] indices, double[] out) {
    gather(src, v, indices, out, "f64");
  }

  private void gather(Object src, AxisView v, int[] indices, Object out, String type) {
    checkIndices(indices, v);
    int no = v.withMid(indices.length).size();
    dev.call(call -> {
      long dout = call.out(out, 0, no);
      long dsrc = call.in(src, 0, v.size());
      call.launch1d("index", "gather_" + type, no, new KernelArgs().pointer(dsrc).i32(v.outer()).i32(v.mid())
          .i32(v.inner()).pointer(call.upload(indices, indices.length)).i32(indices.length).pointer(dout));
    });
  }

  @Override
  public void scatterAdd(float[] src, int[] indices, AxisView v, float[] out) {
    scatterAdd(src, indices, v, out, "f32");
  }

  @Override
  public void scatterAdd(double[] src, int[] indices, AxisView v, double[] out) {
    scatterAdd(src, indices, v, out, "f64");
  }

  private void scatterAdd(Object src, int[] indices, AxisView v, Object out, String type) {
    checkIndices(indices, v);
    int ns = v.withMid(indices.length).size();
    dev.call(call -> {
      long dout = call.inOut(out, 0, v.size());
      long dsrc = call.in(src, 0, ns);
      call.launch1d("index", "scatter_add_" + type, ns, new KernelArgs().pointer(dsrc)
          .pointer(call.upload(indices, indices.length)).i32(indices.length).i32(v.outer()).i32(v.mid())
          .i32(v.inner()).pointer(dout));
    });
  }
}
