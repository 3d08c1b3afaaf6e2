package dev.jattr.kernels.cpu;

import dev.jattr.kernels.WindowGeometry;
import java.util.Arrays;

/**
 * Double-precision scalar reference of {@link Conv}: direct loops over the definition, kept
 * apart from the fast double kernels so that tests compare both paths against it.
 */
final class ConvReference {
  private ConvReference() {}


  /**
   * Double-precision scalar reference of {@link Conv#forward(float[], int[], float[], int[], float[],
   * WindowGeometry, int, float[], int[])}: direct loops over the definition.
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
  static void forward(double[] x, int[] xShape, double[] w, int[] wShape, double[] bias,
      WindowGeometry g, int group, double[] y, int[] yShape) {
    ConvDims d = new ConvDims(xShape, wShape, yShape, g, group);
    d.checkArrays(x.length, w.length, y.length, xShape, wShape, yShape);
    Conv.checkBias(bias == null ? -1 : bias.length, d);
    Window3 v = d.win;
    for (int n = 0; n < d.batch; n++) {
      for (int m = 0; m < d.outChannels; m++) {
        int gi = m / d.mg;
        int yBase = (n * d.outChannels + m) * d.outS;
        for (int od = 0; od < v.outD; od++) {
          for (int oh = 0; oh < v.outH; oh++) {
            for (int ow = 0; ow < v.outW; ow++) {
              double s = bias == null ? 0.0 : bias[m];
              for (int c = 0; c < d.cg; c++) {
                int xc = (n * d.inChannels + gi * d.cg + c) * d.inS;
                int wc = (m * d.cg + c) * d.taps;
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
                    for (int kw = 0; kw < v.kW; kw++) {
                      int iw = ow * v.sW - v.pW + kw * v.dW;
                      if (iw < 0 || iw >= v.inW) {
                        continue;
                      }
                      s += w[wc + (kd * v.kH + kh) * v.kW + kw]
                          * x[xc + (id * v.inH + ih) * v.inW + iw];
                    }
                  }
                }
              }
              y[yBase + (od * v.outH + oh) * v.outW + ow] = s;
            }
          }
        }
      }
    }
  }

  /**
   * Double-precision scalar reference of the data gradient (gx overwritten); also
   * ConvTranspose's forward.
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
  static void backwardData(double[] gy, int[] yShape, double[] w, int[] wShape,
      WindowGeometry g, int group, double[] gx, int[] xShape) {
    ConvDims d = new ConvDims(xShape, wShape, yShape, g, group);
    d.checkArrays(gx.length, w.length, gy.length, xShape, wShape, yShape);
    Arrays.fill(gx, 0, d.batch * d.inChannels * d.inS, 0.0);
    scatter(gy, w, gx, d, true);
  }

  /**
   * Double-precision scalar reference of the weight gradient (gw overwritten).
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
  static void backwardWeight(double[] gy, int[] yShape, double[] x, int[] xShape,
      WindowGeometry g, int group, double[] gw, int[] wShape) {
    ConvDims d = new ConvDims(xShape, wShape, yShape, g, group);
    d.checkArrays(x.length, gw.length, gy.length, xShape, wShape, yShape);
    Arrays.fill(gw, 0, d.outChannels * d.kRows, 0.0);
    scatter(gy, gw, x, d, false);
  }

  /**
   * Visits every (sample, output channel, output position, input channel, tap) with an
   * in-bounds input position; adds {@code gy·w} into {@code x} when {@code intoX}, else adds
   * {@code gy·x} into {@code w}.
   */
  private static void scatter(double[] gy, double[] w, double[] x, ConvDims d, boolean intoX) {
    Window3 v = d.win;
    for (int n = 0; n < d.batch; n++) {
      for (int m = 0; m < d.outChannels; m++) {
        int gi = m / d.mg;
        int yBase = (n * d.outChannels + m) * d.outS;
        for (int od = 0; od < v.outD; od++) {
          for (int oh = 0; oh < v.outH; oh++) {
            for (int ow = 0; ow < v.outW; ow++) {
              double gv = gy[yBase + (od * v.outH + oh) * v.outW + ow];
              for (int c = 0; c < d.cg; c++) {
                int xc = (n * d.inChannels + gi * d.cg + c) * d.inS;
                int wc = (m * d.cg + c) * d.taps;
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
                    for (int kw = 0; kw < v.kW; kw++) {
                      int iw = ow * v.sW - v.pW + kw * v.dW;
                      if (iw < 0 || iw >= v.inW) {
                        continue;
                      }
                      int wi = wc + (kd * v.kH + kh) * v.kW + kw;
                      int xi = xc + (id * v.inH + ih) * v.inW + iw;
                      if (intoX) {
                        x[xi] += gv * w[wi];
                      } else {
                        w[wi] += gv * x[xi];
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
