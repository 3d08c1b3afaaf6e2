package dev.jattr.kernels.cuda;

import dev.jattr.kernels.WindowGeometry;

/**
 * Builds the {@code JattrWindow} struct of {@code jattr_kernels.h}: 25 ints, with a window of
 * spatial rank 1 or 2 padded at the front to three dimensions of extent 1.
 */
final class Windows {
  /** The struct's length in ints. */
  static final int FIELDS = 25;

  private Windows() {}

  /**
   * The struct of a convolution or pooling.
   *
   * @param xShape input shape [N, C, in...]
   * @param m output channels (pooling: C)
   * @param group groups (pooling: 1)
   * @param yShape output shape [N, M, out...]
   * @param g the window geometry
   * @return the fields in declaration order
   * @throws IllegalArgumentException when the spatial rank is not 1, 2 or 3 or the shapes disagree
   */
  static int[] of(int[] xShape, int m, int group, int[] yShape, WindowGeometry g) {
    int r = g.rank();
    if (r < 1 || r > 3 || xShape.length != r + 2 || yShape.length != r + 2) {
      throw new IllegalArgumentException("the CUDA kernels take windows of spatial rank 1 to 3; got input rank "
          + xShape.length + ", output rank " + yShape.length + ", window rank " + r);
    }
    int[] k = g.kernel(), s = g.strides(), p = g.pads(), d = g.dilations();
    int[] f = new int[FIELDS];
    f[0] = xShape[0];
    f[1] = xShape[1];
    f[2] = m;
    f[3] = group;
    for (int i = 0; i < 3; i++) {
      int sd = i - (3 - r);
      boolean real = sd >= 0;
      f[4 + i] = real ? xShape[2 + sd] : 1;
      f[7 + i] = real ? yShape[2 + sd] : 1;
      f[10 + i] = real ? k[sd] : 1;
      f[13 + i] = real ? s[sd] : 1;
      f[16 + i] = real ? p[sd] : 0;
      f[19 + i] = real ? p[r + sd] : 0;
      f[22 + i] = real ? d[sd] : 1;
    }
    return f;
  }

  /**
   * The element count of a shape.
   *
   * @param shape the shape
   * @return the product of its extents
   * @throws IllegalArgumentException when it exceeds 2^31 - 1
   */
  static int size(int[] shape) {
    long n = 1;
    for (int e : shape) {
      n *= e;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a shape of more than 2^31 - 1 elements");
    }
    return (int) n;
  }
}
