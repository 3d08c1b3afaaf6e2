package dev.jattr.kernels.cpu;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.WindowGeometry;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct depthwise convolution (one input and one output channel per group, {@code group == C ==
 * M}) and its two adjoints, for float and double. Package-private: {@link Conv} dispatches here.
 *
 * <p>Each (sample, channel) plane is independent; planes run in parallel when the work is large.
 * An output row is computed from the taps whose input row is in bounds; within the interior
 * columns, where every tap of the row is in bounds, unit-stride rows run on the Vector API with
 * all taps accumulated in registers, and the border columns take a checked scalar loop. The
 * float forward of one- and two-dimensional windows takes {@link DepthwiseChannels} or
 * {@link DepthwisePlanes} instead.
 */
final class DepthwiseConv {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

  private DepthwiseConv() {}

  /** Whether the convolution is depthwise (one input and one output channel per group). */
  static boolean applies(ConvDims d) {
    return d.cg == 1 && d.mg == 1;
  }

  /**
   * The in-bounds (kd, kh) taps of output row (od, oh) of one plane: input row starts (column 0)
   * relative to the plane in {@code rows}, weight row starts (kw = 0) relative to the channel's
   * weights in {@code wRows}; returns their count.
   */
  private static int validRows(Window3 v, int od, int oh, int[] rows, int[] wRows) {
    int cnt = 0;
    for (int kd = 0; kd < v.kD; kd++) {
      int id = od * v.sD - v.pD + kd * v.dD;
      if (id < 0 || id >= v.inD) {
        continue;
      }
      for (int kh = 0; kh < v.kH; kh++) {
        int ih = oh * v.sH - v.pH + kh * v.dH;
        if (ih < 0 || ih >= v.inH) {
          continue;
        }
        rows[cnt] = (id * v.inH + ih) * v.inW;
        wRows[cnt] = (kd * v.kH + kh) * v.kW;
        cnt++;
      }
    }
    return cnt;
  }

  /** First output column whose every tap is in bounds (clamped to outW). */
  private static int interiorLo(Window3 v) {
    int lo = v.pW <= 0 ? 0 : (v.pW + v.sW - 1) / v.sW;
    return Math.min(lo, v.outW);
  }

  /** End (exclusive) of the output columns whose every tap is in bounds (at least interiorLo). */
  private static int interiorHi(Window3 v, int lo) {
    int t = v.inW - 1 - (v.kW - 1) * v.dW + v.pW;
    int hi = t < 0 ? 0 : t / v.sW + 1;
    return Math.max(lo, Math.min(hi, v.outW));
  }

  /** First output column whose tap kw is in bounds. */
  private static int tapLo(Window3 v, int kw) {
    int off = kw * v.dW - v.pW;
    int lo = off >= 0 ? 0 : (-off + v.sW - 1) / v.sW;
    return Math.min(lo, v.outW);
  }

  /** End (exclusive) of the output columns whose tap kw is in bounds. */
  private static int tapHi(Window3 v, int kw, int lo) {
    int off = kw * v.dW - v.pW;
    int hi = off > v.inW - 1 ? 0 : (v.inW - 1 - off) / v.sW + 1;
    return Math.max(lo, Math.min(hi, v.outW));
  }

  private static boolean parallel(ConvDims d, int planes) {
    return Par.worthIt(planes, d.work());
  }

  // ------------------------------------------------------------------ float

  /**
   * y = f(depthwise conv(x, w) + bias) (bias and f may be null) by the fastest kernel for the
   * shape: {@link DepthwiseChannels} for small output planes, {@link DepthwisePlanes} for other
   * windows of rank ≤ 2 (both apply f in cache), else the direct loop and f after it.
   */
  static void forward(float[] x, float[] w, float[] bias, ConvDims d, Activation f, float alpha,
      float beta, float[] y) {
    if (DepthwiseChannels.applies(d)) {
      DepthwiseChannels.forward(x, w, bias, d, f, alpha, beta, y);
    } else if (DepthwisePlanes.applies(d.win)) {
      DepthwisePlanes.forward(x, w, bias, d, f, alpha, beta, y);
    } else {
      direct(x, w, bias, d, y, true);
      if (f != null) {
        Elementwise.activation(f, y, alpha, beta, y, d.batch * d.outChannels * d.outS, true);
      }
    }
  }

