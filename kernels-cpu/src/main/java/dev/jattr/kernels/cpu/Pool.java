package dev.jattr.kernels.cpu;

import java.util.Arrays;

/**
 * Max and average pooling (ONNX {@code MaxPool} / {@code AveragePool}) with spatial rank 1, 2 or
 * 3, strides, asymmetric pads and dilations.
 *
 * <p>Layouts: {@code x[N, C, in...]}, {@code y[N, C, out...]}, row-major; output extents are
 * taken from {@code yShape} as given (so ceil mode is expressed by the caller's larger output
 * shape). Window taps outside {@code [0, in)} are padding. Planes (sample, channel) run in
 * parallel on the common pool when the work is large. The float and double versions share the
 * same semantics; the double versions are the scalar references. All methods are stateless and
 * thread-safe for distinct output arrays.
 */
public final class Pool {
  private Pool() {}

  /** Per-plane kernel body. */
  @FunctionalInterface
  private interface PlaneBody {
    void run(int plane);
  }

  private static void forPlanes(PoolDims d, PlaneBody body) {
    Par.forRange(d.planes, Par.worthIt(d.planes, d.work()), (from, to) -> {
      for (int p = from; p < to; p++) {
        body.run(p);
      }
    });
  }

  private static void checkLengths(int xLen, int[] xShape, int yLen, int[] yShape) {
    Window3.checkLength(xLen, xShape, "x");
    Window3.checkLength(yLen, yShape, "y");
  }

  // ---------------------------------------------------------------- float

