package dev.jattr.kernels.cpu;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.WindowGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Grouped N-d convolution (ONNX {@code Conv}, a cross-correlation) with spatial rank 1, 2 or 3,
 * and its two adjoints.
 *
 * <p>Layouts: {@code x[N, C, in...]}, {@code w[M, C/group, k...]}, {@code y[N, M, out...]}, all
 * row-major. Output extents are taken from {@code yShape} as given; window taps that fall outside
 * the input are zero padding. {@link #backwardData} therefore also serves as ConvTranspose's
 * forward (including {@code output_padding}, by passing the larger {@code xShape}).
 *
 * <p>Depthwise convolutions (one input and one output channel per group) run a direct kernel
 * over each plane; so do windows with few taps in all (the stems, {@link StemConv}). Otherwise the kernels unfold the input (im2col) per sample and group and
 * multiply by the weights ({@link MatMul} for float, a blocked Vector API product for double);
 * independent (sample, group) pairs run in parallel on the common pool when the work is large.
 * The unfold buffer is per-thread {@link Scratch}, taken for one range of pairs and handed back. A
 * scalar double reference that follows the definition is kept apart for the tests. All methods
 * are stateless and thread-safe for distinct output arrays.
 */
public final class Conv {
  private Conv() {}

  // ---------------------------------------------------------------- float

  /**
   * y[N, M, out...] = conv(x[N, C, in...], w[M, C/group, k...]) + bias[M] (bias may be null);
   * cross-correlation as ONNX Conv; spatial rank 1, 2 or 3; y overwritten.
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
  public static void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias,
      WindowGeometry g, int group, float[] y, int[] yShape) {
    forward(x, xShape, w, wShape, bias, g, group, null, 0f, 0f, y, yShape);
  }

  /**
   * y = f(conv(x, w) + bias), fused: each (sample, group) block of y gets its activation right
   * after its matrix product, while it is still in cache; depthwise output gets it in one pass.
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
   * @param y output, overwritten
   * @param yShape output shape [N, M, out...]
   */
  public static void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias,
      WindowGeometry g, int group, Activation f, float alpha, float beta, float[] y,
      int[] yShape) {
    ConvDims d = new ConvDims(xShape, wShape, yShape, g, group);
    d.checkArrays(x.length, w.length, y.length, xShape, wShape, yShape);
    checkBias(bias == null ? -1 : bias.length, d);
    forward(x, w, bias, d, f, alpha, beta, y, d.outChannels * d.outS, 0);
  }

  /**
   * y = f(conv(x, w) + bias) into channels [channel, channel + M) of y [N, channels, out...]
   * (yShape), the other channels untouched: the convolution's part of a concatenation along
   * the channel axis, written in place. The matrix-product paths write there directly; the
   * depthwise and stem kernels write a block of their own, copied in.
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
   * @param y the whole output
   * @param yShape the whole output's shape [N, channels, out...]
   * @param channel the first of this convolution's channels in y
   */
  public static void forwardInto(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias,
      WindowGeometry g, int group, Activation f, float alpha, float beta, float[] y,
      int[] yShape, int channel) {
    if (yShape.length < 2 || wShape.length < 1 || channel < 0 || channel + wShape[0] > yShape[1]) {
      throw new IllegalArgumentException("channels from " + channel + " of " + Arrays.toString(wShape)
          + " do not fit an output " + Arrays.toString(yShape));
    }
    int[] own = yShape.clone();
    own[1] = wShape[0];
    ConvDims d = new ConvDims(xShape, wShape, own, g, group);
    Window3.checkLength(x.length, xShape, "x");
    Window3.checkLength(w.length, wShape, "w");
    Window3.checkLength(y.length, yShape, "y");
    checkBias(bias == null ? -1 : bias.length, d);
    forward(x, w, bias, d, f, alpha, beta, y, yShape[1] * d.outS, channel * d.outS);
  }

  /**
   * y = maxpool(f(conv(x, w) + bias)) by a kernel that pools each sample's output as it makes it
   * ({@link StemConv#forwardMaxPooled}, for convolutions with few taps: image models' stems);
   * returns false, doing nothing, for a convolution or a pooling it has no such kernel for.
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
  public static boolean forwardMaxPooled(float[] x, int[] xShape, float[] w, int[] wShape,
      float[] bias, WindowGeometry g, int group, Activation f, float alpha, float beta,
      int[] convShape, WindowGeometry pool, float[] y, int[] yShape) {
    ConvDims d = new ConvDims(xShape, wShape, convShape, g, group);
    Window3.checkLength(x.length, xShape, "x");
    Window3.checkLength(w.length, wShape, "w");
    checkBias(bias == null ? -1 : bias.length, d);
    PoolDims pd = new PoolDims(convShape, yShape, pool);
    Window3.checkLength(y.length, yShape, "y");
    if (!StemConv.applies(d) || !Pool.MaxPlanes.applies(pd.win)) {
      return false;
    }
    StemConv.forwardMaxPooled(x, w, bias, d, f, alpha, beta, pd, y);
    return true;
  }

  /**
   * The forward pass into y, sample n's output channel m at {@code n·yBatch + yBase + m·outS}
   * (yBatch = M·outS and yBase = 0 for an output of its own).
   */
  private static void forward(float[] x, float[] w, float[] bias, ConvDims d, Activation f,
      float alpha, float beta, float[] y, int yBatch, int yBase) {
    boolean own = yBatch == d.outChannels * d.outS && yBase == 0;
    if (!own && (DepthwiseConv.applies(d) || StemConv.applies(d))) {
      float[] part = Scratch.take(d.batch * d.outChannels * d.outS);
      forward(x, w, bias, d, f, alpha, beta, part, d.outChannels * d.outS, 0);
      int block = d.outChannels * d.outS;
      for (int n = 0; n < d.batch; n++) {
        System.arraycopy(part, n * block, y, n * yBatch + yBase, block);
      }
      Scratch.give(part);
      return;
    }
    if (DepthwiseConv.applies(d)) {
      DepthwiseConv.forward(x, w, bias, d, f, alpha, beta, y);
      return;
    }
    if (StemConv.applies(d)) {
      StemConv.forward(x, w, bias, d, f, alpha, beta, y);
      return;
    }
    if (singlePixels(d)) {
      // planes of one pixel (a squeeze-and-excitation block's convolutions): y[N×M] = x[N×C]·wᵀ
      if (bias != null) {
        for (int n = 0; n < d.batch; n++) {
          System.arraycopy(bias, 0, y, n * yBatch + yBase, d.outChannels);
        }
      }
      // wᵀ is gathered column by column into panels on every call (for an SE block at batch 1,
      // most of the product's time): constant weights keep it packed
      float[] wt = keptColumns(w, d.outChannels, d.inChannels);
      if (wt != null) {
        PackedGemm.gemmPackedB(x, 0, d.inChannels, 1, wt, y, yBase, yBatch, d.batch, d.inChannels,
            d.outChannels, bias != null);
      } else {
        PackedGemm.gemm(x, 0, d.inChannels, 1, w, 0, 1, d.inChannels, y, yBase, yBatch,
            d.batch, d.inChannels, d.outChannels, bias != null);
      }
      if (f != null && own) {
        Elementwise.activation(f, y, alpha, beta, y, d.batch * d.outChannels, true);
      } else if (f != null) {
        for (int n = 0; n < d.batch; n++) {
          int at = n * yBatch + yBase;
          Elementwise.activation(f, y, alpha, beta, y, at, at + d.outChannels, true);
        }
      }
      return;
    }
    if (d.batch == 1 && d.group == 1 && transposes(d.outS, d.outChannels)) {
      float[] kept = keptColumns(w, d.outChannels, d.kRows);
      // weights that are not constant are packed for this call: the same sums either way
      float[] wt = kept != null ? kept : columnPanels(w, d.outChannels, d.kRows);
      forwardTransposed(x, d, wt, bias, f, alpha, beta, y, yBase);
      return;
    }
    if (d.group == 1 && d.batch > 1 && d.outS <= SMALL_PLANE && d.outS % PackedGemm.NR != 0) {
      forwardOverTheBatch(x, w, bias, d, f, alpha, beta, y, yBatch, yBase);
      return;
    }
    int tasks = d.batch * d.group;
    boolean outer = tasks >= Par.threads() && Par.worthIt(tasks, d.work());
    boolean pointwise = d.win.isPointwise();
    // samples in parallel, each with the same weights: packed once for all of them (constant
    // weights once for their lifetime, and then for a single sample too)
    boolean panels = d.group == 1 && MatMul.usesPanels(d.mg, d.kRows, d.outS);
    float[] kept = panels ? keptWeights(w, d.mg, d.kRows) : null;
    float[] packed = kept != null ? kept : outer && panels ? packWeights(w, d.mg, d.kRows) : null;
    if (!outer && tasks == 1 && kept != null && (f == null || f == Activation.RELU) && Par.threads() > 1
        && !pointwise && smallPlane(d.win) && samePlane(d.win) && d.outS >= 2 * PackedGemm.NR
        && Par.worthIt(2, d.work())) {
      forwardByColumns(x, d, kept, bias, f == Activation.RELU, y, yBase);
      return;
    }
    Par.forRange(tasks, outer, (from, to) -> {
      float[] col = pointwise ? null : Scratch.take(d.kRows * d.outS);
      for (int t = from; t < to; t++) {
        int n = t / d.group;
        int gi = t % d.group;
        int xOff = (n * d.inChannels + gi * d.cg) * d.inS;
        int yOff = n * yBatch + yBase + gi * d.mg * d.outS;
        if (bias != null && packed == null) {
          for (int m = 0; m < d.mg; m++) {
            int row = yOff + m * d.outS;
            Arrays.fill(y, row, row + d.outS, bias[gi * d.mg + m]);
          }
        }
        float[] src = x;
        int srcOff = xOff;
        if (outer && pointwise && d.mg <= PackedGemm.UNPACKED_B_ROWS && d.cg >= WARMED_STREAMS) {
          warm(x, xOff, d.cg * d.inS);
        }
        // one (sample, group) at a time (a single sample), each step is split over the
        // threads: the unfold by its rows, the product inside MatMul, the activation by channels
        boolean split = !outer && Par.threads() > 1;
        if (!pointwise) {
          if (split && (long) d.kRows * d.outS >= SPLIT_PASS && smallPlane(d.win)) {
            Par.forRange(d.cg, true, (c0, c1) -> im2colChannels(x, xOff, d, col, 0, d.outS, c0, c1));
          } else if (split && (long) d.kRows * d.outS >= SPLIT_PASS) {
            Par.forRange(d.kRows, true, (r0, r1) -> im2col(x, xOff, d, col, 0, d.outS, r0, r1));
          } else {
            im2col(x, xOff, d, col);
          }
          src = col;
          srcOff = 0;
        }
        if (packed != null) {
          // the bias and a ReLU as the product's epilogue: no fill before it, no pass after it
          MatMul.multiplyPacked(packed, d.mg, d.kRows, src, srcOff, y, yOff, d.outS, false,
              !outer, bias, gi * d.mg, f == Activation.RELU);
        } else {
          MatMul.multiply(w, gi * d.mg * d.kRows, false, src, srcOff, false, y, yOff,
              d.mg, d.kRows, d.outS, bias != null, !outer);
        }
        if (f != null && !(packed != null && f == Activation.RELU)) {
          if (split && (long) d.mg * d.outS >= SPLIT_PASS) {
            Par.forRange(d.mg, true, (m0, m1) ->
                Elementwise.activation(f, y, alpha, beta, y, yOff + m0 * d.outS, yOff + m1 * d.outS, true));
          } else {
            Elementwise.activation(f, y, alpha, beta, y, yOff, yOff + d.mg * d.outS, true);
          }
        }
      }
      Scratch.give(col);
    });
    if (packed != kept) {
      Scratch.give(packed);
    }
  }

  /**
   * One sample's "same" convolution (group 1, constant weights packed once) split over the
   * threads by blocks of output columns, each thread unfolding and multiplying its own columns:
   * split step by step (the unfold by channels, the product by rows), every thread read the
   * unfold rows the other had written, from the other core's cache, and SqueezeNet's 3×3
   * convolutions ran slower on two threads than on one. Each output column's sum is the one
   * the whole product computes (over kRows in order, bias first, ReLU last), so the bits are
   * those of the unsplit path. Without an activation or with a ReLU only (the product's
   * epilogue).
   */
  private static void forwardByColumns(float[] x, ConvDims d, float[] packed, float[] bias,
      boolean relu, float[] y, int yBase) {
    int panels = (d.outS + PackedGemm.NR - 1) / PackedGemm.NR;
    int threads = Par.threads();
    int rowPanels = (d.mg + PackedGemm.MR - 1) / PackedGemm.MR;
    if (panels % threads != 0 && panels < 4 * threads && rowPanels >= 2 * threads) {
      // few panels that the threads cannot share evenly (an 11×11 plane's 121 columns are two
      // panels and a third of 25): each thread unfolds the whole plane and multiplies its own
      // block of output channels, the same sums for each element
      Par.forEach(threads, t -> {
        int i0 = rowPanels * t / threads * PackedGemm.MR;
        int i1 = Math.min(d.mg, rowPanels * (t + 1) / threads * PackedGemm.MR);
        float[] col = Scratch.take(d.kRows * d.outS);
        im2colFlat(x, 0, d, col, 0, d.outS, 0, d.cg, 0, d.outS);
        PackedGemm.gemmPacked(packed, d.mg, i0, d.kRows, col, 0, d.outS, 1, y,
            yBase + i0 * d.outS, d.outS, i1 - i0, d.outS, false, bias, i0, relu);
        Scratch.give(col);
      });
      return;
    }
    Par.forRange(panels, true, (p0, p1) -> {
      int j0 = p0 * PackedGemm.NR;
      int j1 = Math.min(d.outS, p1 * PackedGemm.NR);
      int w = j1 - j0;
      float[] col = Scratch.take(d.kRows * w);
      im2colFlat(x, 0, d, col, 0, w, 0, d.cg, j0, j1);
      PackedGemm.gemmPacked(packed, d.mg, 0, d.kRows, col, 0, w, 1, y, yBase + j0, d.outS, d.mg, w,
          false, bias, 0, relu);
      Scratch.give(col);
    });
  }

  /**
   * Output planes up to which one sample's convolution is computed as the transposed product
   * (SqueezeNet's 5×5 planes, 3×3 ones), where it has at least two panels of output channels.
   */
  static final int TRANSPOSED_PLANE = 32;

  /**
   * Larger planes up to which the transposed product is taken where it has at least four panels of
   * output channels: 8×8, so 7×7 and 6×6 planes (the last stages of image models) with many
   * channels. Measured at batch 1, interleaved: EfficientNet-B0 (its 480- and 672-channel
   * expansions on 6×6 planes, which had taken the dot kernel) ran 10 % faster. ShuffleNet's
   * 96-channel convolutions on 6×6 planes gained nothing measurable, and there the product's sums
   * in order over k (the dot kernel sums sixteen lanes apart) moved a feature-ablation parity case
   * from a relative L2 error of 0.0009 to 0.0023 against its tolerance of 0.002; a bound of 144
   * (SqueezeNet's 11×11 planes too) made SqueezeNet 12 % slower.
   */
  static final int WIDE_TRANSPOSED_PLANE = 64;

  /** Whether one sample's convolution with S-pixel planes and M output channels takes the transposed product. */
  private static boolean transposes(int s, int m) {
    return s <= TRANSPOSED_PLANE && m >= 2 * PackedGemm.NR || s <= WIDE_TRANSPOSED_PLANE && m >= 4 * PackedGemm.NR;
  }

  /**
   * Multiply-adds from which the transposed product is split over the threads, below
   * {@link Par#MIN_WORK}: a thread's extra work is packing the small unfold (or the input itself,
   * for a 1×1 convolution) a second time. SqueezeNet's 1×1 expansions on 5×5 planes (410 thousand)
   * ran single-threaded, and its Fire modules there were 8–10 % slower.
   */
  static final long TRANSPOSED_SPLIT_WORK = Par.MIN_WORK / 4;

  /**
   * One sample's convolution with small output planes (group 1, constant weights) as the
   * transposed product yᵀ[S × M] = unfoldᵀ · wᵀ: the plane's S pixels are the product's rows and
   * the M output channels its columns, in whole vectors, where y = w · unfold has a few columns
   * only (SqueezeNet's 5×5 planes: 25) and took the dot kernel at a third of the panel kernel's
   * speed. wᵀ is kept in column panels for the weights' lifetime; blocks of them go to the
   * threads, each unfolding the sample itself. Each output is bias + its sum over kRows in
   * order, as the product over a batch sums it. A ReLU is applied as the outputs are stored;
   * another activation (EfficientNet's SiLU, MobileNet's hard-swish) then over the thread's block
   * of channels of y, by the same kernel as the other paths.
   */
  private static void forwardTransposed(float[] x, ConvDims d, float[] wt, float[] bias,
      Activation f, float alpha, float beta, float[] y, int yBase) {
    boolean relu = f == Activation.RELU;
    int s = d.outS;
    int m = d.outChannels;
    int k = d.kRows;
    int nr = PackedGemm.NR;
    int panels = (m + nr - 1) / nr;
    boolean pointwise = d.win.isPointwise() && d.inS == s;
    // one block of panels per thread: each block unfolds the sample and packs it again
    int tasks = Par.worthIt(panels, d.work(), TRANSPOSED_SPLIT_WORK) ? Math.min(panels, Par.threads()) : 1;
    int per = (panels + tasks - 1) / tasks;
    Par.forEach((panels + per - 1) / per, t -> {
      int q0 = t * per;
      int j0 = q0 * nr;
      int j1 = Math.min(m, (q0 + per) * nr);
      int w = j1 - j0;
      float[] col = pointwise ? x : Scratch.take(k * s);
      if (!pointwise) {
        im2col(x, 0, d, col);
      }
      float[] ct = Scratch.take(s * w);
      if (bias != null) {
        for (int i = 0; i < s; i++) {
          System.arraycopy(bias, j0, ct, i * w, w);
        }
      }
      // the ReLU as the product's epilogue, in vectors: applied in the copy below, a branch per
      // element mispredicted on about half of them
      PackedGemm.gemmPackedB(col, 0, 1, s, wt, q0 * nr * k, ct, 0, w, s, k, w, bias != null, relu);
      for (int j = j0; j < j1; j++) {
        int row = yBase + j * s;
        for (int i = 0, at = j - j0; i < s; i++, at += w) {
          y[row + i] = ct[at];
        }
      }
      if (f != null && !relu) {
        // another activation over this block's channels of y, as the other paths apply it
        Elementwise.activation(f, y, alpha, beta, y, yBase + j0 * s, yBase + j1 * s, true);
      }
      Scratch.give(ct);
      if (!pointwise) {
        Scratch.give(col);
      }
    });
  }

  /**
   * A 1×1 convolution of group 1 on planes of one pixel: a product of the [N, C] input with the
   * weights, one panel-kernel call for the whole batch (each output's sum runs over C in order,
   * whatever N). Per sample it was a one-column product, and over the batch every pixel was
   * gathered with a copy call of its own: 57,600 calls for an SE block at batch 50.
   */
  private static boolean singlePixels(ConvDims d) {
    return d.win.isPointwise() && d.group == 1 && d.outS == 1 && d.inS == 1 && d.batch > 0;
  }

  /** The key of a convolution's weights transposed, wᵀ[k × m], in {@link PackedGemm#packColumns}' panels. */
  private record ColumnPanels(int k, int m) {}

  /**
   * Constant weights w[m×k] transposed into {@link PackedGemm#packColumns}' panels (the B of
   * {@link PackedGemm#gemmPackedB}), once for their lifetime; null for weights not marked
   * constant.
   */
  private static float[] keptColumns(float[] w, int m, int k) {
    return Constants.derived(w, new ColumnPanels(k, m), () -> columnPanels(w, m, k));
  }

  /** w[m×k] transposed into {@link PackedGemm#packColumns}' panels, a new array. */
  private static float[] columnPanels(float[] w, int m, int k) {
    return PackedGemm.packColumns(w, 0, 1, k, k, m);
  }

  /** The key of a convolution's weights w[m × k] packed by {@link PackedGemm#packAll}. */
  private record PackedWeights(int m, int k) {}

  /**
   * Constant weights w[m×k] packed whole for the panel kernel, once for their lifetime; null for
   * weights not marked constant (never hand the array to {@link Scratch}).
   */
  private static float[] keptWeights(float[] w, int m, int k) {
    return Constants.derived(w, new PackedWeights(m, k), () -> {
      float[] packed = new float[PackedGemm.packedSize(m, k)];
      PackedGemm.packAll(w, 0, k, 1, m, k, packed);
      return packed;
    });
  }

  /** w[m×k] packed whole for the panel kernel, in a {@link Scratch} buffer. */
  private static float[] packWeights(float[] w, int m, int k) {
    float[] packed = Scratch.take(PackedGemm.packedSize(m, k));
    PackedGemm.packAll(w, 0, k, 1, m, k, packed);
    return packed;
  }

  /**
   * Elements of a memory pass (an unfold, an activation) from which a single sample's pass is
   * split over the threads: a copy of this size takes tens of microseconds, a hand-off to a
   * spinning worker a few.
   */
  static final long SPLIT_PASS = 1L << 15;

  /**
   * gx = dL/dx given gy = dL/dy (gx overwritten). This is also ConvTranspose's forward.
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
  public static void backwardData(float[] gy, int[] yShape, float[] w, int[] wShape,
      WindowGeometry g, int group, float[] gx, int[] xShape) {
    ConvDims d = new ConvDims(xShape, wShape, yShape, g, group);
    d.checkArrays(gx.length, w.length, gy.length, xShape, wShape, yShape);
    if (DepthwiseConv.applies(d)) {
      DepthwiseConv.backwardData(gy, w, d, gx, true);
      return;
    }
    if (singlePixels(d)) {
      // gx[N×C] = gy[N×M]·w
      PackedGemm.gemm(gy, 0, d.outChannels, 1, w, 0, d.inChannels, 1, gx, 0, d.inChannels,
          d.batch, d.outChannels, d.inChannels, false);
      return;
    }
    if (d.win.isPointwise() && d.group == 1 && d.batch > 1 && d.outS <= SMALL_PLANE
        && d.outS % PackedGemm.NR != 0) {
      pointwiseDataOverTheBatch(gy, w, d, gx);
      return;
    }
    int tasks = d.batch * d.group;
    boolean outer = tasks >= Par.threads() && Par.worthIt(tasks, d.work());
    boolean pointwise = d.win.isPointwise();
    // the dot-product kernel reads rows of op(A) = wᵀ: transpose once, not per sample
    boolean pretransposed = MatMul.usesDot(d.mg, d.outS);
    float[] a = pretransposed ? transposeGroups(w, d) : w;
    Par.forRange(tasks, outer, (from, to) -> {
      float[] col = pointwise ? null : Scratch.take(d.kRows * d.outS);
      for (int t = from; t < to; t++) {
        int n = t / d.group;
        int gi = t % d.group;
        int xOff = (n * d.inChannels + gi * d.cg) * d.inS;
        int yOff = (n * d.outChannels + gi * d.mg) * d.outS;
        int aOff = gi * d.mg * d.kRows;
        if (pointwise) {
          MatMul.multiply(a, aOff, !pretransposed, gy, yOff, false, gx, xOff,
              d.kRows, d.mg, d.outS, false, !outer);
        } else {
          MatMul.multiply(a, aOff, !pretransposed, gy, yOff, false, col, 0,
              d.kRows, d.mg, d.outS, false, !outer);
          Arrays.fill(gx, xOff, xOff + d.cg * d.inS, 0f);
          col2im(col, d, gx, xOff);
        }
      }
      Scratch.give(col);
    });
    if (pretransposed) {
      Scratch.give(a);
    }
  }

  /**
   * gw = dL/dw (overwritten).
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
  public static void backwardWeight(float[] gy, int[] yShape, float[] x, int[] xShape,
      WindowGeometry g, int group, float[] gw, int[] wShape) {
    ConvDims d = new ConvDims(xShape, wShape, yShape, g, group);
    d.checkArrays(x.length, gw.length, gy.length, xShape, wShape, yShape);
    if (d.batch == 0) {
      Arrays.fill(gw, 0, d.outChannels * d.kRows, 0f);
      return;
    }
    if (DepthwiseConv.applies(d)) {
      DepthwiseConv.backwardWeight(gy, x, d, gw, true);
      return;
    }
    boolean outer = d.group >= Par.threads() && Par.worthIt(d.group, d.work());
    boolean pointwise = d.win.isPointwise();
    Par.forRange(d.group, outer, (from, to) -> {
      float[] col = pointwise ? null : Scratch.take(d.kRows * d.outS);
      for (int gi = from; gi < to; gi++) {
        for (int n = 0; n < d.batch; n++) {
          int xOff = (n * d.inChannels + gi * d.cg) * d.inS;
          int yOff = (n * d.outChannels + gi * d.mg) * d.outS;
          float[] src = x;
          int srcOff = xOff;
          if (!pointwise) {
            im2col(x, xOff, d, col);
            src = col;
            srcOff = 0;
          }
          MatMul.multiply(gy, yOff, false, src, srcOff, true, gw, gi * d.mg * d.kRows,
              d.mg, d.outS, d.kRows, n > 0, !outer);
        }
      }
      Scratch.give(col);
    });
  }

  /**
   * Planes at most this large make one product per sample too narrow for the GEMM to run well,
   * unless they fill whole panels of the tile's width (12×12 = 3·48): then the product per sample
   * wastes no columns and skips the gather and scatter (measured at batch 50, 1×1 convolutions
   * at 12×12 1.1–1.7× faster per sample, their data gradients 1.0–3× faster; at 11×11 and 6×6
   * over the batch).
   */
  static final int SMALL_PLANE = 256;

  /**
   * The data gradient of a 1×1 convolution of several samples with small planes as one product
   * over the batch: gy's planes gathered into [M, N·S], wᵀ[C, M] times that into [C, N·S], and
   * scattered back to [N, C, S]: each element is a sum over M in order, as the panel kernel sums.
   */
  private static void pointwiseDataOverTheBatch(float[] gy, float[] w, ConvDims d, float[] gx) {
    int c = d.inChannels, m = d.outChannels, s = d.outS, n = d.batch, ns = n * s;
    float[] buf = Scratch.take(m * ns + c * ns);
    int out = m * ns;
    // the copies run over samples in parallel: each writes its own columns
    boolean parallel = Par.worthIt(n, (long) (m + c) * ns);
    Par.forRange(n, parallel, (from, to) ->
        gatherPlanes(gy, from, to - from, m, s, buf, from * s, ns));
    MatMul.multiply(w, 0, true, buf, 0, false, buf, out, c, m, ns, false, true);
    Par.forRange(n, parallel, (from, to) ->
        scatterPlanes(buf, out + from * s, ns, from, to - from, c, s, gx, c * s, 0));
    Scratch.give(buf);
  }

  /**
   * The planes of samples [b0, b0 + nb) of src [N, C, S] as rows of [C, nb·S] at the start of
   * buf.
   */
  private static void gatherPlanes(float[] src, int b0, int nb, int c, int s, float[] buf) {
    gatherPlanes(src, b0, nb, c, s, buf, 0, nb * s);
  }

  /** As above, channel ch's planes from column {@code off + ch·ld} of buf on. */
  private static void gatherPlanes(float[] src, int b0, int nb, int c, int s, float[] buf,
      int off, int ld) {
    // row by row of buf, each written in order: sample by sample, every row of buf was written
    // a plane at a time (SqueezeNet's batch-50 squeeze convolutions on 5×5 planes, gathering
    // 512 channels, took a third less time when this and scatterPlanes turned)
    for (int ch = 0; ch < c; ch++) {
      for (int b = 0; b < nb; b++) {
        System.arraycopy(src, ((b0 + b) * c + ch) * s, buf, off + ch * ld + b * s, s);
      }
    }
  }

  /**
   * The rows of [C, nb·S] at {@code off} in buf (channel ch's from {@code off + ch·ld} on) back
   * as the planes of samples [b0, b0 + nb): plane (b, ch) of dst at
   * {@code b·dstBatch + dstBase + ch·s} ([N, C, S] when dstBatch = C·S and dstBase = 0).
   */
  private static void scatterPlanes(float[] buf, int off, int ld, int b0, int nb, int c, int s,
      float[] dst, int dstBatch, int dstBase) {
    // row by row of buf, each read in order (see gatherPlanes)
    for (int ch = 0; ch < c; ch++) {
      for (int b = 0; b < nb; b++) {
        System.arraycopy(buf, off + ch * ld + b * s, dst, (b0 + b) * dstBatch + dstBase + ch * s, s);
      }
    }
  }

  /**
   * A convolution of several samples with small planes (group 1) as products over blocks of
   * samples: each block's unfolded input [kRows, B·S] (for 1×1 windows of stride 1 its planes),
   * w[M, kRows] times that into [M, B·S] (bias first, activation after), scattered back to
   * [B, M, S]. Per sample the product would be a few columns wide and take the dot-product kernel;
   * over a block it is wide enough for the panel kernel, whose sums run over kRows in order. The
   * blocks are about {@link #BLOCK_COLUMNS} columns wide or fewer, as {@link #BLOCK_FLOATS}
   * allows for the depth (whole samples, at least one per thread), and run in parallel.
   */
  private static void forwardOverTheBatch(float[] x, float[] w, float[] bias, ConvDims d,
      Activation f, float alpha, float beta, float[] y, int yBatch, int yBase) {
    int s = d.outS, m = d.outChannels, k = d.kRows, n = d.batch;
    boolean planes = d.win.isPointwise() && d.inS == s;
    int columns = Math.max(s, Math.min(BLOCK_COLUMNS, BLOCK_FLOATS / (k + m)));
    // as many blocks as the columns ask for, rounded up to a multiple of the threads, the samples
    // spread evenly over them: blocks of a fixed size left one thread up to a fifth more samples
    // than the other (50 samples in 17 blocks of 3, or 8 of 7 and one of 1)
    int threads = Par.threads();
    long least = Math.max(1, ((long) n * s + columns - 1) / columns);
    int tasks = (int) Math.min(n, (least + threads - 1) / threads * threads);
    int per = (n + tasks - 1) / tasks;
    boolean outer = Par.worthIt(tasks, d.work());
    // blocks in parallel, each with the same weights: packed once for all of them (constant
    // weights once for their lifetime, and then for blocks on one thread too)
    boolean panels = MatMul.usesPanels(m, k, Math.min(n, per) * s);
    float[] kept = panels ? keptWeights(w, m, k) : null;
    float[] packed = kept != null ? kept : outer && panels ? packWeights(w, m, k) : null;
    Par.RangeBody body = (from, to) -> {
      int most = per * s;
      float[] buf = Scratch.take((k + m) * most);
      int out = k * most;
      for (int t = from; t < to; t++) {
        int b0 = (int) ((long) t * n / tasks);
        int nb = (int) ((long) (t + 1) * n / tasks) - b0;
        int ns = nb * s;
        if (planes) {
          gatherPlanes(x, b0, nb, k, s, buf);
        } else {
          for (int b = 0; b < nb; b++) {
            im2col(x, (b0 + b) * d.inChannels * d.inS, d, buf, b * s, ns);
          }
        }
        boolean epilogue = packed != null && (outer || MatMul.usesPanels(m, k, ns));
        if (bias != null && !epilogue) {
          for (int o = 0; o < m; o++) {
            Arrays.fill(buf, out + o * ns, out + (o + 1) * ns, bias[o]);
          }
        }
        if (epilogue) {
          MatMul.multiplyPacked(packed, m, k, buf, 0, buf, out, ns, false, !outer, bias, 0,
              f == Activation.RELU);
        } else {
          MatMul.multiply(w, 0, false, buf, 0, false, buf, out, m, k, ns, bias != null, !outer);
        }
        if (f != null && !(epilogue && f == Activation.RELU)) {
          Elementwise.activation(f, buf, alpha, beta, buf, out, out + m * ns, true);
        }
        scatterPlanes(buf, out, ns, b0, nb, m, s, y, yBatch, yBase);
      }
      Scratch.give(buf);
    };
    // one block per task, taken in turn by the threads as they come free (forRange would group
    // them into chunks, whose number need not divide among the threads)
    if (outer) {
      Par.forEach(tasks, t -> body.run(t, t + 1));
    } else {
      body.run(0, tasks);
    }
    if (packed != kept) {
      Scratch.give(packed);
    }
  }

  /**
   * Input channels from which {@link #forward}'s samples in parallel read a pointwise
   * convolution's input once in order before its product ({@link #warm}).
   */
  static final int WARMED_STREAMS = 32;

  /** Where {@link #warm} leaves what it read, so that the JIT keeps the reads. */
  private static volatile float warmed;

  /**
   * Reads x[off, off + n) once in order, one vector per 64-byte line, into this core's caches.
   * A pointwise convolution's product with few output channels reads its input in place (no
   * packed copy of B), every input channel's plane a stream of its own: 128 streams on a plane of
   * 23×23 pixels, more than the hardware prefetcher follows, so each line came from the shared
   * cache at its latency. One pass in order first brings the sample's planes in at the
   * prefetcher's pace: SqueezeNet's fire4 squeeze (128 → 16 channels, 23×23, batch 50) 2.16 →
   * 1.25 ms. Samples in parallel only: a sample split over the threads is read by both.
   */
  private static void warm(float[] x, int off, int n) {
    FloatVector sum = FloatVector.zero(S);
    for (int i = off, end = off + n - L; i <= end; i += LINE_FLOATS) {
      sum = sum.add(FloatVector.fromArray(S, x, i));
    }
    warmed = sum.lane(0);
  }

  /** Floats per 64-byte cache line. */
  private static final int LINE_FLOATS = 16;

  /** Columns of one block of {@link #forwardOverTheBatch}, at most. */
  static final int BLOCK_COLUMNS = 1024;

  /**
   * Floats of one block's buffer of {@link #forwardOverTheBatch} (its unfold and its output,
   * (kRows + M) × columns), at most, where a sample's plane fits: 512 KiB, a quarter of a core's
   * L2 here, so that the unfold, the product's packed copy of it and the output stay there. With
   * 1,024 columns whatever the depth, SqueezeNet's 3×3 convolutions on 11×11 and 5×5 planes
   * (kRows 288 and 576) had blocks of 1.2 and 2.4 MB; measured at batch 50, interleaved, its
   * forward ran 7 % faster (those Fire modules 10–19 %), the other zoo models as fast or faster.
   */
  static final int BLOCK_FLOATS = 1 << 17;

  /**
   * Per group, the weights' [mg × kRows] block transposed to [kRows × mg], at the same offset, in
   * a {@link Scratch} buffer.
   */
  private static float[] transposeGroups(float[] w, ConvDims d) {
    float[] t = Scratch.take(d.outChannels * d.kRows);
    for (int gi = 0; gi < d.group; gi++) {
      int off = gi * d.mg * d.kRows;
      for (int m = 0; m < d.mg; m++) {
        for (int r = 0; r < d.kRows; r++) {
          t[off + r * d.mg + m] = w[off + m * d.kRows + r];
        }
      }
    }
    return t;
  }

  static void checkBias(int biasLen, ConvDims d) {
    if (biasLen >= 0 && biasLen < d.outChannels) {
      throw new IllegalArgumentException(
          "bias has " + biasLen + " elements, expected " + d.outChannels);
    }
  }

  /** First output index along a dimension whose tap {@code off + o*stride} is >= 0. */
  private static int firstValid(int off, int stride, int outLen) {
    int lo = off >= 0 ? 0 : (-off + stride - 1) / stride;
    return Math.min(lo, outLen);
  }

  /** End (exclusive) of output indices whose tap {@code off + o*stride} is < inLen. */
  private static int endValid(int off, int stride, int inLen, int outLen, int lo) {
    int hi = off > inLen - 1 ? 0 : (inLen - 1 - off) / stride + 1;
    return Math.max(lo, Math.min(hi, outLen));
  }

  /**
   * Unfolds the cg channels starting at {@code xOff} into {@code col[kRows × outS]}: row
   * (c, kd, kh, kw), column (od, oh, ow); zero where the tap is padding.
   */
  private static void im2col(float[] x, int xOff, ConvDims d, float[] col) {
    im2col(x, xOff, d, col, 0, d.outS);
  }

  /**
   * As {@link #im2col(float[], int, ConvDims, float[])}, into columns {@code [colOff, colOff +
   * outS)} of rows {@code ld} apart.
   */
  private static void im2col(float[] x, int xOff, ConvDims d, float[] col, int colOff, int ld) {
    if (smallPlane(d.win)) {
      im2colSmall(x, xOff, d, col, colOff, ld);
      return;
    }
    im2col(x, xOff, d, col, colOff, ld, 0, d.kRows);
  }

  /**
   * Output rows at most this wide unfold through a padded copy of the plane ({@link #im2colSmall}):
   * whole-vector row copies beat the general loop's bounds, masks and fills per row.
   */
  static final int SMALL_WIDTH = 64;

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** A 2-d window of stride and dilation 1 over a plane whose output rows are at most {@link #SMALL_WIDTH} wide. */
  private static boolean smallPlane(Window3 v) {
    return v.inD == 1 && v.kD == 1 && v.outD == 1 && v.sH == 1 && v.sW == 1 && v.dH == 1 && v.dW == 1
        && v.outW <= SMALL_WIDTH;
  }

  /**
   * {@link #im2col} for {@link #smallPlane}s: each channel's plane is copied once into a
   * zero-padded plane, and every unfold row is then read from it element by element, without
   * bounds tests. Rows a few elements wide cost the general loop a bounds computation, a masked
   * vector copy and up to two fills each (SqueezeNet's 5×5 and 11×11 planes).
   */
  private static void im2colSmall(float[] x, int xOff, ConvDims d, float[] col, int colOff,
      int ld) {
    im2colChannels(x, xOff, d, col, colOff, ld, 0, d.cg);
  }

  /** The unfold rows of channels [c0, c1) of a {@link #smallPlane}: flat where it can be. */
  private static void im2colChannels(float[] x, int xOff, ConvDims d, float[] col, int colOff,
      int ld, int c0, int c1) {
    if (samePlane(d.win)) {
      im2colFlat(x, xOff, d, col, colOff, ld, c0, c1);
    } else {
      im2colSmall(x, xOff, d, col, colOff, ld, c0, c1);
    }
  }

  /**
   * A {@link #smallPlane} window whose output plane is its input plane ("same" padding: an odd
   * window, padded by half of it on each side).
   */
  private static boolean samePlane(Window3 v) {
    return v.outH == v.inH && v.outW == v.inW && 2 * v.pH == v.kH - 1 && 2 * v.pW == v.kW - 1;
  }

  /**
   * {@link #im2colSmall} for {@link #samePlane}s: the plane is read as one flat row. Tap (kh, kw)'s
   * unfold row is then the plane shifted by (kh − pH)·W + (kw − pW) elements: the plane is copied
   * once between zero margins as wide as the largest shift, which read as zero where a tap falls
   * above or below the plane, and a mask per kw zeroes the columns whose tap falls left or right
   * of it. Each unfold row is a few whole vectors (two for a 5×5 plane, where row by row it was five
   * copies of five elements), whose last is masked.
   */
  private static void im2colFlat(float[] x, int xOff, ConvDims d, float[] col, int colOff,
      int ld, int c0, int c1) {
    im2colFlat(x, xOff, d, col, colOff, ld, c0, c1, 0, d.inS);
  }

  /**
   * {@link #im2colFlat} for the unfold columns [j0, j1) only (j0 a multiple of the vector
   * length), column j0 of each row written at {@code colOff} of it.
   */
  private static void im2colFlat(float[] x, int xOff, ConvDims d, float[] col, int colOff,
      int ld, int c0, int c1, int j0, int j1) {
    Window3 v = d.win;
    int s = d.inS;
    int margin = v.pH * v.inW + v.pW;
    int size = 2 * margin + s + L;
    long[] inside = FLAT_COLUMNS.computeIfAbsent(new FlatKey(v.inW, s, v.kW, v.pW),
        Conv::insideColumns);
    int chunks = (s + L - 1) / L;
    float[] buf = Scratch.take(size);
    Arrays.fill(buf, 0, size, 0f);
    int tail = j0 + (j1 - j0 - 1) / L * L;
    VectorMask<Float> last = PhasePlanes.lanes(j1 - tail);
    int row = c0 * v.kH * v.kW;
    for (int c = c0; c < c1; c++) {
      System.arraycopy(x, xOff + c * s, buf, margin, s);
      for (int kh = 0; kh < v.kH; kh++) {
        for (int kw = 0; kw < v.kW; kw++, row++) {
          int src = margin + (kh - v.pH) * v.inW + (kw - v.pW);
          int dst = row * ld + colOff - j0;
          int lanes = kw * chunks + j0 / L;
          for (int i = j0; i < tail; i += L) {
            VectorMask<Float> m = VectorMask.fromLong(S, inside[lanes++]);
            FloatVector.fromArray(S, buf, src + i, m).intoArray(col, dst + i);
          }
          VectorMask<Float> m = VectorMask.fromLong(S, inside[lanes]).and(last);
          FloatVector t = FloatVector.fromArray(S, buf, src + tail, m);
          if (dst + tail + L <= col.length) {
            t.intoArray(col, dst + tail, last);
          } else {
            // a masked store reaching past the array checks lane by lane, outside the intrinsic
            for (int i = tail; i < j1; i++) {
              col[dst + i] = t.lane(i - tail);
            }
          }
        }
      }
    }
    Scratch.give(buf);
  }

  /** A plane's width and size, and a window's width and left padding. */
  private record FlatKey(int width, int size, int kW, int pW) {}

  /** Per geometry, {@link #insideColumns}; a few dozen geometries at most in a model. */
  private static final java.util.concurrent.ConcurrentHashMap<FlatKey, long[]> FLAT_COLUMNS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * For each kw and each vector of the flat plane ({@code [kw·chunks + i/L]}), the lanes (bit
   * per lane) of positions i whose column i mod width + kw − pW lies inside the plane.
   */
  private static long[] insideColumns(FlatKey k) {
    int chunks = (k.size() + L - 1) / L;
    long[] in = new long[k.kW() * chunks];
    for (int kw = 0; kw < k.kW(); kw++) {
      for (int i = 0; i < k.size(); i++) {
        int iw = i % k.width() + kw - k.pW();
        if (iw >= 0 && iw < k.width()) {
          in[kw * chunks + i / L] |= 1L << (i % L);
        }
      }
    }
    return in;
  }

  /** As above, the unfold rows of channels [c0, c1) only. */
  private static void im2colSmall(float[] x, int xOff, ConvDims d, float[] col, int colOff,
      int ld, int c0, int c1) {
    Window3 v = d.win;
    int hp = v.outH + v.kH - 1;
    int wp = v.outW + v.kW - 1;
    // a vector past the last row reads on into scratch it does not use
    float[] pad = Scratch.take(hp * wp + L);
    Arrays.fill(pad, 0, hp * wp, 0f);
    int rows = Math.min(v.inH, hp - v.pH);
    int cols = Math.min(v.inW, wp - v.pW);
    int row = c0 * v.kH * v.kW;
    for (int c = c0; c < c1; c++) {
      int xc = xOff + c * d.inS;
      for (int ih = 0; ih < rows && cols > 0; ih++) {
        System.arraycopy(x, xc + ih * v.inW, pad, (ih + v.pH) * wp + v.pW, cols);
      }
      for (int kh = 0; kh < v.kH; kh++) {
        for (int kw = 0; kw < v.kW; kw++, row++) {
          int dst = row * ld + colOff;
          int rowEnd = dst + v.outH * v.outW;
          for (int oh = 0; oh < v.outH; oh++, dst += v.outW) {
            int src = (oh + kh) * wp + kw;
            // whole vectors: lanes past the output row land on the next rows of this unfold
            // row, which are written after them; only its end is masked
            for (int ow = 0; ow < v.outW; ow += L) {
              int at = dst + ow;
              if (at + L <= rowEnd) {
                FloatVector.fromArray(S, pad, src + ow).intoArray(col, at);
              } else if (at + L <= col.length) {
                VectorMask<Float> m = PhasePlanes.lanes(rowEnd - at);
                FloatVector.fromArray(S, pad, src + ow, m).intoArray(col, at, m);
              } else {
                // a masked store reaching past the array checks lane by lane, outside the intrinsic
                System.arraycopy(pad, src + ow, col, at, rowEnd - at);
              }
            }
          }
        }
      }
    }
    Scratch.give(pad);
  }

  /** As above, rows [r0, r1) of the unfold only (row (c, kd, kh, kw) in that order). */
  private static void im2col(float[] x, int xOff, ConvDims d, float[] col, int colOff, int ld,
      int r0, int r1) {
    Window3 v = d.win;
    int plane = v.outH * v.outW;
    int taps = v.kD * v.kH * v.kW;
    for (int row = r0; row < r1; row++) {
      int xc = xOff + row / taps * d.inS;
      int kd = row % taps / (v.kH * v.kW);
      int kh = row % (v.kH * v.kW) / v.kW;
      int kw = row % v.kW;
      int base = row * ld + colOff;
      int offW = kw * v.dW - v.pW;
      int lo = firstValid(offW, v.sW, v.outW);
      int hi = endValid(offW, v.sW, v.inW, v.outW, lo);
      for (int od = 0; od < v.outD; od++) {
        int id = od * v.sD - v.pD + kd * v.dD;
        int dstD = base + od * plane;
        if (id < 0 || id >= v.inD) {
          Arrays.fill(col, dstD, dstD + plane, 0f);
          continue;
        }
        for (int oh = 0; oh < v.outH; oh++) {
          int ih = oh * v.sH - v.pH + kh * v.dH;
          int dst = dstD + oh * v.outW;
          if (ih < 0 || ih >= v.inH) {
            Arrays.fill(col, dst, dst + v.outW, 0f);
            continue;
          }
          int src = xc + (id * v.inH + ih) * v.inW + offW;
          if (lo > 0) {
            Arrays.fill(col, dst, dst + lo, 0f);
          }
          if (hi > lo) {
            PhasePlanes.copyStrided(x, src + lo * v.sW, v.sW, col, dst + lo, hi - lo);
          }
          if (hi < v.outW) {
            Arrays.fill(col, dst + hi, dst + v.outW, 0f);
          }
        }
      }
    }
  }

  /** Adds the unfolded gradient {@code col[kRows × outS]} back into the cg channels at xOff. */
  private static void col2im(float[] col, ConvDims d, float[] gx, int xOff) {
    Window3 v = d.win;
    int outS = d.outS;
    int plane = v.outH * v.outW;
    int row = 0;
    for (int c = 0; c < d.cg; c++) {
      int xc = xOff + c * d.inS;
      for (int kd = 0; kd < v.kD; kd++) {
        for (int kh = 0; kh < v.kH; kh++) {
          for (int kw = 0; kw < v.kW; kw++, row++) {
            int base = row * outS;
            int offW = kw * v.dW - v.pW;
            int lo = firstValid(offW, v.sW, v.outW);
            int hi = endValid(offW, v.sW, v.inW, v.outW, lo);
            for (int od = 0; od < v.outD; od++) {
              int id = od * v.sD - v.pD + kd * v.dD;
              if (id < 0 || id >= v.inD) {
                continue;
              }
              int srcD = base + od * plane;
              for (int oh = 0; oh < v.outH; oh++) {
                int ih = oh * v.sH - v.pH + kh * v.dH;
                if (ih < 0 || ih >= v.inH) {
                  continue;
                }
                int src = srcD + oh * v.outW;
                int dst = xc + (id * v.inH + ih) * v.inW + offW;
                if (hi <= lo) {
                  continue;
                }
                if (v.sW == 1) {
                  VectorOps.addInPlace(col, src + lo, gx, dst + lo, hi - lo);
                } else {
                  for (int ow = lo; ow < hi; ow++) {
                    gx[dst + ow * v.sW] += col[src + ow];
                  }
                }
              }
            }
          }
        }
      }
    }
    }

  // ---------------------------------------------------------------- double

  /**
   * Double-precision {@link #forward(float[], int[], float[], int[], float[], WindowGeometry, int,
   * float[], int[])}.
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
  public static void forward(double[] x, int[] xShape, double[] w, int[] wShape, double[] bias,
      WindowGeometry g, int group, double[] y, int[] yShape) {
    ConvDims d = new ConvDims(xShape, wShape, yShape, g, group);
    d.checkArrays(x.length, w.length, y.length, xShape, wShape, yShape);
    checkBias(bias == null ? -1 : bias.length, d);
    if (DepthwiseConv.applies(d)) {
      DepthwiseConv.forward(x, w, bias, d, y);
      return;
    }
    boolean pointwise = d.win.isPointwise();
    int[] idx = pointwise ? null : colIndex(d);
    int tasks = d.batch * d.group;
    Par.forRange(tasks, Par.worthIt(tasks, d.work()), (from, to) -> {
      double[] col = pointwise ? null : new double[d.kRows * d.outS];
      for (int t = from; t < to; t++) {
        int n = t / d.group;
        int gi = t % d.group;
        int xOff = (n * d.inChannels + gi * d.cg) * d.inS;
        int yOff = (n * d.outChannels + gi * d.mg) * d.outS;
        if (bias != null) {
          for (int m = 0; m < d.mg; m++) {
            int row = yOff + m * d.outS;
            Arrays.fill(y, row, row + d.outS, bias[gi * d.mg + m]);
          }
        }
        double[] src = x;
        int srcOff = xOff;
        if (!pointwise) {
          for (int i = 0; i < col.length; i++) {
            col[i] = idx[i] < 0 ? 0.0 : x[xOff + idx[i]];
          }
          src = col;
          srcOff = 0;
        }
        DoubleGemm.multiply(w, gi * d.mg * d.kRows, false, src, srcOff, false, y, yOff,
            d.mg, d.kRows, d.outS, bias != null);
      }
    });
  }

  /**
   * Double-precision data gradient (gx overwritten); also ConvTranspose's forward.
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
  public static void backwardData(double[] gy, int[] yShape, double[] w, int[] wShape,
      WindowGeometry g, int group, double[] gx, int[] xShape) {
    ConvDims d = new ConvDims(xShape, wShape, yShape, g, group);
    d.checkArrays(gx.length, w.length, gy.length, xShape, wShape, yShape);
    if (DepthwiseConv.applies(d)) {
      DepthwiseConv.backwardData(gy, w, d, gx);
      return;
    }
    boolean pointwise = d.win.isPointwise();
    int[] idx = pointwise ? null : colIndex(d);
    int tasks = d.batch * d.group;
    Par.forRange(tasks, Par.worthIt(tasks, d.work()), (from, to) -> {
      double[] col = pointwise ? null : new double[d.kRows * d.outS];
      for (int t = from; t < to; t++) {
        int n = t / d.group;
        int gi = t % d.group;
        int xOff = (n * d.inChannels + gi * d.cg) * d.inS;
        int yOff = (n * d.outChannels + gi * d.mg) * d.outS;
        if (pointwise) {
          DoubleGemm.multiply(w, gi * d.mg * d.kRows, true, gy, yOff, false, gx, xOff,
              d.kRows, d.mg, d.outS, false);
        } else {
          DoubleGemm.multiply(w, gi * d.mg * d.kRows, true, gy, yOff, false, col, 0,
              d.kRows, d.mg, d.outS, false);
          Arrays.fill(gx, xOff, xOff + d.cg * d.inS, 0.0);
          for (int i = 0; i < col.length; i++) {
            if (idx[i] >= 0) {
              gx[xOff + idx[i]] += col[i];
            }
          }
        }
      }
    });
  }

  /**
   * Double-precision weight gradient (gw overwritten).
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
  public static void backwardWeight(double[] gy, int[] yShape, double[] x, int[] xShape,
      WindowGeometry g, int group, double[] gw, int[] wShape) {
    ConvDims d = new ConvDims(xShape, wShape, yShape, g, group);
    d.checkArrays(x.length, gw.length, gy.length, xShape, wShape, yShape);
    if (DepthwiseConv.applies(d)) {
      DepthwiseConv.backwardWeight(gy, x, d, gw);
      return;
    }
    Arrays.fill(gw, 0, d.outChannels * d.kRows, 0.0);
    boolean pointwise = d.win.isPointwise();
    int[] idx = pointwise ? null : colIndex(d);
    Par.forRange(d.group, Par.worthIt(d.group, d.work()), (from, to) -> {
      double[] col = pointwise ? null : new double[d.kRows * d.outS];
      for (int gi = from; gi < to; gi++) {
        for (int n = 0; n < d.batch; n++) {
          int xOff = (n * d.inChannels + gi * d.cg) * d.inS;
          int yOff = (n * d.outChannels + gi * d.mg) * d.outS;
          double[] src = x;
          int srcOff = xOff;
          if (!pointwise) {
            for (int i = 0; i < col.length; i++) {
              col[i] = idx[i] < 0 ? 0.0 : x[xOff + idx[i]];
            }
            src = col;
            srcOff = 0;
          }
          DoubleGemm.multiply(gy, yOff, false, src, srcOff, true, gw, gi * d.mg * d.kRows,
              d.mg, d.outS, d.kRows, true);
        }
      }
    });
  }

  /**
   * For each element of the unfolded input [kRows × outS] of one (sample, group), the offset of
   * its input element from the group's first input element, or -1 where the tap is padding.
   */
  private static int[] colIndex(ConvDims d) {
    Window3 v = d.win;
    int[] idx = new int[d.kRows * d.outS];
    int i = 0;
    for (int c = 0; c < d.cg; c++) {
      for (int kd = 0; kd < v.kD; kd++) {
        for (int kh = 0; kh < v.kH; kh++) {
          for (int kw = 0; kw < v.kW; kw++) {
            for (int od = 0; od < v.outD; od++) {
              int id = od * v.sD - v.pD + kd * v.dD;
              for (int oh = 0; oh < v.outH; oh++) {
                int ih = oh * v.sH - v.pH + kh * v.dH;
                for (int ow = 0; ow < v.outW; ow++, i++) {
                  int iw = ow * v.sW - v.pW + kw * v.dW;
                  boolean in = id >= 0 && id < v.inD && ih >= 0 && ih < v.inH && iw >= 0
                      && iw < v.inW;
                  idx[i] = in ? c * d.inS + (id * v.inH + ih) * v.inW + iw : -1;
                }
              }
            }
          }
        }
      }
    }
    return idx;
  }
}
