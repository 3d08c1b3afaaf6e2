package dev.jattr.kernels.cpu;

import dev.jattr.kernels.CopyKernels;
import java.util.Arrays;

/**
 * {@link CopyKernels} on the CPU. A strided copy walks the rows of the last dimension with an
 * odometer over the others; a row whose elements are adjacent in the source is one
 * {@link System#arraycopy}.
 */
final class CpuCopy implements CopyKernels {
  /** One row of the last dimension: where it starts in the source and in the destination. */
  @FunctionalInterface
  private interface RowBody {
    void run(int src, int dst);
  }

  /**
   * {@inheritDoc} Rows are copied in parallel, in blocks of rows, once the view holds
   * {@code 2·COPY_PIECE} elements or more: ShuffleNet's channel shuffles, transposes of batch-50
   * activations, had run row by row on one thread.
   */
  @Override
  public void copy(float[] src, int srcOff, int[] srcStrides, int[] shape, float[] dst, int dstOff) {
    int len = rowLength(shape), stride = rowStride(srcStrides);
    long rows = rows(srcStrides, shape);
    if (rows > 1 && rows * len >= 2L * COPY_PIECE && rows <= Integer.MAX_VALUE && Par.threads() > 1) {
      Par.forRange((int) rows, true, (r0, r1) ->
          copyRows(src, srcOff, srcStrides, shape, r0, r1 - r0, dst, dstOff + r0 * len, len, stride));
      return;
    }
    copyRows(src, srcOff, srcStrides, shape, 0, rows, dst, dstOff, len, stride);
  }

  /** Rows of the view: the product of all extents but the last, after checking the strides and extents. */
  private static long rows(int[] strides, int[] shape) {
    if (strides.length != shape.length) {
      throw new IllegalArgumentException("strides " + Arrays.toString(strides) + " do not match shape "
          + Arrays.toString(shape));
    }
    long rows = 1;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] < 0) {
        throw new IllegalArgumentException("negative extent in shape " + Arrays.toString(shape));
      }
      rows *= d < shape.length - 1 ? shape[d] : 1;
    }
    return rows;
  }

  /**
   * {@code count} rows of the view (first element at {@code srcOff}) from row {@code first} on,
   * into dst from {@code dstOff}: adjacent elements by {@link System#arraycopy}, a repeated one by
   * a fill, others element by element.
   */
  private static void copyRows(float[] src, int srcOff, int[] strides, int[] shape, long first, long count,
      float[] dst, int dstOff, int len, int stride) {
    if (len == 0 || count == 0) {
      return;
    }
    int outer = shape.length - 1;
    int[] idx = new int[Math.max(0, outer)];
    int s = srcOff;
    for (int k = outer - 1, r = (int) first; k >= 0; k--) {
      idx[k] = r % shape[k];
      s += idx[k] * strides[k];
      r /= shape[k];
    }
    for (long r = 0, d = dstOff; r < count; r++, d += len) {
      if (stride == 1) {
        System.arraycopy(src, s, dst, (int) d, len);
      } else if (stride == 0) {
        Arrays.fill(dst, (int) d, (int) d + len, src[s]);
      } else {
        for (int i = 0; i < len; i++) {
          dst[(int) d + i] = src[s + i * stride];
        }
      }
      s = nextRow(idx, shape, strides, s);
    }
  }

  @Override
  public void copy(double[] src, int srcOff, int[] srcStrides, int[] shape, double[] dst, int dstOff) {
    int len = rowLength(shape), stride = rowStride(srcStrides);
    forEachRow(src, srcOff, srcStrides, shape, dst, dstOff, (s, d) -> {
      for (int i = 0; i < len; i++) {
        dst[d + i] = src[s + i * stride];
      }
    });
  }

  /**
   * Pieces a row copy is cut into for the threads: memory moves at a few bytes per cycle, so a
   * piece of this many floats outweighs a hand-off.
   */
  static final int COPY_PIECE = 1 << 14;

  /**
   * {@inheritDoc} Large blocks are cut into pieces of at least {@link #COPY_PIECE} floats, rows
   * split along their length where there are fewer rows than threads, and copied in parallel.
   */
  @Override
  public void copyRows(float[] src, int srcOff, int srcRow, float[] dst, int dstOff, int dstRow, int rows,
      int len) {
    if (rows <= 0 || len <= 0) {
      return;
    }
    if ((long) srcOff + (long) (rows - 1) * srcRow + len > src.length || srcOff < 0
        || (long) dstOff + (long) (rows - 1) * dstRow + len > dst.length || dstOff < 0) {
      throw new IllegalArgumentException("a block of " + rows + " rows of " + len + " does not fit its arrays");
    }
    // rows fewer than the threads' chunks are cut along their length, in pieces of COPY_PIECE or more
    int pieces = Math.max(1, Math.min(len / COPY_PIECE, 4 * Par.threads() / rows));
    int piece = (len + pieces - 1) / pieces;
    Par.forRange(rows * pieces, (long) rows * len >= 2L * COPY_PIECE, (from, to) -> {
      for (int t = from; t < to; t++) {
        int r = t / pieces;
        int j = t % pieces * piece;
        int n = Math.min(piece, len - j);
        if (n > 0) {
          System.arraycopy(src, srcOff + r * srcRow + j, dst, dstOff + r * dstRow + j, n);
        }
      }
    });
  }

  @Override
  public void cast(float[] src, double[] dst, int n) {
    for (int i = 0; i < n; i++) {
      dst[i] = src[i];
    }
  }

  @Override
  public void cast(double[] src, float[] dst, int n) {
    for (int i = 0; i < n; i++) {
      dst[i] = (float) src[i];
    }
  }

  private static int rowLength(int[] shape) {
    return shape.length == 0 ? 1 : shape[shape.length - 1];
  }

  private static int rowStride(int[] strides) {
    return strides.length == 0 ? 1 : strides[strides.length - 1];
  }

  /**
   * Copies each row of the last dimension in row-major order: a row of adjacent source elements
   * with {@link System#arraycopy}, any other with {@code strided}.
   */
  private static void forEachRow(Object src, int srcOff, int[] strides, int[] shape, Object dst, int dstOff,
      RowBody strided) {
    long rows = rows(strides, shape);
    int outer = shape.length - 1;
    int len = rowLength(shape);
    if (len == 0) {
      return;
    }
    boolean adjacent = rowStride(strides) == 1;
    int[] idx = new int[Math.max(0, outer)];
    int s = srcOff;
    for (long r = 0, d = dstOff; r < rows; r++, d += len) {
      if (adjacent) {
        System.arraycopy(src, s, dst, (int) d, len);
      } else {
        strided.run(s, (int) d);
      }
      s = nextRow(idx, shape, strides, s);
    }
  }

  /**
   * Steps the multi-index {@code idx} over the outer dimensions (all but the last) to the next
   * row in row-major order and returns that row's source offset, given the current one.
   */
  private static int nextRow(int[] idx, int[] shape, int[] strides, int s) {
    for (int k = idx.length - 1; k >= 0; k--) {
      s += strides[k];
      if (++idx[k] < shape[k]) {
        return s;
      }
      s -= strides[k] * shape[k];
      idx[k] = 0;
    }
    return s;
  }
}