  /**
   * Max pooling; argmax[i] receives the flat index into x (over the whole tensor) of the max of
   * y[i], or -1 if the window holds only padding. Padding never wins (treated as -inf). Ties:
   * first index in window scan order. A NaN in the window wins (the first NaN). A window with
   * only padding yields {@code -Infinity}.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param y output, overwritten
   * @param yShape output shape [N, C, out...]
   * @param argmax flat input index per output element, overwritten; may be null
   */
  public static void maxForward(float[] x, int[] xShape, WindowGeometry g, float[] y,
      int[] yShape, int[] argmax) {
    PoolDims d = new PoolDims(xShape, yShape, g);
    checkLengths(x.length, xShape, y.length, yShape);
    if (argmax != null) {
      Window3.checkLength(argmax.length, yShape, "argmax");
    }
    Window3 v = d.win;
    forPlanes(d, plane -> {
      int xBase = plane * d.inS;
      int yi = plane * d.outS;
      for (int od = 0; od < v.outD; od++) {
        for (int oh = 0; oh < v.outH; oh++) {
          for (int ow = 0; ow < v.outW; ow++, yi++) {
            float best = Float.NEGATIVE_INFINITY;
            int bi = -1;
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
                int rowBase = xBase + (id * v.inH + ih) * v.inW;
                for (int kw = 0; kw < v.kW; kw++) {
                  int iw = ow * v.sW - v.pW + kw * v.dW;
                  if (iw < 0 || iw >= v.inW) {
                    continue;
                  }
                  float val = x[rowBase + iw];
                  if (bi < 0 || val > best || (val != val && best == best)) {
                    best = val;
                    bi = rowBase + iw;
                  }
                }
              }
            }
            y[yi] = best;
            if (argmax != null) {
              argmax[yi] = bi;
            }
          }
        }
      }
    });
  }

  /**
   * Average pooling (ONNX AveragePool); with countIncludePad false the divisor counts only real
   * (non-pad) elements; windows that run past the padded input (ceil mode) never count those
   * positions. A window with a zero divisor yields 0.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param countIncludePad whether padding positions count in the divisor
   * @param y output, overwritten
   * @param yShape output shape [N, C, out...]
   */
  public static void averageForward(float[] x, int[] xShape, WindowGeometry g,
      boolean countIncludePad, float[] y, int[] yShape) {
    PoolDims d = new PoolDims(xShape, yShape, g);
    checkLengths(x.length, xShape, y.length, yShape);
    int[] div = d.divisors(countIncludePad);
    Window3 v = d.win;
    forPlanes(d, plane -> {
      int xBase = plane * d.inS;
      int yBase = plane * d.outS;
      int o = 0;
      for (int od = 0; od < v.outD; od++) {
        for (int oh = 0; oh < v.outH; oh++) {
          for (int ow = 0; ow < v.outW; ow++, o++) {
            float s = 0f;
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
                int rowBase = xBase + (id * v.inH + ih) * v.inW;
                for (int kw = 0; kw < v.kW; kw++) {
                  int iw = ow * v.sW - v.pW + kw * v.dW;
                  if (iw >= 0 && iw < v.inW) {
                    s += x[rowBase + iw];
                  }
                }
              }
            }
            y[yBase + o] = div[o] == 0 ? 0f : s / div[o];
          }
        }
      }
    });
  }

  /**
   * Gradient of {@link #averageForward(float[], int[], WindowGeometry, boolean, float[], int[])}:
   * each real tap of a window receives gy / divisor; gx overwritten.
   *
   * @param gy output gradient
   * @param yShape output shape [N, C, out...]
   * @param g window geometry
   * @param countIncludePad whether padding positions count in the divisor
   * @param gx input gradient, overwritten
   * @param xShape input shape [N, C, in...]
   */
  public static void averageBackward(float[] gy, int[] yShape, WindowGeometry g,
      boolean countIncludePad, float[] gx, int[] xShape) {
    PoolDims d = new PoolDims(xShape, yShape, g);
    checkLengths(gx.length, xShape, gy.length, yShape);
    int[] div = d.divisors(countIncludePad);
    Window3 v = d.win;
    forPlanes(d, plane -> {
      int xBase = plane * d.inS;
      int yBase = plane * d.outS;
      Arrays.fill(gx, xBase, xBase + d.inS, 0f);
      int o = 0;
      for (int od = 0; od < v.outD; od++) {
        for (int oh = 0; oh < v.outH; oh++) {
          for (int ow = 0; ow < v.outW; ow++, o++) {
            if (div[o] == 0) {
              continue;
            }
            float gv = gy[yBase + o] / div[o];
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
                int rowBase = xBase + (id * v.inH + ih) * v.inW;
                for (int kw = 0; kw < v.kW; kw++) {
                  int iw = ow * v.sW - v.pW + kw * v.dW;
                  if (iw >= 0 && iw < v.inW) {
                    gx[rowBase + iw] += gv;
                  }
                }
              }
            }
          }
        }
      }
    });
  }

  // ---------------------------------------------------------------- double reference

  /**
   * Double-precision reference of {@link #maxForward(float[], int[], WindowGeometry, float[],
   * int[], int[])} with identical tie, NaN and padding rules.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param y output, overwritten
   * @param yShape output shape [N, C, out...]
   * @param argmax flat input index per output element, overwritten; may be null
   */
  public static void maxForward(double[] x, int[] xShape, WindowGeometry g, double[] y,
      int[] yShape, int[] argmax) {
    PoolDims d = new PoolDims(xShape, yShape, g);
    checkLengths(x.length, xShape, y.length, yShape);
    if (argmax != null) {
      Window3.checkLength(argmax.length, yShape, "argmax");
    }
    Window3 v = d.win;
    for (int plane = 0; plane < d.planes; plane++) {
      int xBase = plane * d.inS;
      int yi = plane * d.outS;
      for (int od = 0; od < v.outD; od++) {
        for (int oh = 0; oh < v.outH; oh++) {
          for (int ow = 0; ow < v.outW; ow++, yi++) {
            double best = Double.NEGATIVE_INFINITY;
            int bi = -1;
            for (int kd = 0; kd < v.kD; kd++) {
              for (int kh = 0; kh < v.kH; kh++) {
                for (int kw = 0; kw < v.kW; kw++) {
                  int id = od * v.sD - v.pD + kd * v.dD;
                  int ih = oh * v.sH - v.pH + kh * v.dH;
                  int iw = ow * v.sW - v.pW + kw * v.dW;
                  if (id < 0 || id >= v.inD || ih < 0 || ih >= v.inH || iw < 0 || iw >= v.inW) {
                    continue;
                  }
                  int xi = xBase + (id * v.inH + ih) * v.inW + iw;
                  double val = x[xi];
                  if (bi < 0 || val > best || (Double.isNaN(val) && !Double.isNaN(best))) {
                    best = val;
                    bi = xi;
                  }
                }
              }
            }
            y[yi] = best;
            if (argmax != null) {
              argmax[yi] = bi;
            }
          }
        }
      }
    }
  }

  /**
   * Double-precision reference of {@link #averageForward(float[], int[], WindowGeometry,
   * boolean, float[], int[])}.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param countIncludePad whether padding positions count in the divisor
   * @param y output, overwritten
   * @param yShape output shape [N, C, out...]
   */
  public static void averageForward(double[] x, int[] xShape, WindowGeometry g,
      boolean countIncludePad, double[] y, int[] yShape) {
    PoolDims d = new PoolDims(xShape, yShape, g);
    checkLengths(x.length, xShape, y.length, yShape);
    averageScalar(x, y, d, countIncludePad, true);
  }

  /**
   * Double-precision reference of {@link #averageBackward(float[], int[], WindowGeometry,
   * boolean, float[], int[])}; gx overwritten.
   *
   * @param gy output gradient
   * @param yShape output shape [N, C, out...]
   * @param g window geometry
   * @param countIncludePad whether padding positions count in the divisor
   * @param gx input gradient, overwritten
   * @param xShape input shape [N, C, in...]
   */
  public static void averageBackward(double[] gy, int[] yShape, WindowGeometry g,
      boolean countIncludePad, double[] gx, int[] xShape) {
    PoolDims d = new PoolDims(xShape, yShape, g);
    checkLengths(gx.length, xShape, gy.length, yShape);
    Arrays.fill(gx, 0, d.planes * d.inS, 0.0);
    averageScalar(gx, gy, d, countIncludePad, false);
  }

  /**
   * Direct average-pool loops; the divisor of each window is counted in place. Forward writes
   * y from x; backward adds gy/divisor into x.
   */
  private static void averageScalar(double[] x, double[] y, PoolDims d, boolean includePad,
      boolean forward) {
    Window3 v = d.win;
    for (int plane = 0; plane < d.planes; plane++) {
      int xBase = plane * d.inS;
      int yi = plane * d.outS;
      for (int od = 0; od < v.outD; od++) {
        for (int oh = 0; oh < v.outH; oh++) {
          for (int ow = 0; ow < v.outW; ow++, yi++) {
            int count = 0;
            for (int kd = 0; kd < v.kD; kd++) {
              for (int kh = 0; kh < v.kH; kh++) {
                for (int kw = 0; kw < v.kW; kw++) {
                  int id = od * v.sD - v.pD + kd * v.dD;
                  int ih = oh * v.sH - v.pH + kh * v.dH;
                  int iw = ow * v.sW - v.pW + kw * v.dW;
                  boolean real = id >= 0 && id < v.inD && ih >= 0 && ih < v.inH
                      && iw >= 0 && iw < v.inW;
                  boolean padded = id >= -v.pD && id < v.inD + v.peD
                      && ih >= -v.pH && ih < v.inH + v.peH
                      && iw >= -v.pW && iw < v.inW + v.peW;
                  if (includePad ? padded : real) {
                    count++;
                  }
                }
              }
            }
            double s = 0.0;
            double gv = count == 0 ? 0.0 : y[yi] / count;
            for (int kd = 0; kd < v.kD; kd++) {
              for (int kh = 0; kh < v.kH; kh++) {
                for (int kw = 0; kw < v.kW; kw++) {
                  int id = od * v.sD - v.pD + kd * v.dD;
                  int ih = oh * v.sH - v.pH + kh * v.dH;
                  int iw = ow * v.sW - v.pW + kw * v.dW;
                  if (id < 0 || id >= v.inD || ih < 0 || ih >= v.inH || iw < 0 || iw >= v.inW) {
                    continue;
                  }
                  int xi = xBase + (id * v.inH + ih) * v.inW + iw;
                  if (forward) {
                    s += x[xi];
                  } else if (count != 0) {
                    x[xi] += gv;
                  }
                }
              }
            }
            if (forward) {
              y[yi] = count == 0 ? 0.0 : s / count;
            }
          }
        }
      }
    }
  }
}
