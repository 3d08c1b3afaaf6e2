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

  private static KernelArgs gatherArgs(long src, AxisView v, long idx, int nidx, long out) {
    return new KernelArgs().pointer(src).i32(v.outer()).i32(v.mid()).i32(v.inner()).pointer(idx).i32(nidx)
        .pointer(out);
  }

  private static KernelArgs scatterArgs(long src, long idx, int nidx, AxisView v, long out) {
    return new KernelArgs().pointer(src).pointer(idx).i32(nidx).i32(v.outer()).i32(v.mid()).i32(v.inner())
        .pointer(out);
  }

  @Override
  public void gather(float[] src, AxisView v, int[] indices, float[] out) {
    checkIndices(indices, v);
    int no = v.withMid(indices.length).size();
    dev.call(call -> {
      long dout = call.out(out, 0, no);
      call.launch1d("index", "gather_f32", no, gatherArgs(call.in(src, 0, v.size()), v,
          call.upload(indices, indices.length), indices.length, dout));
    });
  }

  @Override
  public void gather(double[] src, AxisView v, int[] indices, double[] out) {
    checkIndices(indices, v);
    int no = v.withMid(indices.length).size();
    dev.call(call -> {
      long dout = call.out(out, 0, no);
      call.launch1d("index", "gather_f64", no, gatherArgs(call.in(src, 0, v.size()), v,
          call.upload(indices, indices.length), indices.length, dout));
    });
  }

  @Override
  public void scatterAdd(float[] src, int[] indices, AxisView v, float[] out) {
    checkIndices(indices, v);
    int ns = v.withMid(indices.length).size();
    dev.call(call -> {
      long dout = call.inOut(out, 0, v.size());
      call.launch1d("index", "scatter_add_f32", ns, scatterArgs(call.in(src, 0, ns),
          call.upload(indices, indices.length), indices.length, v, dout));
    });
  }

  @Override
  public void scatterAdd(double[] src, int[] indices, AxisView v, double[] out) {
    checkIndices(indices, v);
    int ns = v.withMid(indices.length).size();
    dev.call(call -> {
      long dout = call.inOut(out, 0, v.size());
      call.launch1d("index", "scatter_add_f64", ns, scatterArgs(call.in(src, 0, ns),
          call.upload(indices, indices.length), indices.length, v, dout));
    });
  }
}
