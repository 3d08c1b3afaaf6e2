package dev.jattr.kernels.cpu;

import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.IndexKernels;

/** {@link IndexKernels} on the CPU: a gather copies runs of {@code inner} elements in bulk. */
final class CpuIndex implements IndexKernels {
  @Override
  public void gather(float[] src, AxisView v, int[] indices, float[] out) {
    gatherRuns(src, src.length, v, indices, out, out.length);
  }

  @Override
  public void gather(double[] src, AxisView v, int[] indices, double[] out) {
    gatherRuns(src, src.length, v, indices, out, out.length);
  }

  /** Gather of any primitive array: each (o, j) is one {@link System#arraycopy} of a run of inner. */
  private static void gatherRuns(Object src, int srcLength, AxisView v, int[] indices, Object out, int outLength) {
    check(srcLength, v, indices, outLength);
    int mid = v.mid(), inner = v.inner(), k = indices.length;
    for (int o = 0; o < v.outer(); o++) {
      for (int j = 0; j < k; j++) {
        System.arraycopy(src, (o * mid + indices[j]) * inner, out, (o * k + j) * inner, inner);
      }
    }
  }

  @Override
  public void scatterAdd(float[] src, int[] indices, AxisView v, float[] out) {
    check(out.length, v, indices, src.length);
    int mid = v.mid(), inner = v.inner(), k = indices.length;
    for (int o = 0; o < v.outer(); o++) {
      for (int j = 0; j < k; j++) {
        int from = (o * k + j) * inner, to = (o * mid + indices[j]) * inner;
        for (int i = 0; i < inner; i++) {
          out[to + i] += src[from + i];
        }
      }
    }
  }

  @Override
  public void scatterAdd(double[] src, int[] indices, AxisView v, double[] out) {
    check(out.length, v, indices, src.length);
    int mid = v.mid(), inner = v.inner(), k = indices.length;
    for (int o = 0; o < v.outer(); o++) {
      for (int j = 0; j < k; j++) {
        int from = (o * k + j) * inner, to = (o * mid + indices[j]) * inner;
        for (int i = 0; i < inner; i++) {
          out[to + i] += src[from + i];
        }
      }
    }
  }

  /** Checks the lengths of the view's array and the indexed array, and every index. */
  private static void check(int viewLength, AxisView v, int[] indices, int indexedLength) {
    if (viewLength < v.size() || indexedLength < v.withMid(indices.length).size()) {
      throw new IllegalArgumentException("arrays of " + viewLength + " and " + indexedLength
          + " elements for the view " + v + " indexed by " + indices.length);
    }
    for (int j = 0; j < indices.length; j++) {
      if (indices[j] < 0 || indices[j] >= v.mid()) {
        throw new IndexOutOfBoundsException("index " + indices[j] + " at " + j + " is outside [0, " + v.mid() + ")");
      }
    }
  }
}
