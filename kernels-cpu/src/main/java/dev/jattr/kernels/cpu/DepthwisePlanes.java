package dev.jattr.kernels.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float depthwise forward for one- and two-dimensional windows, written as a one-dimensional
 * convolution over zero-padded <em>phase planes</em>. Package-private: {@link DepthwiseConv}
 * dispatches here.
 *
 * <p>For strides (sH, sW) the padded input plane is split into sH·sW phase planes, phase (a, b)
 * holding the padded elements at rows {@code r·sH + a} and columns {@code c·sW + b}, each stored
 * row-major with a row length {@code wh} of at least outW. Tap (kh, kw) at padded offset
 * {@code (kh·dH, kw·dW)} then reads phase {@code (kh·dH mod sH, kw·dW mod sW)} shifted by
 * {@code (kh·dH div sH, kw·dW div sW)}, so output {@code (oh, ow)} is, at flat index
 * {@code j = oh·wh + ow}, a sum over taps of {@code phase[j + shift]·w}: contiguous in j for any
 * stride and dilation, and free of bounds tests. Whole vectors run over j, crossing rows; the
 * {@code wh − outW} columns per row past the output are computed and dropped. Small planes (6×6
 * and 3×3 with 5×5 windows) thereby fill the vector lanes, and strided windows need no gathers.
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
    return v.inD == 1 && v.outD == 1 && v.kD == 1;
  }

  /** y = depthwise conv(x, w) + bias (bias may be null), one plane per (sample, channel). */
  static void forward(float[] x, float[] w, float[] bias, ConvDims d, float[] y) {
    Window3 v = d.win;
    int hh = v.outH + (v.kH - 1) * v.dH / v.sH;
    int wh = v.outW + (v.kW - 1) * v.dW / v.sW;
    // the last vector reads up to L − 1 past the computed span and wh − outW past a row
    int phaseLen = hh * wh + wh + L;
    int span = (v.outH * wh + L - 1) / L * L;
    int[] shift = new int[d.taps];
    for (int kh = 0; kh < v.kH; kh++) {
      for (int kw = 0; kw < v.kW; kw++) {
        int th = kh * v.dH;
        int tw = kw * v.dW;
        int phase = (th % v.sH) * v.sW + tw % v.sW;
        shift[kh * v.kW + kw] = phase * phaseLen + th / v.sH * wh + tw / v.sW;
      }
    }
    int planes = d.batch * d.outChannels;
    Par.forRange(planes, Par.worthIt(planes, d.work()), (from, to) -> {
      float[] ph = new float[v.sH * v.sW * phaseLen];
      float[] acc = new float[span];
      for (int p = from; p < to; p++) {
        int ch = p % d.outChannels;
        fillPhases(x, p * d.inS, v, hh, wh, phaseLen, ph);
        taps(ph, shift, w, ch * d.taps, bias == null ? 0f : bias[ch], acc, span);
        int dst = p * d.outS;
        if (wh == v.outW) {
          System.arraycopy(acc, 0, y, dst, d.outS);
        } else {
          for (int oh = 0; oh < v.outH; oh++) {
            System.arraycopy(acc, oh * wh, y, dst + oh * v.outW, v.outW);
          }
        }
      }
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

  /**
   * Writes the sH·sW phase planes of the zero-padded input plane at {@code xOff}: element
   * (r, c) of phase (a, b) is x[r·sH + a − pH][c·sW + b − pW], or 0 outside the input. The
   * slack after each plane's {@code hh·wh} elements is never written and stays zero.
   */
  private static void fillPhases(float[] x, int xOff, Window3 v, int hh, int wh, int phaseLen,
      float[] ph) {
    for (int a = 0; a < v.sH; a++) {
      for (int b = 0; b < v.sW; b++) {
        int base = ((a * v.sW) + b) * phaseLen;
        // columns c with 0 <= c·sW + b − pW < inW
        int cLo = Math.min(wh, Math.max(0, ceilDiv(v.pW - b, v.sW)));
        int cHi = Math.max(cLo, Math.min(wh, ceilDiv(v.inW + v.pW - b, v.sW)));
        for (int r = 0; r < hh; r++) {
          int row = base + r * wh;
          int ih = r * v.sH + a - v.pH;
          if (ih < 0 || ih >= v.inH) {
            Arrays.fill(ph, row, row + wh, 0f);
            continue;
          }
          Arrays.fill(ph, row, row + cLo, 0f);
          int src = xOff + ih * v.inW + b - v.pW;
          if (v.sW == 1) {
            System.arraycopy(x, src + cLo, ph, row + cLo, cHi - cLo);
          } else {
            for (int c = cLo; c < cHi; c++) {
              ph[row + c] = x[src + c * v.sW];
            }
          }
          Arrays.fill(ph, row + cHi, row + wh, 0f);
        }
      }
    }
  }

  private static int ceilDiv(int a, int b) {
    return Math.floorDiv(a + b - 1, b);
  }
}
