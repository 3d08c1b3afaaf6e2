package dev.jattr.kernels;

/**
 * Grouped N-d convolution (ONNX {@code Conv}, a cross-correlation) with spatial rank 1, 2 or 3,
 * and its two adjoints; depthwise and grouped convolutions included.
 *
 * <p>Layouts: {@code x[N, C, in...]}, {@code w[M, C/group, k...]}, {@code y[N, M, out...]}, all
 * row-major. Output extents are taken from {@code yShape} as given; window taps that fall outside
 * the input are zero padding. {@link #backwardData} therefore also serves as ConvTranspose's
 * forward (with {@code output_padding}, by passing the larger {@code xShape}), and
 * {@link #forward} as its data gradient. Implementations are thread-safe for distinct outputs.
 */
public interface ConvKernels {
  /**
   * y = conv(x, w) + bias (bias may be null); y overwritten.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param w weights
   * @param wShape weight shape [M, C/group, k...]
   * @param bias per-output-channel bias of length M, or null
   * @param g window geometry
   * @param group number of groups
   * @param y output, overwritten
   * @param yShape output shape [N, M, out...]
   */
  void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g, int group,
      float[] y, int[] yShape);

  /**
   * y = f(conv(x, w) + bias), the activation applied as each output block is produced rather than
   * in a second pass over y. The default runs {@link #forward} and then {@link Activation#apply}
   * element by element; a backend overrides it with a fused kernel.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param w weights
   * @param wShape weight shape [M, C/group, k...]
   * @param bias per-output-channel bias of length M, or null
   * @param g window geometry
   * @param group number of groups
   * @param f the activation
   * @param alpha the activation's α
   * @param beta the activation's β
   * @param y output, overwritten
   * @param yShape output shape [N, M, out...]
   */
  default void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g,
      int group, Activation f, float alpha, float beta, float[] y, int[] yShape) {
    forward(x, xShape, w, wShape, bias, g, group, y, yShape);
    long n = 1;
    for (int e : yShape) {
      n *= e;
    }
    for (int i = 0; i < n; i++) {
      y[i] = (float) f.apply(y[i], alpha, beta);
    }
  }

  /**
   * y = f(conv(x, w) + bias) written into channels [channel, channel + M) of a larger output
   * [N, channels, out...], the other channels left as they are: a convolution whose output is
   * one part of a concatenation along the channel axis produces that part in place, so the
   * concatenation copies nothing. The default runs {@link #forward(float[], int[], float[],
   * int[], float[], WindowGeometry, int, Activation, float, float, float[], int[])} (or, with
   * {@code f} null, the plain forward) into a buffer of its own and copies each sample's block;
   * a backend overrides it to write in place.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param w weights
   * @param wShape weight shape [M, C/group, k...]
   * @param bias per-output-channel bias of length M, or null
   * @param g window geometry
   * @param group number of groups
   * @param f the activation, or null for none
   * @param alpha the activation's α
   * @param beta the activation's β
   * @param y the whole output; only this convolution's channels are written
   * @param yShape the whole output's shape [N, channels, out...]
   * @param channel the first of this convolution's channels in y
   */
  default void forwardInto(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g,
      int group, Activation f, float alpha, float beta, float[] y, int[] yShape, int channel) {
    int m = wShape[0];
    if (channel < 0 || channel + m > yShape[1]) {
      throw new IllegalArgumentException("channels [" + channel + ", " + (channel + m) + ") are not inside the "
          + yShape[1] + " of the output");
    }
    int[] own = yShape.clone();
    own[1] = m;
    int plane = 1;
    for (int d = 2; d < yShape.length; d++) {
      plane *= yShape[d];
    }
    float[] part = new float[yShape[0] * m * plane];
    if (f == null) {
      forward(x, xShape, w, wShape, bias, g, group, part, own);
    } else {
      forward(x, xShape, w, wShape, bias, g, group, f, alpha, beta, part, own);
    }
    for (int n = 0; n < yShape[0]; n++) {
      System.arraycopy(part, n * m * plane, y, (n * yShape[1] + channel) * plane, m * plane);
    }
  }
  /**
   * y = maxpool(f(conv(x, w) + bias)), the max pooling of 2-d windows taken over the
   * convolution's output (no indices), where the backend has a kernel that pools each sample's
   * output as it makes it, so that the unpooled output is never written whole (an image model's
   * stem and the pooling after it). Returns false, doing nothing, where it has none for this
   * convolution and pooling; the caller then runs the two one after the other. False by default.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param w weights
   * @param wShape weight shape [M, C/group, k...]
   * @param bias per-output-channel bias of length M, or null
   * @param g the convolution's window geometry
   * @param group number of groups
   * @param f the activation, or null for none
   * @param alpha the activation's α
   * @param beta the activation's β
   * @param convShape the convolution's output shape [N, M, out...]
   * @param pool the pooling's window geometry over the convolution's output
   * @param y pooled output, overwritten
   * @param yShape pooled shape [N, M, pooled...]
   * @return whether it ran
   */
  default boolean forwardMaxPooled(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g,
      int group, Activation f, float alpha, float beta, int[] convShape, WindowGeometry pool, float[] y,
      int[] yShape) {
    return false;
  }


  /**
   * gx = dL/dx given gy = dL/dy; gx overwritten.
   *
   * @param gy output gradient
   * @param yShape output shape [N, M, out...]
   * @param w weights
   * @param wShape weight shape [M, C/group, k...]
   * @param g window geometry
   * @param group number of groups
   * @param gx input gradient, overwritten
   * @param xShape input shape [N, C, in...]
   */
  void backwardData(float[] gy, int[] yShape, float[] w, int[] wShape, WindowGeometry g, int group, float[] gx,
      int[] xShape);

  /**
   * gw = dL/dw given gy = dL/dy; gw overwritten.
   *
   * @param gy output gradient
   * @param yShape output shape [N, M, out...]
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param group number of groups
   * @param gw weight gradient, overwritten
   * @param wShape weight shape [M, C/group, k...]
   */
  void backwardWeight(float[] gy, int[] yShape, float[] x, int[] xShape, WindowGeometry g, int group, float[] gw,
      int[] wShape);

  /**
   * Double forward; see the float overload.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param w weights
   * @param wShape weight shape [M, C/group, k...]
   * @param bias per-output-channel bias of length M, or null
   * @param g window geometry
   * @param group number of groups
   * @param y output, overwritten
   * @param yShape output shape [N, M, out...]
   */
  void forward(double[] x, int[] xShape, double[] w, int[] wShape, double[] bias, WindowGeometry g, int group,
      double[] y, int[] yShape);

  /**
   * Double data gradient; see the float overload.
   *
   * @param gy output gradient
   * @param yShape output shape [N, M, out...]
   * @param w weights
   * @param wShape weight shape [M, C/group, k...]
   * @param g window geometry
   * @param group number of groups
   * @param gx input gradient, overwritten
   * @param xShape input shape [N, C, in...]
   */
  void backwardData(double[] gy, int[] yShape, double[] w, int[] wShape, WindowGeometry g, int group, double[] gx,
      int[] xShape);

  /**
   * Double weight gradient; see the float overload.
   *
   * @param gy output gradient
   * @param yShape output shape [N, M, out...]
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param group number of groups
   * @param gw weight gradient, overwritten
   * @param wShape weight shape [M, C/group, k...]
   */
  void backwardWeight(double[] gy, int[] yShape, double[] x, int[] xShape, WindowGeometry g, int group,
      double[] gw, int[] wShape);
}
