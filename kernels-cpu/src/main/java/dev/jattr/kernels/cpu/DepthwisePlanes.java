package dev.jattr.kernels.cpu;

import dev.jattr.kernels.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float depthwise forward for one- and two-dimensional windows, written as a one-dimensional
 * convolution over zero-padded {@link PhasePlanes}. Package-private: {@link DepthwiseConv}
 * dispatches here. Small planes (6×6 and 3×3 under 5×5 windows) thereby fill the vector lanes,
 * and strided windows need no gathers.
 *
 * <p>Each output starts from the bias and adds its taps with {@code fma} in (kh, kw) order, as
 * {@link DepthwiseConv}'s scalar loop; taps on padding add {@code 0·w}, which leaves a finite
 * sum unchanged, so with finite weights the results are the same bit for bit.
 */
final class DepthwisePlanes {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final int L = FS.length();

  private DepthwisePlanes() {}

  /** Whether the window is at most two-dimensional (the only case handled here). */
  static boolean applies(Window3 v) {
    return PhasePlanes.applies(v);
  }

  /**
   * y = f(depthwise conv(x, w) + bias) (bias and f may be null), one plane per (sample,
   * channel); the activation runs on each plane's computed rows while they are in cache.
   */
  static void forward(float[] x, float[] w, float[] bias, ConvDims d, Activation f, float alpha,
      float beta, float[] y) {
    PhasePlanes pp = new PhasePlanes(d.win);
    int planes = d.batch * d.outChannels;
    Par.forRange(planes, Par.worthIt(planes, d.work()), (from, to) -> {
      float[] ph = pp.newBuffer(0f);
      float[] acc = pp.newOutput();
      for (int p = from; p < to; p++) {
        int ch = p % d.outChannels;
        pp.fill(x, p * d.inS, ph);
        taps(ph, pp.shift, w, ch * d.taps, bias == null ? 0f : bias[ch], acc, pp.span);
        if (f != null) {
          Elementwise.activation(f, acc, alpha, beta, acc, 0, pp.span, true);
        }
        pp.extract(acc, y, p * d.outS);
      }
      Scratch.give(acc);
      Scratch.give(ph);
    });
  }

  /** acc[j] = b + Σ_t ph[shift[t] + j]·w[wOff + t] over whole vectors of j in [0, span). */
  private static void taps(float[] ph, int[] shift, float[] w, int wOff, float b, float[] acc,
      int span) {
    int taps = shift.length;
    int j = 0;
    for (; j + 2 * L <= span; j += 2 * L) {
      FloatVector a0 = FloatVector.broadcast(FS, b);
      FloatVector a1 = a0;
      for (int t = 0; t < taps; t++) {
        FloatVector wt = FloatVector.broadcast(FS, w[wOff + t]);
        int s = shift[t] + j;
        a0 = FloatVector.fromArray(FS, ph, s).fma(wt, a0);
        a1 = FloatVector.fromArray(FS, ph, s + L).fma(wt, a1);
      }
      a0.intoArray(acc, j);
      a1.intoArray(acc, j + L);
    }
    for (; j < span; j += L) {
      FloatVector a0 = FloatVector.broadcast(FS, b);
      for (int t = 0; t < taps; t++) {
        a0 = FloatVector.fromArray(FS, ph, shift[t] + j)
            .fma(FloatVector.broadcast(FS, w[wOff + t]), a0);
      }
      a0.intoArray(acc, j);
    }
  }
}
