package dev.jattr.kernels.cpu;

import dev.jattr.kernels.WindowGeometry;

/** Package-private validated dimensions of a pooling operation, with per-axis tap counts. */
final class PoolDims {
  final int planes;
  final Window3 win;
  final int inS;
  final int outS;

  PoolDims(int[] xShape, int[] yShape, WindowGeometry g) {
    if (g == null) {
      throw new IllegalArgumentException("geometry is null");
    }
    int r = g.rank();
    int[] xs = Window3.spatial(xShape, r, "xShape");
    int[] ys = Window3.spatial(yShape, r, "yShape");
    if (xShape[0] != yShape[0] || xShape[1] != yShape[1]) {
      throw new IllegalArgumentException("batch/channel mismatch between xShape and yShape");
    }
    if (xShape[0] < 0 || xShape[1] < 0) {
      throw new IllegalArgumentException("negative batch or channel count");
    }
    planes = xShape[0] * xShape[1];
    win = new Window3(g, xs, ys);
    inS = win.inSize();
    outS = win.outSize();
  }

  /**
   * Number of taps {@code start + t*dil}, t in [0, k), that lie in {@code [lo, hi)}.
   */
  static int taps(int start, int k, int dil, int lo, int hi) {
    int count = 0;
    for (int t = 0, p = start; t < k; t++, p += dil) {
      if (p >= lo && p < hi) {
        count++;
      }
    }
    return count;
  }

  /**
   * Average-pool divisor for each output position along one axis: real taps only, or taps in
   * the padded extent {@code [-padBegin, in + padEnd)} when {@code includePad}.
   */
  static int[] axisCounts(int out, int in, int k, int s, int pb, int pe, int dil,
      boolean includePad) {
    int[] c = new int[out];
    for (int o = 0; o < out; o++) {
      int start = o * s - pb;
      c[o] = includePad ? taps(start, k, dil, -pb, in + pe) : taps(start, k, dil, 0, in);
    }
    return c;
  }

  /** Divisors for every output position (flattened over depth, height, width). */
  int[] divisors(boolean includePad) {
    Window3 v = win;
    int[] cd = axisCounts(v.outD, v.inD, v.kD, v.sD, v.pD, v.peD, v.dD, includePad);
    int[] ch = axisCounts(v.outH, v.inH, v.kH, v.sH, v.pH, v.peH, v.dH, includePad);
    int[] cw = axisCounts(v.outW, v.inW, v.kW, v.sW, v.pW, v.peW, v.dW, includePad);
    int[] div = new int[outS];
    int i = 0;
    for (int od = 0; od < v.outD; od++) {
      for (int oh = 0; oh < v.outH; oh++) {
        for (int ow = 0; ow < v.outW; ow++) {
          div[i++] = cd[od] * ch[oh] * cw[ow];
        }
      }
    }
    return div;
  }

  /** Scalar steps of one pass, for the parallel threshold. */
  long work() {
    return (long) planes * outS * win.kSize();
  }
}
