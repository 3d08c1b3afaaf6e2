package dev.jattr.kernels.cuda;

import dev.jattr.kernels.CopyKernels;
import dev.jattr.kernels.cuda.driver.KernelArgs;

/**
 * Strided copies and casts on the GPU ({@code copy.cu}). Only the span of the source the view
 * touches travels to the device; views of rank above 8 (which the kernel's struct cannot hold)
 * are copied on the host.
 */
final class CudaCopy implements CopyKernels {
  /** The highest rank of {@code JattrStrided}. */
  static final int MAX_RANK = 8;

  private final CudaDevice dev;

  CudaCopy(CudaDevice dev) {
    this.dev = dev;
  }

  /**
   * The {@code JattrStrided} struct: rank, then 8 extents, then 8 strides.
   *
   * @param shape the view's shape
   * @param strides its strides
   * @return the 17 fields
   */
  static int[] strided(int[] shape, int[] strides) {
    int[] f = new int[1 + 2 * MAX_RANK];
    f[0] = shape.length;
    System.arraycopy(shape, 0, f, 1, shape.length);
    System.arraycopy(strides, 0, f, 1 + MAX_RANK, strides.length);
    return f;
  }

  /**
   * The first and last source offsets a strided view reads.
   *
   * @return {lowest, highest}
   */
  static long[] span(int srcOff, int[] srcStrides, int[] shape) {
    long lo = srcOff, hi = srcOff;
    for (int d = 0; d < shape.length; d++) {
      long reach = (long) (shape[d] - 1) * srcStrides[d];
      if (reach < 0) {
        lo += reach;
      } else {
        hi += reach;
      }
    }
    return new long[] {lo, hi};
  }

  private static void check(int[] srcStrides, int[] shape) {
    if (srcStrides.length != shape.length) {
      throw new IllegalArgumentException("strides of rank " + srcStrides.length + " for a shape of rank "
          + shape.length);
    }
  }

  @Override
  public void copy(float[] src, int srcOff, int[] srcStrides, int[] shape, float[] dst, int dstOff) {
    copy(src, srcOff, srcStrides, shape, dst, dstOff, "strided_copy_f32", Float.BYTES);
  }

  @Override
  public void copy(double[] src, int srcOff, int[] srcStrides, int[] shape, double[] dst, int dstOff) {
    copy(src, srcOff, srcStrides, shape, dst, dstOff, "strided_copy_f64", Double.BYTES);
  }

  private void copy(Object src, int srcOff, int[] srcStrides, int[] shape, Object dst, int dstOff, String kernel,
      int elem) {
    check(srcStrides, shape);
    int n = Windows.size(shape);
    if (n == 0) {
      return;
    }
    if (shape.length > MAX_RANK) {
      hostCopy(src, srcOff, srcStrides, shape, dst, dstOff, n);
      return;
    }
    long[] span = span(srcOff, srcStrides, shape);
    int lo = (int) span[0], len = (int) (span[1] - span[0] + 1);
    dev.call(call -> {
      long dsrc = call.in(src, lo, len);
      long ddst = call.out(dst, dstOff, n);
      call.launch1d("copy", kernel, n, new KernelArgs().pointer(dsrc + (long) elem * (srcOff - lo))
          .struct(strided(shape, srcStrides)).pointer(ddst).i32(n));
    });
  }

  private static void hostCopy(Object src, int srcOff, int[] strides, int[] shape, Object dst, int dstOff, int n) {
    int[] idx = new int[shape.length];
    for (int i = 0; i < n; i++) {
      long at = srcOff;
      for (int d = 0; d < shape.length; d++) {
        at += (long) idx[d] * strides[d];
      }
      System.arraycopy(src, (int) at, dst, dstOff + i, 1);
      for (int d = shape.length - 1; d >= 0 && ++idx[d] == shape[d]; d--) {
        idx[d] = 0;
      }
    }
  }

  /**
   * Rows copied on the device ({@code copy_rows_f32}); the gaps between destination rows keep
   * their values. Rows read backwards or written over each other take the default, host, copy.
   */
  @Override
  public void copyRows(float[] src, int srcOff, int srcRow, float[] dst, int dstOff, int dstRow, int rows, int len) {
    if (rows <= 0 || len <= 0) {
      return;
    }
    if (srcRow < 0 || dstRow < len) {
      CopyKernels.super.copyRows(src, srcOff, srcRow, dst, dstOff, dstRow, rows, len);
      return;
    }
    int srcSpan = Math.toIntExact((long) (rows - 1) * srcRow + len);
    int dstSpan = Math.toIntExact((long) (rows - 1) * dstRow + len);
    dev.call(call -> {
      long s = call.in(src, srcOff, srcSpan);
      // with gaps between its rows the destination's span goes up and back as a whole
      long d = dstRow == len ? call.out(dst, dstOff, dstSpan) : call.inOut(dst, dstOff, dstSpan);
      call.launch1d("copy", "copy_rows_f32", (long) rows * len,
          new KernelArgs().pointer(s).i32(srcRow).pointer(d).i32(dstRow).i32(rows).i32(len));
    });
  }

  @Override
  public void cast(float[] src, double[] dst, int n) {
    cast(src, dst, n, "cast_f32_f64");
  }

  @Override
  public void cast(double[] src, float[] dst, int n) {
    cast(src, dst, n, "cast_f64_f32");
  }

  private void cast(Object src, Object dst, int n, String kernel) {
    dev.call(call -> {
      long ddst = call.out(dst, 0, n);
      call.launch1d("copy", kernel, n, new KernelArgs().pointer(call.in(src, 0, n)).pointer(ddst).i32(n));
    });
  }
}