  /**
   * y = depthwise conv(x, w) + bias: with {@code vector}, as the fused forward without an
   * activation; without, the direct loop in scalar arithmetic (the reference the others match).
   */
  static void forward(float[] x, float[] w, float[] bias, ConvDims d, float[] y, boolean vector) {
    if (vector) {
      forward(x, w, bias, d, null, 0f, 0f, y);
    } else {
      direct(x, w, bias, d, y, false);
    }
  }

  /** The direct loop: vectors along interior output rows when {@code vector}, else scalar. */
  private static void direct(float[] x, float[] w, float[] bias, ConvDims d, float[] y,
      boolean vector) {
    Window3 v = d.win;
    int planes = d.batch * d.outChannels;
    int lo = interiorLo(v);
    int hi = interiorHi(v, lo);
    Par.forRange(planes, parallel(d, planes), (from, to) -> {
      int[] rows = new int[v.kD * v.kH];
      int[] wRows = new int[rows.length];
      for (int p = from; p < to; p++) {
        int ch = p % d.outChannels;
        int xOff = p * d.inS;
        int wOff = ch * d.taps;
        float b = bias == null ? 0f : bias[ch];
        for (int od = 0; od < v.outD; od++) {
          for (int oh = 0; oh < v.outH; oh++) {
            int cnt = validRows(v, od, oh, rows, wRows);
            int dst = p * d.outS + (od * v.outH + oh) * v.outW;
            int ow = 0;
            for (; ow < lo; ow++) {
              y[dst + ow] = borderF(x, xOff, w, wOff, rows, wRows, cnt, v, ow, b);
            }
            if (vector && v.sW == 1) {
              int bound = lo + FS.loopBound(hi - lo);
              for (; ow < bound; ow += FS.length()) {
                FloatVector acc = FloatVector.broadcast(FS, b);
                for (int r = 0; r < cnt; r++) {
                  int src = xOff + rows[r] + ow - v.pW;
                  int wr = wOff + wRows[r];
                  for (int kw = 0; kw < v.kW; kw++) {
                    acc = FloatVector.fromArray(FS, x, src + kw * v.dW)
                        .fma(FloatVector.broadcast(FS, w[wr + kw]), acc);
                  }
                }
                acc.intoArray(y, dst + ow);
              }
            }
            for (; ow < hi; ow++) {
              float s = b;
              int col = ow * v.sW - v.pW;
              for (int r = 0; r < cnt; r++) {
                int src = xOff + rows[r] + col;
                int wr = wOff + wRows[r];
                for (int kw = 0; kw < v.kW; kw++) {
                  s = Math.fma(x[src + kw * v.dW], w[wr + kw], s);
                }
              }
              y[dst + ow] = s;
            }
            for (; ow < v.outW; ow++) {
              y[dst + ow] = borderF(x, xOff, w, wOff, rows, wRows, cnt, v, ow, b);
            }
          }
        }
      }
    });
  }

  private static float borderF(float[] x, int xOff, float[] w, int wOff, int[] rows, int[] wRows,
      int cnt, Window3 v, int ow, float b) {
    float s = b;
    for (int r = 0; r < cnt; r++) {
      for (int kw = 0; kw < v.kW; kw++) {
        int iw = ow * v.sW - v.pW + kw * v.dW;
        if (iw >= 0 && iw < v.inW) {
          s = Math.fma(x[xOff + rows[r] + iw], w[wOff + wRows[r] + kw], s);
        }
      }
    }
    return s;
  }

