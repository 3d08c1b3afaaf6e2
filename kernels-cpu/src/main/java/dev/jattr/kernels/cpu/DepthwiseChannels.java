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

  private DepthwiseChannels() {}

  /** Whether the convolution suits this kernel: a window of rank ≤ 2 and a small output plane. */
  static boolean applies(ConvDims d) {
    return PhasePlanes.applies(d.win) && d.outS <= MAX_PLANE;
  }

  /** y = f(depthwise conv(x, w) + bias) (bias and f may be null). */
  static void forward(float[] x, float[] w, float[] bias, ConvDims d, Activation f, float alpha,
      float beta, float[] y) {
    Window3 v = d.win;
    int c = d.outChannels;
    int cp = (c + L - 1) / L * L;
    int taps = d.taps;
    int hp = (v.outH - 1) * v.sH + (v.kH - 1) * v.dH + 1;
    int wp = (v.outW - 1) * v.sW + (v.kW - 1) * v.dW + 1;
    // gather maps: lanes past the last channel (or position) repeat index 0, so that every index
    // is in bounds; their values are dropped
    int[] inMap = new int[L];
    int[] tailMap = new int[L];
    for (int l = 0; l < L; l++) {
      inMap[l] = l * d.inS;
      tailMap[l] = l < c % L ? l * d.inS : 0;
    }
    int[] outMap = new int[(d.outS + L - 1) / L * L];
    for (int p = 0; p < d.outS; p++) {
      outMap[p] = p * L;
    }
    // tap offsets in buf for output (0, 0), and each output's first element in buf
    int[] tapAt = new int[taps];
    for (int kh = 0; kh < v.kH; kh++) {
      for (int kw = 0; kw < v.kW; kw++) {
        tapAt[kh * v.kW + kw] = (kh * v.dH * wp + kw * v.dW) * L;
      }
    }
    int[] first = new int[d.outS];
    for (int oh = 0; oh < v.outH; oh++) {
      for (int ow = 0; ow < v.outW; ow++) {
        first[oh * v.outW + ow] = (oh * v.sH * wp + ow * v.sW) * L;
      }
    }
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
      int loaded = -1;
      for (int task = from; task < to; task++) {
        int g = task / d.batch;
        int n = task % d.batch;
        int c0 = g * L;
        if (g != loaded) {
          loadGroup(w, bias, c, taps, c0, wg);
          loaded = g;
        }
        gatherIn(x, (n * c + c0) * d.inS, c0 + L <= c ? inMap : tailMap, v, hp, wp, buf);
        FloatVector b = FloatVector.fromArray(S, wg, taps * L);
        int p = 0;
        // four outputs at a time share each tap's weights
        for (; p + 4 <= d.outS; p += 4) {
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
        for (; p < d.outS; p++) {
          int a0 = first[p];
          FloatVector acc = b;
          for (int t = 0; t < taps; t++) {
            acc = FloatVector.fromArray(S, buf, a0 + tapAt[t])
                .fma(FloatVector.fromArray(S, wg, t * L), acc);
          }
          acc.intoArray(out, p * L);
        }
        if (f != null) {
          Elementwise.activation(f, out, alpha, beta, out, 0, d.outS * L, true);
        }
        scatterOut(out, outMap, d.outS, y, (n * c + c0) * d.outS, Math.min(L, c - c0));
      }
      Scratch.give(wg);
      Scratch.give(out);
      Scratch.give(buf);
    });
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
   * y's planes of the block's channels from out [position][lane]. A masked store whose vector
   * reaches past the end of y checks lane by lane, outside the intrinsic, so the last plane of y
   * ends element by element.
   */
  private static void scatterOut(float[] out, int[] outMap, int outS, float[] y, int yOff,
      int channels) {
    for (int l = 0; l < channels; l++) {
      int dst = yOff + l * outS;
      for (int p = 0; p < outS; p += L) {
        if (dst + p + L <= y.length) {
          FloatVector.fromArray(S, out, l, outMap, p).intoArray(y, dst + p, S.indexInRange(p, outS));
        } else {
          for (int q = p; q < outS; q++) {
            y[dst + q] = out[q * L + l];
          }
        }
      }
    }
  }
}
