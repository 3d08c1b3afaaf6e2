package dev.jattr.kernels.cpu;

import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.ReduceKernels;
import java.util.Arrays;

/**
 * {@link ReduceKernels} on the CPU. Float sums along a contiguous axis use {@link VectorOps#sum};
 * the rest accumulates in double. Softmax normalises each slice in double; the float version
 * widens its input first (no op calls it on a hot path yet).
 */
final class CpuReduce implements ReduceKernels {
  @Override
  public void sumOverAxis(float[] x, AxisView v, float[] out) {
    check(x.length, v.size(), out.length, v.outer() * v.inner());
    int mid = v.mid(), inner = v.inner();
    if (inner == 1) {
      // rows in parallel: a global mean over a batch of small planes (ShuffleNet's head) is
      // tens of thousands of short sums
      Par.forRange(v.outer(), Par.worthIt(v.outer(), v.size()), (from, to) -> {
        for (int o = from; o < to; o++) {
          out[o] = mid < VectorOps.L ? shortSum(x, o * mid, mid) : VectorOps.sum(x, o * mid, mid);
        }
      });
      return;
    }
    double[] acc = new double[inner];
    for (int o = 0; o < v.outer(); o++) {
      Arrays.fill(acc, 0.0);
      for (int m = 0; m < mid; m++) {
        int off = (o * mid + m) * inner;
        for (int i = 0; i < inner; i++) {
          acc[i] += x[off + i];
        }
      }
      for (int i = 0; i < inner; i++) {
        out[o * inner + i] = (float) acc[i];
      }
    }
  }

  /** A row shorter than a vector, summed in order: the vector sum's lane reduction costs more. */
  private static float shortSum(float[] x, int off, int n) {
    float s = 0f;
    for (int i = off; i < off + n; i++) {
      s += x[i];
    }
    return s;
  }

  @Override
  public void sumOverAxis(double[] x, AxisView v, double[] out) {
    check(x.length, v.size(), out.length, v.outer() * v.inner());
    int mid = v.mid(), inner = v.inner();
    Arrays.fill(out, 0, v.outer() * inner, 0.0);
    for (int o = 0; o < v.outer(); o++) {
      for (int m = 0; m < mid; m++) {
        int off = (o * mid + m) * inner;
        for (int i = 0; i < inner; i++) {
          out[o * inner + i] += x[off + i];
        }
      }
    }
  }

  @Override
  public void sumToAxis(float[] x, AxisView v, float[] out) {
    Elementwise.sumToMid(x, v.outer(), v.mid(), v.inner(), out, true);
  }

  @Override
  public void productToAxis(float[] x, float[] y, AxisView v, float[] out) {
    Elementwise.productToMid(x, y, v.outer(), v.mid(), v.inner(), out);
  }

  @Override
  public void sumToAxis(double[] x, AxisView v, double[] out) {
    check(x.length, v.size(), out.length, v.mid());
    int mid = v.mid(), inner = v.inner();
    Arrays.fill(out, 0, mid, 0.0);
    for (int o = 0; o < v.outer(); o++) {
      for (int m = 0; m < mid; m++) {
        int off = (o * mid + m) * inner;
        double s = 0.0;
        for (int i = 0; i < inner; i++) {
          s += x[off + i];
        }
        out[m] += s;
      }
    }
  }

  /** Normalises in double: the slices are widened into a copy, and the result rounded back. */
  @Override
  public void softmax(float[] x, AxisView v, boolean log, float[] out) {
    check(x.length, v.size(), out.length, v.size());
    double[] wide = new double[v.size()];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = x[i];
    }
    softmax(wide, v, log, wide);
    for (int i = 0; i < wide.length; i++) {
      out[i] = (float) wide[i];
    }
  }

  @Override
  public void softmax(double[] x, AxisView v, boolean log, double[] out) {
    check(x.length, v.size(), out.length, v.size());
    double[] slice = new double[v.mid()];
    forEachSlice(v, (base, stride) -> {
      for (int m = 0; m < slice.length; m++) {
        slice[m] = x[base + m * stride];
      }
      normalise(slice, log);
      for (int m = 0; m < slice.length; m++) {
        out[base + m * stride] = slice[m];
      }
    });
  }

  /** One slice along the axis: its first element and the stride between its elements. */
  @FunctionalInterface
  private interface SliceBody {
    void run(int base, int stride);
  }

  private static void forEachSlice(AxisView v, SliceBody body) {
    for (int o = 0; o < v.outer(); o++) {
      for (int i = 0; i < v.inner(); i++) {
        body.run(o * v.mid() * v.inner() + i, v.inner());
      }
    }
  }

  /** Softmax (or log-softmax) of s in place, shifted by the maximum so exp cannot overflow. */
  private static void normalise(double[] s, boolean log) {
    double max = Double.NEGATIVE_INFINITY;
    for (double e : s) {
      max = Math.max(max, e);
    }
    double sum = 0.0;
    for (double e : s) {
      sum += Math.exp(e - max);
    }
    double logSum = Math.log(sum);
    for (int m = 0; m < s.length; m++) {
      s[m] = log ? s[m] - max - logSum : Math.exp(s[m] - max) / sum;
    }
  }

  private static void check(int inLength, int inSize, int outLength, int outSize) {
    if (inLength < inSize || outLength < outSize) {
      throw new IllegalArgumentException("arrays of " + inLength + " and " + outLength + " elements for a view of "
          + inSize + " reduced to " + outSize);
    }
  }
}