  static void backwardData(float[] gy, float[] w, ConvDims d, float[] gx, boolean vector) {
    Window3 v = d.win;
    int spanH = (v.kH - 1) * v.dH, spanW = (v.kW - 1) * v.dW;
    if (vector && PhasePlanes.applies(v) && v.pH <= spanH && v.pW <= spanW) {
      if (v.sH == 1 && v.sW == 1 && v.peH <= spanH && v.peW <= spanW) {
        // gx is gy correlated with the flipped window, gy padded by what the window reached past x
        float[] flipped = flipped(w, d);
        forward(gy, flipped, null, planes(d, v.outH, v.outW, v.inH, v.inW,
            spanH - v.pH, spanW - v.pW, spanH - v.peH, spanW - v.peW), gx, true);
        Scratch.give(flipped);
      } else if (DepthwiseChannels.applies(d)) {
        DepthwiseChannels.backwardData(gy, w, d, gx);
      } else {
        backwardDataAsForward(gy, w, d, gx);
      }
      return;
    }
    int planes = d.batch * d.outChannels;
    Par.forRange(planes, parallel(d, planes), (from, to) -> {
      int[] rows = new int[v.kD * v.kH];
      int[] wRows = new int[rows.length];
      for (int p = from; p < to; p++) {
        int ch = p % d.outChannels;
        int xOff = p * d.inS;
        int wOff = ch * d.taps;
        Arrays.fill(gx, xOff, xOff + d.inS, 0f);
        for (int od = 0; od < v.outD; od++) {
          for (int oh = 0; oh < v.outH; oh++) {
            int cnt = validRows(v, od, oh, rows, wRows);
            int src = p * d.outS + (od * v.outH + oh) * v.outW;
            for (int r = 0; r < cnt; r++) {
              for (int kw = 0; kw < v.kW; kw++) {
                float wv = w[wOff + wRows[r] + kw];
                int lo = tapLo(v, kw);
                int hi = tapHi(v, kw, lo);
                int dst = xOff + rows[r] + kw * v.dW - v.pW;
                int ow = lo;
                if (vector && v.sW == 1) {
                  int bound = lo + FS.loopBound(hi - lo);
                  FloatVector wb = FloatVector.broadcast(FS, wv);
                  for (; ow < bound; ow += FS.length()) {
                    FloatVector.fromArray(FS, gy, src + ow)
                        .fma(wb, FloatVector.fromArray(FS, gx, dst + ow)).intoArray(gx, dst + ow);
                  }
                }
                for (; ow < hi; ow++) {
                  int i = dst + ow * v.sW;
                  gx[i] = Math.fma(gy[src + ow], wv, gx[i]);
                }
              }
            }
          }
        }
      }
    });
  }

  /**
   * The data gradient of a one- or two-dimensional depthwise convolution as a forward one, so that
   * it runs on {@link DepthwisePlanes}' vector path whatever the plane size and stride: gx is the
   * stride-1 correlation, with the window flipped, of gy spread out by the stride (zeros between)
   * and padded by (k − 1)·dilation − pad before, to the input's extent after.
   */
  private static void backwardDataAsForward(float[] gy, float[] w, ConvDims d, float[] gx) {
    Window3 v = d.win;
    int spanH = (v.kH - 1) * v.dH, spanW = (v.kW - 1) * v.dW;
    int uh = v.inH + spanH, uw = v.inW + spanW; // the spread planes, so that a valid window gives inH × inW
    int top = spanH - v.pH, left = spanW - v.pW;
    int planes = d.batch * d.outChannels;
    float[] u = Scratch.take(planes * uh * uw);
    Par.forRange(planes, parallel(d, planes), (from, to) -> {
      Arrays.fill(u, from * uh * uw, to * uh * uw, 0f);
      for (int p = from; p < to; p++) {
        int src = p * d.outS, dst = p * uh * uw;
        for (int oh = 0; oh < v.outH; oh++) {
          int row = oh * v.sH + top;
          if (row < 0 || row >= uh) {
            continue;
          }
          for (int ow = 0; ow < v.outW; ow++) {
            int col = ow * v.sW + left;
            if (col >= 0 && col < uw) {
              u[dst + row * uw + col] = gy[src + oh * v.outW + ow];
            }
          }
        }
      }
    });
    float[] flipped = flipped(w, d);
    ConvDims valid = planes(d, uh, uw, v.inH, v.inW, 0, 0, 0, 0);
    forward(u, flipped, null, valid, gx, true);
    Scratch.give(flipped);
    Scratch.give(u);
  }

  /** Each channel's window reversed (into scratch): the data gradient correlates with it. */
  private static float[] flipped(float[] w, ConvDims d) {
    float[] flipped = Scratch.take(w.length);
    for (int ch = 0; ch < d.outChannels; ch++) {
      for (int t = 0; t < d.taps; t++) {
        flipped[ch * d.taps + t] = w[ch * d.taps + d.taps - 1 - t];
      }
    }
    return flipped;
  }

