package dev.jattr.kernels.cpu;

import dev.jattr.kernels.Activation;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float depthwise forward for small output planes, with the vector lanes across channels: a
 * block of L channels of one sample is gathered into a zero-padded buffer of [position][lane],
 * each output position is the sum of its taps' vectors times the taps' weights for the L
 * channels, and the results are gathered back into the channels' planes. Package-private:
 * {@link Conv} dispatches here.
 *
 * <p>Why: with a plane of 3×3 or 6×6 outputs, a vector along the plane ({@link DepthwisePlanes})
 * holds mostly padding and junk columns (a 5×5 window on a 3×3 plane computes 32 lanes for 9
 * outputs), and every plane pays for its own copies. Along the channels every lane is an output.
 *
 * <p>Each output starts from the bias and adds its taps with {@code fma} in (kh, kw) order, taps
 * on padding adding {@code 0·w}, as {@link DepthwisePlanes} does, so with finite weights the
 * results are the same bit for bit.
 */
final class DepthwiseChannels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Output planes up to this many elements take this kernel. */
  static final int MAX_PLANE = 64;
  /** Strided windows, and windows of {@link #WIDE_TAPS} taps or more, up to this many outputs. */
  static final int MAX_STRIDED_PLANE = 1024;
  /** Larger windows up to this many outputs: their taps outweigh the transposes. */
  static final int MAX_WIDE_PLANE = 256;
  /** Taps from which a window counts as large (5×5). */
  static final int WIDE_TAPS = 25;

  private DepthwiseChannels() {}

  /**
   * Whether the convolution suits this kernel: a window of rank ≤ 2 and a small output plane, or
   * a strided window (planes would be split into phases, and the data gradient spread), or a
   * large window on a middling plane. Measured at batch 50 with the transposes, against
   * {@link DepthwisePlanes} (forward / data gradient): 72 channels 24→12 at stride 2, 0.90 → 0.52
   * / 1.10 → 0.60 ms; 96 channels 48→24 at stride 2, 4.8 → 3.9 / 6.6 → 4.3 ms; 240 channels
   * of 12×12 under 5×5, 2.25 → 1.80 / 1.41 → 1.47 ms; but 144 channels of 24×24 under 3×3 at
   * stride 1, 2.4 → 3.6 ms, which stays with the planes.
   */
  static boolean applies(ConvDims d) {
    Window3 v = d.win;
    boolean strided = v.sH > 1 || v.sW > 1;
    return PhasePlanes.applies(v) && (d.outS <= MAX_PLANE || strided && d.outS <= MAX_STRIDED_PLANE
        || d.taps >= WIDE_TAPS && d.outS <= MAX_WIDE_PLANE);
  }

  /** y = f(depthwise conv(x, w) + bias) (bias and f may be null). */
  static void forward(float[] x, float[] w, float[] bias, ConvDims d, Activation f, float alpha,
      float beta, float[] y) {
    Window3 v = d.win;
    int c = d.outChannels;
    int cp = (c + L - 1) / L * L;
    int taps = d.taps;
    int hp = paddedHeight(v);
    int wp = paddedWidth(v);
    int[] inMap = planeMap(d.inS, false, c);
    int[] tapAt = tapOffsets(v, wp);
    int[] tailMap = planeMap(d.inS, true, c);
    Maps maps = Maps.of(v);
    int[] outMap = maps.outAt;
    int[] inAt = maps.inAt;
    int[] first = maps.first;
    int groups = cp / L;
    int tasks = d.batch * groups;
    // tasks run group by group (sample fastest), so that a range of them loads each group's
    // weights once, in the task rather than before the parallel part
    Par.forRange(tasks, Par.worthIt(tasks, d.work()), (from, to) -> {
      // the padding is written once per range: every block gathers into the same positions
      float[] buf = Scratch.take(hp * wp * L);
      Arrays.fill(buf, 0, hp * wp * L, 0f);
      float[] out = Scratch.take(d.outS * L);
      float[] wg = Scratch.take((taps + 1) * L);
      float[] tmp = Scratch.take(L * L);
      int[] rows = new int[L];
      blocks(from, to, d.batch, w, bias, c, taps, wg, (n, c0) -> {
        int src = (n * c + c0) * d.inS;
        if (transposes(x, src, d.inS)) {
          for (int p0 = 0; p0 < d.inS; p0 += L) {
            LaneTranspose.toLanes(x, src, d.inS, p0, Math.min(L, d.inS - p0), inAt, buf, rows);
          }
        } else {
          gatherIn(x, src, c0 + L <= c ? inMap : tailMap, v, hp, wp, buf);
        }
        taps(buf, wg, taps, first, tapAt, d.outS, out);
        if (f != null) {
          Elementwise.activation(f, out, alpha, beta, out, 0, d.outS * L, true);
        }
        scatterOut(out, outMap, d.outS, y, (n * c + c0) * d.outS, Math.min(L, c - c0), tmp);
      });
      Scratch.give(tmp);
      Scratch.give(wg);
      Scratch.give(out);
      Scratch.give(buf);
    });
  }

  /**
   * gx = the data gradient of the depthwise convolution for gy, for small output planes and any
   * stride: the adjoint of {@link #forward}. Each block of L channels of one sample has gy gathered
   * to [position][lane], every output position adds its gradient times each tap's weights into
   * the padded input plane it read, and the plane's interior is gathered back into gx (zero where
   * no window reached). Each element's terms are added in an order fixed by the geometry alone,
   * so the batch and the threads do not change the result.
   */
  static void backwardData(float[] gy, float[] w, ConvDims d, float[] gx) {
    Window3 v = d.win;
    int c = d.outChannels;
    int cp = (c + L - 1) / L * L;
    int taps = d.taps;
    int hp = paddedHeight(v);
    int wp = paddedWidth(v);
    int zero = hp * wp * L; // one vector of zeros after the plane, for inputs no window reaches
    int[] gyMap = planeMap(d.outS, false, c);
    int[] tailMap = planeMap(d.outS, true, c);
    Maps maps = Maps.of(v);
    int[] inMap = maps.gradAt;
    int[] outMap = maps.outAt;
    int[] tapAt = tapOffsets(v, wp);
    int[] first = maps.first;
    int groups = cp / L;
    int tasks = d.batch * groups;
    Par.forRange(tasks, Par.worthIt(tasks, d.work()), (from, to) -> {
      float[] acc = Scratch.take(zero + L);
      float[] g = Scratch.take(d.outS * L);
      float[] wg = Scratch.take((taps + 1) * L);
      Arrays.fill(acc, zero, zero + L, 0f);
      float[] tmp = Scratch.take(L * L);
      int[] rows = new int[L];
      blocks(from, to, d.batch, w, null, c, taps, wg, (n, c0) -> {
        int[] map = c0 + L <= c ? gyMap : tailMap;
        int src = (n * c + c0) * d.outS;
        if (transposes(gy, src, d.outS)) {
          for (int p0 = 0; p0 < d.outS; p0 += L) {
            LaneTranspose.toLanes(gy, src, d.outS, p0, Math.min(L, d.outS - p0), outMap, g, rows);
          }
        } else {
          for (int p = 0; p < d.outS; p++) {
            FloatVector.fromArray(S, gy, src + p, map, 0).intoArray(g, p * L);
          }
        }
        Arrays.fill(acc, 0, zero, 0f);
        adjointTaps(g, wg, taps, first, tapAt, d.outS, acc);
        scatterOut(acc, inMap, d.inS, gx, (n * c + c0) * d.inS, Math.min(L, c - c0), tmp);
      });
      Scratch.give(tmp);
      Scratch.give(wg);
      Scratch.give(g);
      Scratch.give(acc);
    });
  }

  /**
   * Each output position's sum of its taps (bias first) for the block's L channels, from buf
   * into out [position][lane]. A method of its own rather than part of the task's lambda: compiled
   * inside that lambda (with its on-stack replacement and traps) the loop at times kept its
   * vectors boxed and ran the Vector API's Java fallback, two thirds of a 3×3 plane's time.
   */
  private static void taps(float[] buf, float[] wg, int taps, int[] first, int[] tapAt, int outS, float[] out) {
    FloatVector b = FloatVector.fromArray(S, wg, taps * L);
    int p = 0;
    // four outputs at a time share each tap's weights
    for (; p + 4 <= outS; p += 4) {
      int a0 = first[p];
      int a1 = first[p + 1];
      int a2 = first[p + 2];
      int a3 = first[p + 3];
      FloatVector acc0 = b;
      FloatVector acc1 = b;
      FloatVector acc2 = b;
      FloatVector acc3 = b;
      for (int t = 0; t < taps; t++) {
        FloatVector wv = FloatVector.fromArray(S, wg, t * L);
        int sh = tapAt[t];
        acc0 = FloatVector.fromArray(S, buf, a0 + sh).fma(wv, acc0);
        acc1 = FloatVector.fromArray(S, buf, a1 + sh).fma(wv, acc1);
        acc2 = FloatVector.fromArray(S, buf, a2 + sh).fma(wv, acc2);
        acc3 = FloatVector.fromArray(S, buf, a3 + sh).fma(wv, acc3);
      }
      acc0.intoArray(out, p * L);
      acc1.intoArray(out, (p + 1) * L);
      acc2.intoArray(out, (p + 2) * L);
      acc3.intoArray(out, (p + 3) * L);
    }
    for (; p < outS; p++) {
      int a0 = first[p];
      FloatVector acc = b;
      for (int t = 0; t < taps; t++) {
        acc = FloatVector.fromArray(S, buf, a0 + tapAt[t])
            .fma(FloatVector.fromArray(S, wg, t * L), acc);
      }
      acc.intoArray(out, p * L);
    }
  }

  /**
   * Each output position's gradient (g, [position][lane]) times each tap's weights, added into the
   * padded plane acc where that tap read; a method of its own for the reason {@link #taps} is.
   */
  private static void adjointTaps(float[] g, float[] wg, int taps, int[] first, int[] tapAt, int outS,
      float[] acc) {
    int p = 0;
    // four positions at a time share each tap's weights; their targets for one tap differ
    for (; p + 4 <= outS; p += 4) {
      int a0 = first[p];
      int a1 = first[p + 1];
      int a2 = first[p + 2];
      int a3 = first[p + 3];
      FloatVector g0 = FloatVector.fromArray(S, g, p * L);
      FloatVector g1 = FloatVector.fromArray(S, g, (p + 1) * L);
      FloatVector g2 = FloatVector.fromArray(S, g, (p + 2) * L);
      FloatVector g3 = FloatVector.fromArray(S, g, (p + 3) * L);
      for (int t = 0; t < taps; t++) {
        FloatVector wv = FloatVector.fromArray(S, wg, t * L);
        int sh = tapAt[t];
        g0.fma(wv, FloatVector.fromArray(S, acc, a0 + sh)).intoArray(acc, a0 + sh);
        g1.fma(wv, FloatVector.fromArray(S, acc, a1 + sh)).intoArray(acc, a1 + sh);
        g2.fma(wv, FloatVector.fromArray(S, acc, a2 + sh)).intoArray(acc, a2 + sh);
        g3.fma(wv, FloatVector.fromArray(S, acc, a3 + sh)).intoArray(acc, a3 + sh);
      }
    }
    for (; p < outS; p++) {
      int a0 = first[p];
      FloatVector g0 = FloatVector.fromArray(S, g, p * L);
      for (int t = 0; t < taps; t++) {
        int at = a0 + tapAt[t];
        g0.fma(FloatVector.fromArray(S, wg, t * L), FloatVector.fromArray(S, acc, at)).intoArray(acc, at);
      }
    }
  }

  /** One task: the block of L channels from c0 of sample n, their weights in the range's wg. */
  @FunctionalInterface
  private interface Block {
    void run(int n, int c0);
  }

  /**
   * Runs tasks [from, to), numbered group by group with the sample fastest, loading a group's
   * weights (and bias, which may be null) into wg only when the group changes.
   */
  private static void blocks(int from, int to, int batch, float[] w, float[] bias, int c, int taps, float[] wg,
      Block body) {
    int loaded = -1;
    for (int task = from; task < to; task++) {
      int g = task / batch;
      if (g != loaded) {
        loadGroup(w, bias, c, taps, g * L, wg);
        loaded = g;
      }
      body.run(task % batch, g * L);
    }
  }

  /**
   * Whether a block of L planes {@code plane} apart from {@code src} moves to or from lanes by
   * {@link LaneTranspose}: 16-lane vectors, and whole rows of 16 readable from every plane (the
   * last block of a tensor may end too close to the array's end; it takes the gathers).
   */
  static boolean transposes(float[] a, int src, int plane) {
    return LaneTranspose.APPLIES && src + (L - 1) * plane + (plane + L - 1) / L * L <= a.length;
  }

  /**
   * The plane-sized offset tables of one window geometry, kept for the geometries last used (a
   * model has a few dozen): built per call, they were a call's only allocation of a plane's size.
   *
   * @param outAt output position p's vector in [position][lane] (p·L), for whole vectors of
   *     positions (0 past the plane)
   * @param inAt input position p's vector in the padded [position][lane] plane, -1 where no
   *     window reaches it
   * @param gradAt as inAt for whole vectors of positions, with the zero vector after the padded
   *     plane where no window reaches (the data gradient's gather back)
   * @param first each output position's window's first element in the padded plane
   */
  record Maps(int[] outAt, int[] inAt, int[] gradAt, int[] first) {
    private static final int KEPT = 64;
    private static final java.util.Map<java.util.List<Integer>, Maps> CACHE =
        new java.util.concurrent.ConcurrentHashMap<>();

    static Maps of(Window3 v) {
      java.util.List<Integer> key = java.util.List.of(v.inH, v.inW, v.outH, v.outW, v.kH, v.kW, v.sH, v.sW,
          v.pH, v.pW, v.dH, v.dW);
      Maps m = CACHE.get(key);
      if (m == null) {
        if (CACHE.size() >= KEPT) {
          CACHE.clear();
        }
        int hp = paddedHeight(v);
        int wp = paddedWidth(v);
        int[] inAt = inputPositions(v, hp, wp);
        int zero = hp * wp * L;
        int[] gradAt = new int[(inAt.length + L - 1) / L * L];
        for (int p = 0; p < inAt.length; p++) {
          gradAt[p] = inAt[p] >= 0 ? inAt[p] : zero;
        }
        m = new Maps(positions(v.outH * v.outW), inAt, gradAt, firstOffsets(v, v.outH * v.outW, wp));
        CACHE.put(key, m);
      }
      return m;
    }
  }

  /** Position p's vector in [position][lane] (p·L), for whole vectors of positions; 0 past {@code count}. */
  private static int[] positions(int count) {
    int[] at = new int[(count + L - 1) / L * L];
    for (int p = 0; p < count; p++) {
      at[p] = p * L;
    }
    return at;
  }

  /**
   * Input position p's vector in the padded [position][lane] plane, or -1 where no window
   * reaches it (it is not copied).
   */
  private static int[] inputPositions(Window3 v, int hp, int wp) {
    int[] at = new int[v.inH * v.inW];
    int rows = Math.min(v.inH, hp - v.pH);
    int cols = Math.min(v.inW, wp - v.pW);
    for (int ih = 0; ih < v.inH; ih++) {
      for (int iw = 0; iw < v.inW; iw++) {
        at[ih * v.inW + iw] = ih < rows && iw < cols ? ((ih + v.pH) * wp + iw + v.pW) * L : -1;
      }
    }
    return at;
  }

  /** Rows of the padded input plane the windows read. */
  static int paddedHeight(Window3 v) {
    return (v.outH - 1) * v.sH + (v.kH - 1) * v.dH + 1;
  }

  /** Columns of the padded input plane the windows read. */
  static int paddedWidth(Window3 v) {
    return (v.outW - 1) * v.sW + (v.kW - 1) * v.dW + 1;
  }

  /**
   * The gather map of a block of L channels' planes of {@code plane} elements: lane l reads
   * plane l; for the last block ({@code tail}), lanes past channel c repeat index 0, so that every
   * index is in bounds, and their values are dropped.
   */
  private static int[] planeMap(int plane, boolean tail, int c) {
    int[] map = new int[L];
    for (int l = 0; l < L; l++) {
      map[l] = !tail || l < c % L ? l * plane : 0;
    }
    return map;
  }

  /** Each tap's offset in the padded [position][lane] plane from its window's first element. */
  static int[] tapOffsets(Window3 v, int wp) {
    int[] tapAt = new int[v.kH * v.kW];
    for (int kh = 0; kh < v.kH; kh++) {
      for (int kw = 0; kw < v.kW; kw++) {
        tapAt[kh * v.kW + kw] = (kh * v.dH * wp + kw * v.dW) * L;
      }
    }
    return tapAt;
  }

  /** Each output position's window's first element in the padded [position][lane] plane. */
  private static int[] firstOffsets(Window3 v, int outS, int wp) {
    int[] first = new int[outS];
    for (int oh = 0; oh < v.outH; oh++) {
      for (int ow = 0; ow < v.outW; ow++) {
        first[oh * v.outW + ow] = (oh * v.sH * wp + ow * v.sW) * L;
      }
    }
    return first;
  }

  /**
   * The weights of channels [c0, c0 + L) as [tap][lane] into wg, then their bias; lanes past the
   * last channel hold zeros.
   */
  private static void loadGroup(float[] w, float[] bias, int c, int taps, int c0, float[] wg) {
    int lanes = Math.min(L, c - c0);
    for (int t = 0; t < taps; t++) {
      for (int l = 0; l < L; l++) {
        wg[t * L + l] = l < lanes ? w[(c0 + l) * taps + t] : 0f;
      }
    }
    for (int l = 0; l < L; l++) {
      wg[taps * L + l] = l < lanes && bias != null ? bias[c0 + l] : 0f;
    }
  }

  /**
   * Gathers the L channels' input planes into buf [position][lane] of a padded plane wp wide;
   * padding, and input the window never reaches, are not written (they stay zero).
   */
  private static void gatherIn(float[] x, int xOff, int[] inMap, Window3 v, int hp, int wp,
      float[] buf) {
    int rows = Math.min(v.inH, hp - v.pH);
    int cols = Math.min(v.inW, wp - v.pW);
    for (int ih = 0; ih < rows; ih++) {
      int at = ((ih + v.pH) * wp + v.pW) * L;
      int src = xOff + ih * v.inW;
      for (int iw = 0; iw < cols; iw++) {
        FloatVector.fromArray(S, x, src + iw, inMap, 0).intoArray(buf, at + iw * L);
      }
    }
  }

  /**
   * y's planes of the block's channels from out [position][lane], position p of a plane read
   * at outMap[p] (the lane's element of that vector; outMap names whole vectors of positions).
   * With 16 lanes, sixteen positions at a time through {@link LaneTranspose}. Otherwise, by
   * gathers: a masked store whose vector reaches past
   * the end of y checks lane by lane, outside the intrinsic, so the last plane of y ends element
   * by element. Planes of fewer than L positions copy element by element: a gather of L lanes for
   * a 3×3 plane's 9 took half of that convolution's time.
   */
  private static void scatterOut(float[] out, int[] outMap, int outS, float[] y, int yOff,
      int channels, float[] tmp) {
    if (LaneTranspose.APPLIES) {
      for (int p0 = 0; p0 < outS; p0 += L) {
        LaneTranspose.fromLanes(out, outMap, p0, Math.min(L, outS - p0), y, yOff, outS, channels, tmp);
      }
      return;
    }
    if (outS < L) {
      for (int l = 0; l < channels; l++) {
        int dst = yOff + l * outS;
        for (int q = 0; q < outS; q++) {
          y[dst + q] = out[outMap[q] + l];
        }
      }
      return;
    }
    for (int l = 0; l < channels; l++) {
      int dst = yOff + l * outS;
      for (int p = 0; p < outS; p += L) {
        if (dst + p + L <= y.length) {
          FloatVector.fromArray(S, out, l, outMap, p).intoArray(y, dst + p, S.indexInRange(p, outS));
        } else {
          for (int q = p; q < outS; q++) {
            y[dst + q] = out[outMap[q] + l];
          }
        }
      }
    }
  }
}
