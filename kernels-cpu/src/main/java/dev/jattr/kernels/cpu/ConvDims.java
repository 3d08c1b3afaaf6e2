package dev.jattr.kernels.cpu;

import dev.jattr.kernels.WindowGeometry;

/** Package-private validated dimensions of a grouped convolution. */
final class ConvDims {
  final int batch;
  final int inChannels;
  final int outChannels;
  final int group;
  final int cg;
  final int mg;
  final Window3 win;
  final int inS;
  final int outS;
  final int taps;
  /** Rows of the unfolded input per group: cg × taps. */
  final int kRows;

  ConvDims(int[] xShape, int[] wShape, int[] yShape, WindowGeometry g, int group) {
    if (g == null) {
      throw new IllegalArgumentException("geometry is null");
    }
    int r = g.rank();
    int[] xs = Window3.spatial(xShape, r, "xShape");
    int[] ys = Window3.spatial(yShape, r, "yShape");
    int[] ws = Window3.spatial(wShape, r, "wShape");
    if (group < 1) {
      throw new IllegalArgumentException("group must be >= 1, got " + group);
    }
    batch = xShape[0];
    inChannels = xShape[1];
    outChannels = wShape[0];
    if (yShape[0] != batch) {
      throw new IllegalArgumentException("batch mismatch: x " + batch + ", y " + yShape[0]);
    }
    if (yShape[1] != outChannels) {
      throw new IllegalArgumentException(
          "output channels mismatch: y " + yShape[1] + ", w " + outChannels);
    }
    if (inChannels % group != 0 || outChannels % group != 0) {
      throw new IllegalArgumentException("channels " + inChannels + " and " + outChannels
          + " must be divisible by group " + group);
    }
    if (wShape[1] * group != inChannels) {
      throw new IllegalArgumentException("w has " + wShape[1] + " input channels per group, x has "
          + inChannels + " channels in " + group + " groups");
    }
    for (int d = 0; d < r; d++) {
      if (ws[d] != g.kernel(d)) {
        throw new IllegalArgumentException("w spatial extent " + ws[d] + " differs from kernel "
            + g.kernel(d) + " in dimension " + d);
      }
    }
    if (batch < 0 || inChannels < 1 || outChannels < 1) {
      throw new IllegalArgumentException("bad batch or channel count");
    }
    this.group = group;
    cg = inChannels / group;
    mg = outChannels / group;
    win = new Window3(g, xs, ys);
    inS = win.inSize();
    outS = win.outSize();
    taps = win.kSize();
    kRows = cg * taps;
  }

  void checkArrays(int xLen, int wLen, int yLen, int[] xShape, int[] wShape, int[] yShape) {
    Window3.checkLength(xLen, xShape, "x");
    Window3.checkLength(wLen, wShape, "w");
    Window3.checkLength(yLen, yShape, "y");
  }

  /** Total multiply-adds of one pass. */
  long work() {
    return (long) batch * outChannels * kRows * outS;
  }
}