  /**
   * The stride-1 depthwise convolution, with {@code d}'s dilation and window, of planes of
   * inH × inW into planes of outH × outW with the given padding: the forward that computes a
   * data gradient of {@code d}. Planes of one row (a one-dimensional convolution) stay one-dimensional.
   */
  private static ConvDims planes(ConvDims d, int inH, int inW, int outH, int outW, int top, int left,
      int bottom, int right) {
    Window3 v = d.win;
    boolean oneD = v.inH == 1 && v.kH == 1 && v.outH == 1;
    int[] xs = oneD ? new int[] {d.batch, d.outChannels, inW} : new int[] {d.batch, d.outChannels, inH, inW};
    int[] ws = oneD ? new int[] {d.outChannels, 1, v.kW} : new int[] {d.outChannels, 1, v.kH, v.kW};
    int[] ys = oneD ? new int[] {d.batch, d.outChannels, outW} : new int[] {d.batch, d.outChannels, outH, outW};
    WindowGeometry g = oneD ? new WindowGeometry(new int[] {v.kW}, null, new int[] {left, right}, new int[] {v.dW})
        : new WindowGeometry(new int[] {v.kH, v.kW}, null, new int[] {top, left, bottom, right},
            new int[] {v.dH, v.dW});
    return new ConvDims(xs, ws, ys, g, d.outChannels);
  }

  static void backwardWeight(float[] gy, float[] x, ConvDims d, float[] gw, boolean vector) {
    Window3 v = d.win;
    int channels = d.outChannels;
    Par.forRange(channels, parallel(d, channels), (from, to) -> {
      int[] rows = new int[v.kD * v.kH];
      int[] wRows = new int[rows.length];
      double[] acc = new double[d.taps];
      for (int ch = from; ch < to; ch++) {
        Arrays.fill(acc, 0.0);
        for (int n = 0; n < d.batch; n++) {
          int p = n * channels + ch;
          int xOff = p * d.inS;
          for (int od = 0; od < v.outD; od++) {
            for (int oh = 0; oh < v.outH; oh++) {
              int cnt = validRows(v, od, oh, rows, wRows);
              int src = p * d.outS + (od * v.outH + oh) * v.outW;
              for (int r = 0; r < cnt; r++) {
                for (int kw = 0; kw < v.kW; kw++) {
                  int lo = tapLo(v, kw);
                  int hi = tapHi(v, kw, lo);
                  int xs = xOff + rows[r] + kw * v.dW - v.pW;
                  int ow = lo;
                  float s = 0f;
                  if (vector && v.sW == 1) {
                    int bound = lo + FS.loopBound(hi - lo);
                    if (bound > lo) {
                      FloatVector a = FloatVector.zero(FS);
                      for (; ow < bound; ow += FS.length()) {
                        a = FloatVector.fromArray(FS, gy, src + ow)
                            .fma(FloatVector.fromArray(FS, x, xs + ow), a);
                      }
                      s = Lanes.sum(a);
                    }
                  }
                  for (; ow < hi; ow++) {
                    s = Math.fma(gy[src + ow], x[xs + ow * v.sW], s);
                  }
                  acc[wRows[r] + kw] += s;
                }
              }
            }
          }
        }
        for (int t = 0; t < d.taps; t++) {
          gw[ch * d.taps + t] = (float) acc[t];
        }
      }
    });
  }

  // ------------------------------------------------------------------ double

  static void forward(double[] x, double[] w, double[] bias, ConvDims d, double[] y) {
    Window3 v = d.win;
    int planes = d.batch * d.outChannels;
    int lo = interiorLo(v);
    int hi = interiorHi(v, lo);
    Par.forRange(planes, parallel(d, planes), (from, to) -> {
      int[] rows = new int[v.kD * v.kH];
      int[] wRows = new int[rows.length];
      for (int p = from; p < to; p++) {
        int ch = p % d.outChannels;
        int xOff = p * d.inS;
        int wOff = ch * d.taps;
        double b = bias == null ? 0.0 : bias[ch];
        for (int od = 0; od < v.outD; od++) {
          for (int oh = 0; oh < v.outH; oh++) {
            int cnt = validRows(v, od, oh, rows, wRows);
            int dst = p * d.outS + (od * v.outH + oh) * v.outW;
            int ow = 0;
            for (; ow < lo; ow++) {
              y[dst + ow] = borderD(x, xOff, w, wOff, rows, wRows, cnt, v, ow, b);
            }
            if (v.sW == 1) {
              int bound = lo + DS.loopBound(hi - lo);
              for (; ow < bound; ow += DS.length()) {
                DoubleVector acc = DoubleVector.broadcast(DS, b);
                for (int r = 0; r < cnt; r++) {
                  int src = xOff + rows[r] + ow - v.pW;
                  int wr = wOff + wRows[r];
                  for (int kw = 0; kw < v.kW; kw++) {
                    acc = DoubleVector.fromArray(DS, x, src + kw * v.dW)
                        .fma(DoubleVector.broadcast(DS, w[wr + kw]), acc);
                  }
                }
                acc.intoArray(y, dst + ow);
              }
            }
            for (; ow < hi; ow++) {
              double s = b;
              int col = ow * v.sW - v.pW;
              for (int r = 0; r < cnt; r++) {
                int src = xOff + rows[r] + col;
                int wr = wOff + wRows[r];
                for (int kw = 0; kw < v.kW; kw++) {
                  s = Math.fma(x[src + kw * v.dW], w[wr + kw], s);
                }
              }
              y[dst + ow] = s;
            }
            for (; ow < v.outW; ow++) {
              y[dst + ow] = borderD(x, xOff, w, wOff, rows, wRows, cnt, v, ow, b);
            }
          }
        }
      }
    });
  }

