package dev.jattr.kernels.cpu;

import dev.jattr.kernels.WindowGeometry;

/**
 * A window geometry together with input and output spatial extents, canonicalised to three
 * spatial dimensions (depth, height, width) by prepending unit dimensions with a unit kernel,
 * unit stride, no padding and unit dilation. Package-private helper shared by the kernels.
 */
final class Window3 {
  final int inD;
  final int inH;
  final int inW;
  final int outD;
  final int outH;
  final int outW;
  final int kD;
  final int kH;
  final int kW;
  final int sD;
  final int sH;
  final int sW;
  final int pD;
  final int pH;
  final int pW;
  final int peD;
  final int peH;
  final int peW;
  final int dD;
  final int dH;
  final int dW;

  /**
   * Builds the canonical form.
   *
   * @param g window geometry of rank 1, 2 or 3
   * @param inSpatial input spatial extents (length = rank)
   * @param outSpatial output spatial extents (length = rank)
   */
  Window3(WindowGeometry g, int[] inSpatial, int[] outSpatial) {
    int r = g.rank();
    if (r < 1 || r > 3) {
      throw new IllegalArgumentException("spatial rank must be 1, 2 or 3, got " + r);
    }
    if (inSpatial.length != r || outSpatial.length != r) {
      throw new IllegalArgumentException("shape rank does not match the window rank " + r);
    }
    int[] in = pad3(inSpatial, 1);
    int[] out = pad3(outSpatial, 1);
    int[] k = pad3(g.kernel(), 1);
    int[] s = pad3(g.strides(), 1);
    int[] dl = pad3(g.dilations(), 1);
    int[] pads = g.pads();
    int[] pb = new int[3];
    int[] pe = new int[3];
    for (int d = 0; d < r; d++) {
      pb[3 - r + d] = pads[d];
      pe[3 - r + d] = pads[r + d];
    }
    for (int d = 0; d < 3; d++) {
      if (in[d] < 1) {
        throw new IllegalArgumentException("input spatial extent must be >= 1, got " + in[d]);
      }
      if (out[d] < 1) {
        throw new IllegalArgumentException("output spatial extent must be >= 1, got " + out[d]);
      }
    }
    inD = in[0];
    inH = in[1];
    inW = in[2];
    outD = out[0];
    outH = out[1];
    outW = out[2];
    kD = k[0];
    kH = k[1];
    kW = k[2];
    sD = s[0];
    sH = s[1];
    sW = s[2];
    pD = pb[0];
    pH = pb[1];
    pW = pb[2];
    peD = pe[0];
    peH = pe[1];
    peW = pe[2];
    dD = dl[0];
    dH = dl[1];
    dW = dl[2];
  }

  private static int[] pad3(int[] a, int fill) {
    int[] r = {fill, fill, fill};
    System.arraycopy(a, 0, r, 3 - a.length, a.length);
    return r;
  }

  /** Number of input spatial positions. */
  int inSize() {
    return inD * inH * inW;
  }

  /** Number of output spatial positions. */
  int outSize() {
    return outD * outH * outW;
  }

  /** Number of window taps. */
  int kSize() {
    return kD * kH * kW;
  }

  /** Whether the window is a plain 1x1 pointwise map (output grid equals input grid). */
  boolean isPointwise() {
    return kD == 1 && kH == 1 && kW == 1
        && sD == 1 && sH == 1 && sW == 1
        && pD == 0 && pH == 0 && pW == 0
        && outD == inD && outH == inH && outW == inW;
  }

  /** Returns the spatial part (after batch and channel) of a full NC... shape. */
  static int[] spatial(int[] shape, int rank, String name) {
    if (shape == null || shape.length != rank + 2) {
      throw new IllegalArgumentException(
          name + " must have rank " + (rank + 2) + " (N, C and " + rank + " spatial dims)");
    }
    int[] s = new int[rank];
    System.arraycopy(shape, 2, s, 0, rank);
    return s;
  }

  /** Product of the extents of a shape, checked against overflow. */
  static int size(int[] shape) {
    long p = 1;
    for (int v : shape) {
      if (v < 0) {
        throw new IllegalArgumentException("negative extent in shape");
      }
      p *= v;
      if (p > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("tensor too large for a Java array");
      }
    }
    return (int) p;
  }

  /** Checks an array holds at least the elements a shape describes. */
  static void checkLength(int length, int[] shape, String name) {
    int need = size(shape);
    if (length < need) {
      throw new IllegalArgumentException(
          name + " has " + length + " elements but its shape needs " + need);
    }
  }
}