  private static double borderD(double[] x, int xOff, double[] w, int wOff, int[] rows,
      int[] wRows, int cnt, Window3 v, int ow, double b) {
    double s = b;
    for (int r = 0; r < cnt; r++) {
      for (int kw = 0; kw < v.kW; kw++) {
        int iw = ow * v.sW - v.pW + kw * v.dW;
        if (iw >= 0 && iw < v.inW) {
          s = Math.fma(x[xOff + rows[r] + iw], w[wOff + wRows[r] + kw], s);
        }
      }
    }
    return s;
  }

  static void backwardData(double[] gy, double[] w, ConvDims d, double[] gx) {
    Window3 v = d.win;
    int planes = d.batch * d.outChannels;
    Par.forRange(planes, parallel(d, planes), (from, to) -> {
      int[] rows = new int[v.kD * v.kH];
      int[] wRows = new int[rows.length];
      for (int p = from; p < to; p++) {
        int ch = p % d.outChannels;
        int xOff = p * d.inS;
        int wOff = ch * d.taps;
        Arrays.fill(gx, xOff, xOff + d.inS, 0.0);
        for (int od = 0; od < v.outD; od++) {
          for (int oh = 0; oh < v.outH; oh++) {
            int cnt = validRows(v, od, oh, rows, wRows);
            int src = p * d.outS + (od * v.outH + oh) * v.outW;
            for (int r = 0; r < cnt; r++) {
              for (int kw = 0; kw < v.kW; kw++) {
                double wv = w[wOff + wRows[r] + kw];
                int lo = tapLo(v, kw);
                int hi = tapHi(v, kw, lo);
                int dst = xOff + rows[r] + kw * v.dW - v.pW;
                int ow = lo;
                if (v.sW == 1) {
                  int bound = lo + DS.loopBound(hi - lo);
                  DoubleVector wb = DoubleVector.broadcast(DS, wv);
                  for (; ow < bound; ow += DS.length()) {
                    DoubleVector.fromArray(DS, gy, src + ow)
                        .fma(wb, DoubleVector.fromArray(DS, gx, dst + ow)).intoArray(gx, dst + ow);
                  }
                }
                for (; ow < hi; ow++) {
                  int i = dst + ow * v.sW;
                  gx[i] = Math.fma(gy[src + ow], wv, gx[i]);
                }
              }
            }
          }
        }
      }
    });
  }

  static void backwardWeight(double[] gy, double[] x, ConvDims d, double[] gw) {
    Window3 v = d.win;
    int channels = d.outChannels;
    Par.forRange(channels, parallel(d, channels), (from, to) -> {
      int[] rows = new int[v.kD * v.kH];
      int[] wRows = new int[rows.length];
      for (int ch = from; ch < to; ch++) {
        Arrays.fill(gw, ch * d.taps, (ch + 1) * d.taps, 0.0);
        for (int n = 0; n < d.batch; n++) {
          int p = n * channels + ch;
          int xOff = p * d.inS;
          for (int od = 0; od < v.outD; od++) {
            for (int oh = 0; oh < v.outH; oh++) {
              int cnt = validRows(v, od, oh, rows, wRows);
              int src = p * d.outS + (od * v.outH + oh) * v.outW;
              for (int r = 0; r < cnt; r++) {
                for (int kw = 0; kw < v.kW; kw++) {
                  int lo = tapLo(v, kw);
                  int hi = tapHi(v, kw, lo);
                  int xs = xOff + rows[r] + kw * v.dW - v.pW;
                  double s = 0.0;
                  for (int ow = lo; ow < hi; ow++) {
                    s = Math.fma(gy[src + ow], x[xs + ow * v.sW], s);
                  }
                  gw[ch * d.taps + wRows[r] + kw] += s;
                }
              }
            }
          }
        }
      }
    });
  }
}
