package dev.jattr.kernels.cpu;

import static dev.jattr.kernels.cpu.TestArrays.assertClose;
import static dev.jattr.kernels.cpu.TestArrays.inner;
import static dev.jattr.kernels.cpu.TestArrays.randomFloats;
import static dev.jattr.kernels.cpu.TestArrays.size;
import static dev.jattr.kernels.cpu.TestArrays.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.WindowGeometry;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ConvTest {

  /** One test configuration: batch, channels, output channels, group, geometry, input size. */
  private record Case(int n, int c, int m, int group, int[] in, WindowGeometry g, int[] out) {
    Case(int n, int c, int m, int group, int[] in, int[] k, int[] s, int[] p, int[] d) {
      this(n, c, m, group, in, new WindowGeometry(k, s, p, d), null);
    }

    int[] xShape() {
      return shape(n, c, in);
    }

    int[] wShape() {
      return shape(m, c / group, g.kernel());
    }

    int[] yShape() {
      int[] o = out;
      if (o == null) {
        o = new int[in.length];
        for (int i = 0; i < in.length; i++) {
          o[i] = g.outputSize(i, in[i], false);
        }
      }
      return shape(n, m, o);
    }

    private static int[] shape(int a, int b, int[] rest) {
      int[] s = new int[rest.length + 2];
      s[0] = a;
      s[1] = b;
      System.arraycopy(rest, 0, s, 2, rest.length);
      return s;
    }

    @Override
    public String toString() {
      return "N=" + n + " C=" + c + " M=" + m + " group=" + group + " in=" + Arrays.toString(in)
          + " " + g + (out == null ? "" : " out=" + Arrays.toString(out));
    }
  }

  private static int[] a(int... v) {
    return v;
  }

  private static Case[] cases() {
    return new Case[] {
      new Case(2, 3, 4, 1, a(11), a(3), a(2), a(1, 2), a(1)),
      new Case(1, 2, 3, 1, a(9), a(2), a(1), a(0, 1), a(2)),
      new Case(1, 1, 1, 1, a(2), a(3), a(1), a(1, 1), a(1)),
      new Case(2, 4, 6, 2, a(7, 6), a(3, 2), a(1, 2), a(1, 0, 2, 1), a(2, 1)),
      new Case(1, 5, 5, 5, a(8, 9), a(3, 3), a(2, 2), a(1, 1, 1, 1), a(1, 1)),
      new Case(2, 3, 6, 3, a(6, 5), a(2, 2), a(1, 1), a(0, 0, 0, 0), a(2, 2)),
      new Case(2, 6, 4, 1, a(5, 7), a(1, 1), a(1, 1), a(0, 0, 0, 0), a(1, 1)),
      new Case(1, 4, 6, 2, a(5, 7), a(1, 1), a(2, 2), a(0, 0, 0, 0), a(1, 1)),
      new Case(1, 2, 3, 1, a(4, 5, 6), a(2, 3, 2), a(1, 2, 1), a(1, 0, 1, 0, 1, 1), a(1, 1, 2)),
      new Case(1, 2, 2, 2, a(3, 4, 5), a(1, 2, 2), a(2, 1, 2), a(0, 1, 0, 0, 0, 1), a(1, 2, 1)),
      new Case(4, 8, 16, 1, a(12, 12), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      new Case(1, 16, 32, 1, a(10, 10), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      new Case(3, 8, 8, 8, a(20, 20), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      // planes of one pixel (squeeze-and-excitation convolutions): one product over the batch
      new Case(3, 37, 21, 1, a(1, 1), a(1, 1), a(1, 1), a(0, 0, 0, 0), a(1, 1)),
      new Case(1, 9, 70, 1, a(1), a(1), a(1), a(0, 0), a(1)),
      // output rows wider than a vector, uneven padding: the padded-plane unfold's row copies
      new Case(2, 3, 5, 1, a(9, 37), a(3, 3), a(1, 1), a(1, 2, 0, 1), a(1, 1)),
      // ConvTranspose-style: input one longer than the forward output needs (output_padding)
      new Case(1, 2, 2, 1, a(10), new WindowGeometry(a(3), a(2), a(1, 1), a(1)), a(5)),
      // depthwise: vector-wide rows, strides, asymmetric pads, dilation, 1-d, 3-d, big kernels
      new Case(2, 6, 6, 6, a(9, 37), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      new Case(1, 4, 4, 4, a(11, 35), a(5, 5), a(2, 2), a(2, 1, 2, 3), a(1, 1)),
      new Case(1, 3, 3, 3, a(8, 40), a(3, 3), a(1, 1), a(2, 2, 2, 2), a(2, 2)),
      new Case(2, 3, 3, 3, a(50), a(5), a(1), a(0, 4), a(1)),
      new Case(1, 2, 2, 2, a(3, 5, 20), a(3, 2, 3), a(1, 1, 1), a(1, 0, 1, 1, 1, 1), a(1, 1, 1)),
      new Case(1, 2, 2, 2, a(2, 3), a(5, 5), a(1, 1), a(2, 2, 2, 2), a(1, 1)),
      new Case(1, 3, 3, 3, a(10), new WindowGeometry(a(3), a(2), a(1, 1), a(1)), a(5)),
      new Case(2, 4, 4, 4, a(33, 33), a(3, 3), a(2, 2), a(1, 1, 1, 1), a(1, 1)),
      // column stride 2: each row split into its even and odd elements at once (no padding, and
      // two columns of it: the even elements go to the first or the second phase)
      new Case(2, 6, 6, 6, a(20, 48), a(3, 3), a(2, 2), a(0, 0, 0, 0), a(1, 1)),
      new Case(1, 8, 8, 8, a(24, 24), a(5, 5), a(2, 2), a(2, 2, 2, 2), a(1, 1)),
      // small feature maps with many channels: the dot-product kernel, with the weights
      // transposed once per call in backwardData (grouped, pointwise and 3×3)
      new Case(2, 40, 72, 1, a(3, 3), a(1, 1), a(1, 1), a(0, 0, 0, 0), a(1, 1)),
      // 1×1 over small planes of several samples: one product over the whole batch
      new Case(5, 24, 40, 1, a(6, 6), a(1, 1), a(1, 1), a(0, 0, 0, 0), a(1, 1)),
      // small planes that fill whole panels (12×12 = 3·48 columns): a product per sample
      new Case(3, 8, 10, 1, a(12, 12), a(1, 1), a(1, 1), a(0, 0, 0, 0), a(1, 1)),
      new Case(3, 7, 5, 1, a(1, 1), a(1, 1), a(1, 1), a(0, 0, 0, 0), a(1, 1)),
      // "same" windows of stride 1 unfold the plane as one flat row between zero margins: a
      // 5×5 window over 5×7 planes (wider than the plane's height), a 1×3 one, and 11×11 planes
      // of one sample, unfolded by channels on both threads
      new Case(2, 5, 7, 1, a(5, 7), a(5, 5), a(1, 1), a(2, 2, 2, 2), a(1, 1)),
      new Case(1, 3, 4, 1, a(6, 9), a(1, 3), a(1, 1), a(0, 1, 0, 1), a(1, 1)),
      new Case(1, 32, 128, 1, a(11, 11), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      new Case(2, 32, 64, 2, a(3, 3), a(1, 1), a(1, 1), a(0, 0, 0, 0), a(1, 1)),
      new Case(2, 16, 80, 2, a(5, 5), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      new Case(1, 24, 64, 1, a(7, 7), a(3, 3), a(2, 2), a(1, 1, 1, 1), a(1, 1)),
      // above Par.MIN_WORK: (sample, group) pairs in parallel, and depthwise planes in parallel
      new Case(2, 32, 32, 2, a(24, 24), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      new Case(2, 64, 64, 64, a(40, 40), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      // few taps in all, rows at least a vector wide: the direct stem kernel over phase planes
      // (stride 2 with and without padding, a ragged channel block, asymmetric window, stride
      // and pads, dilation, rows of several tiles, one sample split by rows, samples in parallel)
      new Case(2, 3, 6, 1, a(40, 37), a(3, 3), a(2, 2), a(1, 1, 1, 1), a(1, 1)),
      new Case(1, 3, 8, 1, a(31, 35), a(3, 3), a(2, 2), a(0, 0, 0, 0), a(1, 1)),
      new Case(1, 2, 4, 1, a(10, 50), a(2, 5), a(3, 2), a(0, 1, 2, 0), a(1, 1)),
      new Case(1, 1, 5, 1, a(20, 40), a(3, 3), a(1, 1), a(2, 2, 2, 2), a(2, 2)),
      new Case(1, 3, 4, 1, a(10, 100), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      new Case(1, 3, 2, 1, a(7, 30), new WindowGeometry(a(3, 3), a(2, 1), a(1, 1, 1, 1), a(1, 1)), a(5, 31)),
      new Case(1, 3, 16, 1, a(64, 64), a(3, 3), a(2, 2), a(1, 1, 1, 1), a(1, 1)),
      new Case(4, 3, 16, 1, a(48, 48), a(3, 3), a(2, 2), a(1, 1, 1, 1), a(1, 1)),
      // one sample with enough work for its unfold and its product to be split over the threads
      // (3×3, 1×1, and strided with uneven padding and dilation)
      new Case(1, 16, 24, 1, a(23, 23), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      new Case(1, 64, 32, 1, a(23, 23), a(1, 1), a(1, 1), a(0, 0, 0, 0), a(1, 1)),
      new Case(1, 32, 48, 1, a(30, 29), a(3, 3), a(2, 2), a(1, 0, 2, 1), a(1, 2)),
    };
  }

  // ------------------------------------------------------------ hand-checked double reference

  private static final double[] X3 = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  private static final double[] W2 = {1, 2, 3, 4};

  /** Naive 2-d cross-correlation written independently: one sample, one channel. */
  private static double[] naive2d(double[] x, int h, int w, double[] k, int kh, int kw,
      int stride, int pad, int oh, int ow) {
    double[] y = new double[oh * ow];
    for (int i = 0; i < oh; i++) {
      for (int j = 0; j < ow; j++) {
        double s = 0;
        for (int a = 0; a < kh; a++) {
          for (int b = 0; b < kw; b++) {
            int r = i * stride - pad + a;
            int c = j * stride - pad + b;
            if (r >= 0 && r < h && c >= 0 && c < w) {
              s += x[r * w + c] * k[a * kw + b];
            }
          }
        }
        y[i * ow + j] = s;
      }
    }
    return y;
  }

  @Test
  void handCheckedForward() {
    double[] y = new double[4];
    Conv.forward(X3, a(1, 1, 3, 3), W2, a(1, 1, 2, 2), new double[] {0.5}, WindowGeometry.of(2, 2),
        1, y, a(1, 1, 2, 2));
    assertArrayEquals(new double[] {37.5, 47.5, 67.5, 77.5}, y, 0.0);
    assertArrayEquals(new double[] {37, 47, 67, 77}, naive2d(X3, 3, 3, W2, 2, 2, 1, 0, 2, 2), 0.0);

    WindowGeometry padded = new WindowGeometry(a(2, 2), a(2, 2), a(1, 1, 1, 1), null);
    assertEquals(2, padded.outputSize(0, 3, false));
    double[] yp = new double[4];
    Conv.forward(X3, a(1, 1, 3, 3), W2, a(1, 1, 2, 2), null, padded, 1, yp, a(1, 1, 2, 2));
    assertArrayEquals(new double[] {4, 18, 36, 77}, yp, 0.0);
    assertArrayEquals(yp, naive2d(X3, 3, 3, W2, 2, 2, 2, 1, 2, 2), 0.0);

    float[] yf = new float[4];
    Conv.forward(toF(X3), a(1, 1, 3, 3), toF(W2), a(1, 1, 2, 2), null, padded, 1, yf,
        a(1, 1, 2, 2));
    assertArrayEquals(new float[] {4, 18, 36, 77}, yf, 0f);
  }

  @Test
  void handCheckedBackward() {
    double[] ones = {1, 1, 1, 1};
    double[] gx = new double[9];
    Arrays.fill(gx, Double.NaN);
    Conv.backwardData(ones, a(1, 1, 2, 2), W2, a(1, 1, 2, 2), WindowGeometry.of(2, 2), 1, gx,
        a(1, 1, 3, 3));
    assertArrayEquals(new double[] {1, 3, 2, 4, 10, 6, 3, 7, 4}, gx, 0.0);
    double[] gw = new double[4];
    Arrays.fill(gw, Double.NaN);
    Conv.backwardWeight(ones, a(1, 1, 2, 2), X3, a(1, 1, 3, 3), WindowGeometry.of(2, 2), 1, gw,
        a(1, 1, 2, 2));
    assertArrayEquals(new double[] {12, 16, 24, 28}, gw, 0.0);

    float[] gxf = new float[9];
    Arrays.fill(gxf, Float.NaN);
    Conv.backwardData(toF(ones), a(1, 1, 2, 2), toF(W2), a(1, 1, 2, 2), WindowGeometry.of(2, 2),
        1, gxf, a(1, 1, 3, 3));
    assertArrayEquals(new float[] {1, 3, 2, 4, 10, 6, 3, 7, 4}, gxf, 0f);
    float[] gwf = new float[4];
    Arrays.fill(gwf, Float.NaN);
    Conv.backwardWeight(toF(ones), a(1, 1, 2, 2), toF(X3), a(1, 1, 3, 3), WindowGeometry.of(2, 2),
        1, gwf, a(1, 1, 2, 2));
    assertArrayEquals(new float[] {12, 16, 24, 28}, gwf, 0f);
  }

  @Test
  void doubleReferenceMatchesNaiveOnRandomSingleChannel() {
    Random r = new Random(5);
    double[] x = TestArrays.randomDoubles(r, 6 * 7);
    double[] k = TestArrays.randomDoubles(r, 3 * 3);
    WindowGeometry g = new WindowGeometry(a(3, 3), a(2, 2), a(1, 1, 1, 1), null);
    int oh = g.outputSize(0, 6, false);
    int ow = g.outputSize(1, 7, false);
    double[] y = new double[oh * ow];
    ConvReference.forward(x, a(1, 1, 6, 7), k, a(1, 1, 3, 3), null, g, 1, y, a(1, 1, oh, ow));
    assertClose(naive2d(x, 6, 7, k, 3, 3, 2, 1, oh, ow), y, 1e-12, "naive");
  }

  @Test
  void fastDoubleMatchesReference() {
    Random r = new Random(77);
    for (Case cs : cases()) {
      int[] xs = cs.xShape();
      int[] ws = cs.wShape();
      int[] ys = cs.yShape();
      double[] x = TestArrays.randomDoubles(r, size(xs));
      double[] w = TestArrays.randomDoubles(r, size(ws));
      double[] bias = TestArrays.randomDoubles(r, cs.m());
      double[] gy = TestArrays.randomDoubles(r, size(ys));
      double[] y = filled(size(ys));
      double[] yr = new double[y.length];
      Conv.forward(x, xs, w, ws, bias, cs.g(), cs.group(), y, ys);
      ConvReference.forward(x, xs, w, ws, bias, cs.g(), cs.group(), yr, ys);
      assertClose(yr, y, 1e-12, "forward " + cs);
      double[] gx = filled(x.length);
      double[] gxr = new double[x.length];
      Conv.backwardData(gy, ys, w, ws, cs.g(), cs.group(), gx, xs);
      ConvReference.backwardData(gy, ys, w, ws, cs.g(), cs.group(), gxr, xs);
      assertClose(gxr, gx, 1e-12, "backwardData " + cs);
      double[] gw = filled(w.length);
      double[] gwr = new double[w.length];
      Conv.backwardWeight(gy, ys, x, xs, cs.g(), cs.group(), gw, ws);
      ConvReference.backwardWeight(gy, ys, x, xs, cs.g(), cs.group(), gwr, ws);
      assertClose(gwr, gw, 1e-12, "backwardWeight " + cs);
    }
  }

  @Test
  void depthwiseVectorMatchesScalarPath() {
    Random r = new Random(31);
    int seen = 0;
    for (Case cs : Stream.concat(Arrays.stream(cases()), Arrays.stream(depthwisePlaneCases())).toList()) {
      int[] xs = cs.xShape();
      int[] ws = cs.wShape();
      int[] ys = cs.yShape();
      ConvDims d = new ConvDims(xs, ws, ys, cs.g(), cs.group());
      if (!DepthwiseConv.applies(d)) {
        continue;
      }
      seen++;
      float[] x = randomFloats(r, size(xs));
      float[] w = randomFloats(r, size(ws));
      float[] bias = randomFloats(r, cs.m());
      float[] gy = randomFloats(r, size(ys));
      float[][] out = new float[2][];
      float[][] gx = new float[2][];
      float[][] gw = new float[2][];
      for (int k = 0; k < 2; k++) {
        out[k] = new float[gy.length];
        gx[k] = new float[x.length];
        Arrays.fill(gx[k], Float.NaN); // both paths overwrite every element
        gw[k] = new float[w.length];
        DepthwiseConv.forward(x, w, bias, d, out[k], k == 0);
        DepthwiseConv.backwardData(gy, w, d, gx[k], k == 0);
        DepthwiseConv.backwardWeight(gy, x, d, gw[k], k == 0);
      }
      assertClose(toDouble(out[1]), out[0], 1e-5, "forward " + cs);
      assertClose(toDouble(gx[1]), gx[0], 1e-5, "backwardData " + cs);
      assertClose(toDouble(gw[1]), gw[0], 1e-5, "backwardWeight " + cs);
    }
    assertEquals(31, seen, "depthwise cases");
  }

  /** Depthwise geometries of the zoo models and edge cases of the phase-plane kernel. */
  private static Case[] depthwisePlaneCases() {
    return new Case[] {
      new Case(2, 6, 6, 6, a(6, 6), a(5, 5), a(1, 1), a(2, 2, 2, 2), a(1, 1)),
      new Case(2, 5, 5, 5, a(3, 3), a(5, 5), a(1, 1), a(2, 2, 2, 2), a(1, 1)),
      new Case(2, 3, 3, 3, a(24, 24), a(5, 5), a(2, 2), a(2, 2, 2, 2), a(1, 1)),
      new Case(2, 3, 3, 3, a(48, 48), a(3, 3), a(2, 2), a(1, 1, 1, 1), a(1, 1)),
      new Case(1, 4, 4, 4, a(12, 12), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      new Case(1, 2, 2, 2, a(13, 11), a(3, 5), a(3, 2), a(0, 3, 2, 1), a(2, 1)),
      new Case(1, 2, 2, 2, a(9, 17), a(3, 3), a(1, 2), a(1, 0, 0, 2), a(3, 3)),
      new Case(1, 3, 3, 3, a(40), a(7), a(3), a(3, 1), a(2)),
      new Case(1, 2, 2, 2, a(1, 1), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      new Case(1, 2, 2, 2, a(7, 7), new WindowGeometry(a(3, 3), a(2, 2), a(0, 0, 0, 0), a(1, 1)),
          a(4, 5)),
      // rows longer than one and two vectors, stride 1 and 2, odd widths and one-sided padding
      new Case(1, 2, 2, 2, a(5, 70), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      new Case(1, 2, 2, 2, a(6, 75), a(3, 3), a(2, 2), a(0, 1, 1, 0), a(1, 1)),
      new Case(2, 3, 3, 3, a(4, 33), a(5, 5), a(2, 2), a(2, 2, 2, 2), a(1, 1)),
      // stride 1 with uneven padding and dilation, and one-dimensional: the data gradient is a
      // forward over gy padded by what the window reached past x
      new Case(1, 2, 2, 2, a(9, 10), a(3, 3), a(1, 1), a(1, 0, 2, 2), a(2, 1)),
      new Case(1, 3, 3, 3, a(20), a(5), a(1), a(0, 3), a(1)),
      // padding wider than the window reaches: the general loop
      new Case(1, 2, 2, 2, a(6, 6), a(3, 3), a(1, 1), a(3, 3, 3, 3), a(1, 1)),
    };
  }

  @Test
  void depthwisePlanesMatchScalarPathBitForBit() {
    Random r = new Random(57);
    int seen = 0;
    for (Case[] set : new Case[][] {cases(), depthwisePlaneCases()}) {
      for (Case cs : set) {
        int[] xs = cs.xShape();
        int[] ys = cs.yShape();
        ConvDims d = new ConvDims(xs, cs.wShape(), ys, cs.g(), cs.group());
        if (!DepthwiseConv.applies(d) || !DepthwisePlanes.applies(d.win)) {
          continue;
        }
        seen++;
        float[] x = randomFloats(r, size(xs));
        float[] w = randomFloats(r, size(cs.wShape()));
        for (float[] bias : new float[][] {null, randomFloats(r, cs.m())}) {
          float[] planes = new float[size(ys)];
          Arrays.fill(planes, Float.NaN);
          float[] scalar = new float[planes.length];
          DepthwisePlanes.forward(x, w, bias, d, null, 0f, 0f, planes);
          DepthwiseConv.forward(x, w, bias, d, scalar, false);
          // bit for bit (JUnit compares floats by their bits)
          assertArrayEquals(scalar, planes, cs + " bias=" + (bias != null));
        }
      }
    }
    assertEquals(29, seen, "depthwise cases of rank <= 2");
  }

  @Test
  void depthwiseChannelsMatchScalarPathBitForBit() {
    Random r = new Random(59);
    Case[] extra = {
      new Case(2, 20, 20, 20, a(3, 3), a(5, 5), a(1, 1), a(2, 2, 2, 2), a(1, 1)),
      new Case(3, 40, 40, 40, a(6, 6), a(5, 5), a(2, 2), a(2, 2, 2, 2), a(1, 1)),
      new Case(1, 33, 33, 33, a(8, 8), a(3, 3), a(1, 1), a(1, 1, 1, 1), a(1, 1)),
      new Case(2, 17, 17, 17, a(12, 12), a(3, 3), a(2, 2), a(0, 1, 1, 0), a(1, 1)),
      new Case(1, 16, 16, 16, a(7, 9), a(3, 3), a(1, 2), a(1, 0, 0, 2), a(2, 1)),
      new Case(1, 18, 18, 18, a(40), a(7), a(3), a(3, 1), a(2)),
    };
    int seen = 0;
    for (Case[] set : new Case[][] {cases(), depthwisePlaneCases(), extra}) {
      for (Case cs : set) {
        ConvDims d = new ConvDims(cs.xShape(), cs.wShape(), cs.yShape(), cs.g(), cs.group());
        if (!DepthwiseConv.applies(d) || !DepthwiseChannels.applies(d)) {
          continue;
        }
        seen++;
        float[] x = randomFloats(r, size(cs.xShape()));
        float[] w = randomFloats(r, size(cs.wShape()));
        for (float[] bias : new float[][] {null, randomFloats(r, cs.m())}) {
          float[] channels = new float[size(cs.yShape())];
          Arrays.fill(channels, Float.NaN);
          float[] scalar = new float[channels.length];
          DepthwiseChannels.forward(x, w, bias, d, null, 0f, 0f, channels);
          DepthwiseConv.forward(x, w, bias, d, scalar, false);
          // bit for bit (JUnit compares floats by their bits)
          assertArrayEquals(scalar, channels, cs + " bias=" + (bias != null));
          float[] planes = new float[channels.length];
          float[] fused = new float[channels.length];
          DepthwisePlanes.forward(x, w, bias, d, Activation.SILU, 0f, 0f, planes);
          DepthwiseChannels.forward(x, w, bias, d, Activation.SILU, 0f, 0f, fused);
          assertArrayEquals(planes, fused, cs + " with SiLU");
        }
        // the data gradient (strided: this kernel's adjoint), against the scalar loop, into
        // arrays that start as NaN so that an element left unwritten shows
        float[] gy = randomFloats(r, size(cs.yShape()));
        float[] gx = new float[x.length];
        float[] ref = new float[x.length];
        Arrays.fill(gx, Float.NaN);
        DepthwiseConv.backwardData(gy, w, d, gx, true);
        DepthwiseConv.backwardData(gy, w, d, ref, false);
        assertClose(toDouble(ref), gx, 1e-5, "backwardData " + cs);
      }
    }
    assertEquals(27, seen, "depthwise cases the channel-lane kernel takes");
  }

  @Test
  void depthwisePlanesFuseTheActivation() {
    Random r = new Random(58);
    int seen = 0;
    for (Case cs : depthwisePlaneCases()) {
      ConvDims d = new ConvDims(cs.xShape(), cs.wShape(), cs.yShape(), cs.g(), cs.group());
      float[] x = randomFloats(r, size(cs.xShape()));
      float[] w = randomFloats(r, size(cs.wShape()));
      float[] bias = randomFloats(r, cs.m());
      float[] plain = new float[size(cs.yShape())];
      DepthwiseConv.forward(x, w, bias, d, plain, false);
      for (Activation f : new Activation[] {Activation.RELU, Activation.SILU, Activation.HARD_SWISH}) {
        float[] fused = new float[plain.length];
        Arrays.fill(fused, Float.NaN);
        DepthwisePlanes.forward(x, w, bias, d, f, 1f / 6, 0.5f, fused);
        for (int i = 0; i < plain.length; i++) {
          float v = plain[i];
          float want = switch (f) {
            case RELU -> Math.max(v, 0f);
            case SILU -> (float) (v / (1 + Math.exp(-v)));
            default -> v * Math.min(1f, Math.max(0f, v / 6 + 0.5f));
          };
          assertEquals(want, fused[i], 2e-6f * Math.max(1f, Math.abs(want)),
              f + " element " + i + " of " + cs);
        }
        seen++;
      }
    }
    assertEquals(3 * depthwisePlaneCases().length, seen);
  }

  private static double[] filled(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  private static float[] toF(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  // ------------------------------------------------------------ float vs double, adjoints

  @Test
  void floatMatchesDoubleReferenceEvenAfterDirtyScratch() {
    Random r = new Random(1234);
    for (Case cs : cases()) {
      int[] xs = cs.xShape();
      int[] ws = cs.wShape();
      int[] ys = cs.yShape();
      float[] x = randomFloats(r, size(xs));
      float[] w = randomFloats(r, size(ws));
      float[] bias = randomFloats(r, cs.m());
      float[] gy = randomFloats(r, size(ys));
      for (boolean withBias : new boolean[] {false, true}) {
        float[] y = new float[size(ys)];
        Arrays.fill(y, Float.NaN);
        double[] yd = new double[y.length];
        fillScratchWithNaN(); // stale unfold buffers must never leak into results
        Conv.forward(x, xs, w, ws, withBias ? bias : null, cs.g(), cs.group(), y, ys);
        ConvReference.forward(toDouble(x), xs, toDouble(w), ws, withBias ? toDouble(bias) : null,
            cs.g(), cs.group(), yd, ys);
        assertClose(yd, y, 1e-4, "forward bias=" + withBias + " " + cs);
      }
      float[] gx = new float[x.length];
      Arrays.fill(gx, Float.NaN);
      double[] gxd = new double[x.length];
      fillScratchWithNaN(); // stale unfold buffers must never leak into results
      Conv.backwardData(gy, ys, w, ws, cs.g(), cs.group(), gx, xs);
      ConvReference.backwardData(toDouble(gy), ys, toDouble(w), ws, cs.g(), cs.group(), gxd, xs);
      assertClose(gxd, gx, 1e-4, "backwardData " + cs);
      float[] gw = new float[w.length];
      Arrays.fill(gw, Float.NaN);
      double[] gwd = new double[w.length];
      fillScratchWithNaN(); // stale unfold buffers must never leak into results
      Conv.backwardWeight(gy, ys, x, xs, cs.g(), cs.group(), gw, ws);
      ConvReference.backwardWeight(toDouble(gy), ys, toDouble(x), xs, cs.g(), cs.group(), gwd, ws);
      assertClose(gwd, gw, 1e-4, "backwardWeight " + cs);
    }
  }

  /**
   * The fused forward (bias and activation applied per output block) against the double
   * reference followed by {@link Activation#apply}, for every path of the case list (depthwise,
   * pointwise, unfolded, dot-product and parallel) and the activations convolutions are followed
   * by in the zoo (Relu, Relu6 as Clip, HardSwish, SiLU).
   */
  @Test
  void fusedActivationMatchesReferenceThenActivation() {
    Random r = new Random(99);
    Object[][] fs = {
      {Activation.RELU, 0f, 0f}, {Activation.CLIP, 0f, 0.6f}, {Activation.HARD_SWISH, 1f / 6, 0.5f},
      {Activation.SILU, 0f, 0f}, {Activation.HARD_SIGMOID, 0.2f, 0.5f}
    };
    for (Case cs : cases()) {
      float[] x = randomFloats(r, size(cs.xShape()));
      float[] w = randomFloats(r, size(cs.wShape()));
      float[] bias = randomFloats(r, cs.m());
      double[] yd = new double[size(cs.yShape())];
      ConvReference.forward(toDouble(x), cs.xShape(), toDouble(w), cs.wShape(), toDouble(bias), cs.g(),
          cs.group(), yd, cs.yShape());
      for (Object[] f : fs) {
        Activation act = (Activation) f[0];
        float alpha = (float) f[1];
        float beta = (float) f[2];
        double[] want = new double[yd.length];
        for (int i = 0; i < yd.length; i++) {
          want[i] = act.apply(yd[i], alpha, beta);
        }
        float[] y = new float[yd.length];
        Arrays.fill(y, Float.NaN);
        new CpuBackend().conv().forward(x, cs.xShape(), w, cs.wShape(), bias, cs.g(), cs.group(), act, alpha,
            beta, y, cs.yShape());
        assertClose(want, y, 1e-4, "fused " + act + " " + cs);
      }
    }
  }

  /**
   * A convolution written into channels [2, 2 + M) of a wider output (its part of a
   * concatenation) gives the bits of its own output there, with and without an activation, and
   * leaves the other channels as they were, on every path of the case list (depthwise and stem
   * among them, which write a block of their own and copy it in).
   */
  @Test
  void forwardIntoAConcatenationWritesOnlyItsChannels() {
    Random r = new Random(41);
    for (Case cs : cases()) {
      float[] x = randomFloats(r, size(cs.xShape()));
      float[] w = randomFloats(r, size(cs.wShape()));
      float[] bias = randomFloats(r, cs.m());
      int[] ys = cs.yShape();
      int n = ys[0];
      int m = ys[1];
      int plane = size(ys) / (n * m);
      int[] wide = ys.clone();
      wide[1] = m + 5;
      for (Activation act : new Activation[] {null, Activation.RELU}) {
        float[] own = new float[size(ys)];
        CpuBackend be = new CpuBackend();
        if (act == null) {
          be.conv().forward(x, cs.xShape(), w, cs.wShape(), bias, cs.g(), cs.group(), own, ys);
        } else {
          be.conv().forward(x, cs.xShape(), w, cs.wShape(), bias, cs.g(), cs.group(), act, 0f, 0f, own, ys);
        }
        float[] y = new float[size(wide)];
        for (int i = 0; i < y.length; i++) {
          y[i] = -1000f - i;
        }
        be.conv().forwardInto(x, cs.xShape(), w, cs.wShape(), bias, cs.g(), cs.group(), act, 0f, 0f, y, wide, 2);
        for (int b = 0; b < n; b++) {
          for (int c = 0; c < m + 5; c++) {
            for (int i = 0; i < plane; i++) {
              int at = (b * (m + 5) + c) * plane + i;
              float want = c >= 2 && c < 2 + m ? own[(b * m + c - 2) * plane + i] : -1000f - at;
              assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(y[at]),
                  act + " " + cs + " sample " + b + " channel " + c + " at " + i);
            }
          }
        }
      }
      assertThrows(IllegalArgumentException.class, () -> new CpuBackend().conv().forwardInto(x, cs.xShape(), w,
          cs.wShape(), bias, cs.g(), cs.group(), null, 0f, 0f, new float[size(wide)], wide, 6));
    }
  }

  /**
   * Weights marked constant are packed once for their lifetime, and a single sample's product
   * then reads them packed too: every path gives the bits of the same weights unmarked (packed
   * per call, or per row band inside the product), for one sample and for several, per sample
   * and over the batch, alone and into a concatenation.
   */
  @Test
  void constantWeightsGiveTheBitsOfWeightsPackedPerCall() {
    Random r = new Random(43);
    // n, c, h, m, k: per sample (23×23, 12×12), over the batch (11×11, 5×5, 7×7, 6×6 under a 5×5
    // window; above 96 output channels the product packs its B), 1×1, single pixels
    int[][] shapes = {
      {1, 16, 23, 64, 3}, {3, 16, 23, 64, 3}, {1, 8, 12, 40, 3}, {1, 32, 11, 128, 3}, {4, 32, 11, 128, 3},
      {4, 48, 5, 100, 3}, {2, 40, 7, 52, 1}, {3, 40, 7, 120, 1}, {7, 20, 5, 97, 1}, {5, 6, 6, 98, 5},
      // one sample's small planes as the transposed product (5×5, 3×3 and 4×4 under a 3×3 window)
      {1, 48, 5, 100, 3}, {1, 40, 5, 152, 1}, {1, 64, 3, 130, 1}, {1, 24, 4, 149, 3},
      // planes of one pixel (squeeze-and-excitation): wᵀ kept in column panels
      {1, 144, 1, 576, 1}, {6, 20, 1, 70, 1}};
    for (int[] sh : shapes) {
      int n = sh[0], c = sh[1], h = sh[2], m = sh[3], k = sh[4], p = k / 2, s = h * h;
      WindowGeometry g = new WindowGeometry(new int[] {k, k}, new int[] {1, 1}, new int[] {p, p, p, p}, null);
      int[] xs = {n, c, h, h};
      int[] ws = {m, c, k, k};
      float[] x = randomFloats(r, n * c * s);
      float[] w = randomFloats(r, m * c * k * k);
      float[] bias = randomFloats(r, m);
      float[] constant = w.clone();
      new CpuBackend().markConstant(constant);
      for (Activation act : new Activation[] {null, Activation.RELU}) {
        String what = Arrays.toString(sh) + " " + act;
        float[] want = new float[n * m * s];
        float[] got = new float[n * m * s];
        Conv.forward(x, xs, w, ws, bias, g, 1, act, 0f, 0f, want, new int[] {n, m, h, h});
        for (int twice = 0; twice < 2; twice++) { // packing on first use, then what was kept
          Conv.forward(x, xs, constant, ws, bias, g, 1, act, 0f, 0f, got, new int[] {n, m, h, h});
          assertArrayEquals(want, got, what);
        }
        float[] wide = new float[n * (m + 3) * s];
        Arrays.fill(wide, -7f);
        Conv.forwardInto(x, xs, constant, ws, bias, g, 1, act, 0f, 0f, wide, new int[] {n, m + 3, h, h}, 1);
        for (int b = 0; b < n; b++) {
          assertArrayEquals(Arrays.copyOfRange(want, b * m * s, (b + 1) * m * s),
              Arrays.copyOfRange(wide, (b * (m + 3) + 1) * s, (b * (m + 3) + 1 + m) * s), what + " into a concatenation");
          assertEquals(-7f, wide[b * (m + 3) * s + s - 1], what);
          assertEquals(-7f, wide[(b * (m + 3) + m + 1) * s], what);
        }
      }
    }
  }

  /**
   * One sample with small planes (the transposed product) gives the bits each sample has in a
   * batch (the panel kernel's product over blocks of samples), and the double reference's values, with and
   * without bias and ReLU, 3×3 and 1×1, into a concatenation too. With SiLU or hard-swish
   * (applied after the product) the values agree to a few units in the last place: an element
   * the vector loop takes in one layout may fall in the scalar tail of another, and the Vector
   * API's exp is the JIT's intrinsic once compiled and {@code Math.exp} lane by lane before.
   */
  @Test
  void oneSmallPlaneGivesTheBitsItHasInABatch() {
    Random r = new Random(61);
    // c, h, m, k: 5×5, 3×3, and (with four panels of channels or more) 6×6, 7×7 and 8×8 planes; 25, 9
    // and 49 pixels end in a panel of one row, 36 in one of four
    int[][] shapes = {{48, 5, 192, 3}, {64, 5, 256, 1}, {40, 3, 100, 3}, {384, 5, 97, 1}, {80, 6, 480, 1},
      {96, 7, 200, 1}, {32, 8, 196, 3}};
    for (int[] sh : shapes) {
      int c = sh[0], h = sh[1], m = sh[2], k = sh[3], p = k / 2, s = h * h;
      WindowGeometry g = new WindowGeometry(new int[] {k, k}, new int[] {1, 1}, new int[] {p, p, p, p}, null);
      float[] x = randomFloats(r, c * s);
      float[] w = randomFloats(r, m * c * k * k);
      new CpuBackend().markConstant(w);
      // 64 copies: on up to eight threads, blocks of at least eight samples (72 columns and more),
      // which take the panel kernel
      int copies = 64;
      float[] many = new float[copies * c * s];
      for (int b = 0; b < copies; b++) {
        System.arraycopy(x, 0, many, b * c * s, c * s);
      }
      for (float[] bias : new float[][] {null, randomFloats(r, m)}) {
        for (Activation act : new Activation[] {null, Activation.RELU, Activation.SILU, Activation.HARD_SWISH}) {
          String what = Arrays.toString(sh) + (bias == null ? "" : " bias") + " " + act;
          float alpha = act == Activation.HARD_SWISH ? 1f / 6 : 0f;
          float beta = act == Activation.HARD_SWISH ? 0.5f : 0f;
          float[] one = new float[m * s];
          Conv.forward(x, new int[] {1, c, h, h}, w, new int[] {m, c, k, k}, bias, g, 1, act, alpha, beta, one,
              new int[] {1, m, h, h});
          float[] batch = new float[copies * m * s];
          Conv.forward(many, new int[] {copies, c, h, h}, w, new int[] {m, c, k, k}, bias, g, 1, act, alpha, beta,
              batch, new int[] {copies, m, h, h});
          boolean exact = act == null || act == Activation.RELU;
          for (int b = 0; b < copies; b++) {
            float[] sample = Arrays.copyOfRange(batch, b * m * s, (b + 1) * m * s);
            if (exact) {
              assertArrayEquals(sample, one, what + " sample " + b);
            } else {
              for (int i = 0; i < sample.length; i++) {
                assertEquals(sample[i], one[i], 4 * Math.ulp(sample[i]), what + " sample " + b + " element " + i);
              }
            }
          }
          double[] ref = new double[m * s];
          ConvReference.forward(toDouble(x), new int[] {1, c, h, h}, toDouble(w), new int[] {m, c, k, k},
              bias == null ? null : toDouble(bias), g, 1, ref, new int[] {1, m, h, h});
          for (int i = 0; i < ref.length; i++) {
            double v = ref[i];
            double want = act == null ? v : switch (act) {
              case RELU -> Math.max(0, v);
              case SILU -> v / (1 + Math.exp(-v));
              case HARD_SWISH -> v * Math.min(1, Math.max(0, v / 6 + 0.5));
              default -> throw new AssertionError(act);
            };
            assertEquals(want, one[i], 1e-4 * (1 + Math.abs(want)), what + " element " + i);
          }
          float[] wide = new float[(m + 2) * s];
          Arrays.fill(wide, -5f);
          Conv.forwardInto(x, new int[] {1, c, h, h}, w, new int[] {m, c, k, k}, bias, g, 1, act, alpha, beta, wide,
              new int[] {1, m + 2, h, h}, 1);
          float[] part = Arrays.copyOfRange(wide, s, (m + 1) * s);
          for (int i = 0; i < one.length; i++) {
            assertEquals(one[i], part[i], exact ? 0f : 4 * Math.ulp(one[i]), what + " into a concatenation, element " + i);
          }
          assertEquals(-5f, wide[s - 1], what);
          assertEquals(-5f, wide[(m + 1) * s], what);
        }
      }
    }
  }

  /**
   * The fused ReLU (over the batch, per sample, single pixels) gives the bits of the convolution
   * without it followed by the ReLU (+0.0 wherever the value is not greater than zero, NaN
   * included), alone and into a concatenation.
   */
  @Test
  void fusedReluGivesTheReluOfTheConvolution() {
    Random r = new Random(47);
    for (int[] sh : new int[][] {{4, 24, 5, 40, 3}, {3, 16, 11, 20, 3}, {5, 12, 7, 9, 1}, {2, 8, 4, 17, 1}, {2, 8, 16, 12, 3},
        {3, 20, 1, 30, 1}}) {
      int n = sh[0], c = sh[1], h = sh[2], m = sh[3], k = sh[4], p = k / 2, s = h * h;
      WindowGeometry g = new WindowGeometry(new int[] {k, k}, new int[] {1, 1}, new int[] {p, p, p, p}, null);
      int[] xs = {n, c, h, h};
      int[] ws = {m, c, k, k};
      int[] ys = {n, m, h, h};
      float[] x = randomFloats(r, n * c * s);
      x[r.nextInt(x.length)] = Float.NaN;
      float[] w = randomFloats(r, m * c * k * k);
      float[] bias = randomFloats(r, m);
      float[] plain = new float[n * m * s];
      Conv.forward(x, xs, w, ws, bias, g, 1, plain, ys);
      float[] want = new float[plain.length];
      for (int i = 0; i < want.length; i++) {
        want[i] = plain[i] > 0f ? plain[i] : 0f;
      }
      float[] got = new float[plain.length];
      Conv.forward(x, xs, w, ws, bias, g, 1, Activation.RELU, 0f, 0f, got, ys);
      assertArrayEquals(want, got, Arrays.toString(sh));
      float[] wide = new float[n * (m + 2) * s];
      Conv.forwardInto(x, xs, w, ws, bias, g, 1, Activation.RELU, 0f, 0f, wide, new int[] {n, m + 2, h, h}, 2);
      for (int b = 0; b < n; b++) {
        assertArrayEquals(Arrays.copyOfRange(want, b * m * s, (b + 1) * m * s),
            Arrays.copyOfRange(wide, (b * (m + 2) + 2) * s, (b + 1) * (m + 2) * s), Arrays.toString(sh) + " into a concatenation");
      }
    }
  }

  /**
   * A stem pooled as it is computed gives the bits of the stem and then the max pooling: per
   * sample over the batch and row by row for one sample, with and without activations, for
   * windows with and without padding; a convolution with too many taps is declined.
   */
  @Test
  void stemPooledAsItIsComputedGivesTheStemThenThePooling() {
    Random r = new Random(53);
    // n, c, h, m, stride, pad; one sample large enough to be split by blocks of channels (SqueezeNet's
    // stem), and with a last block of two channels
    int[][] convs = {{3, 3, 47, 20, 1, 0}, {1, 3, 48, 16, 2, 1}, {2, 2, 33, 8, 2, 1}, {1, 3, 96, 64, 2, 0},
        {1, 3, 96, 30, 2, 0}};
    WindowGeometry[] pools = {
      new WindowGeometry(new int[] {3, 3}, new int[] {2, 2}, new int[] {0, 0, 0, 0}, null),
      new WindowGeometry(new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0, 0, 0}, null),
      new WindowGeometry(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1, 1, 1}, null)};
    for (int[] cv : convs) {
      int n = cv[0], c = cv[1], h = cv[2], m = cv[3], st = cv[4], pad = cv[5];
      int o = (h + 2 * pad - 3) / st + 1;
      WindowGeometry g = new WindowGeometry(new int[] {3, 3}, new int[] {st, st}, new int[] {pad, pad, pad, pad}, null);
      int[] xs = {n, c, h, h};
      int[] ws = {m, c, 3, 3};
      int[] cs = {n, m, o, o};
      float[] x = randomFloats(r, n * c * h * h);
      float[] w = randomFloats(r, m * c * 9);
      float[] bias = randomFloats(r, m);
      for (WindowGeometry pg : pools) {
        int po = (o + pg.pads()[0] + pg.pads()[2] - pg.kernel()[0]) / pg.strides()[0] + 1;
        int[] ps = {n, m, po, po};
        for (Activation act : new Activation[] {null, Activation.RELU, Activation.HARD_SWISH}) {
          float[] conv = new float[n * m * o * o];
          Conv.forward(x, xs, w, ws, bias, g, 1, act, 0.2f, 0.5f, conv, cs);
          float[] want = new float[n * m * po * po];
          Pool.maxForward(conv, cs, pg, want, ps, null);
          float[] got = new float[want.length];
          assertEquals(true, Conv.forwardMaxPooled(x, xs, w, ws, bias, g, 1, act, 0.2f, 0.5f, cs, pg, got, ps));
          assertArrayEquals(want, got, Arrays.toString(cv) + " " + act + " pool " + Arrays.toString(pg.kernel())
              + " pads " + Arrays.toString(pg.pads()));
        }
      }
    }
    WindowGeometry g = new WindowGeometry(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1, 1, 1}, null);
    assertEquals(false, Conv.forwardMaxPooled(new float[16 * 36], new int[] {1, 16, 6, 6}, new float[8 * 144],
        new int[] {8, 16, 3, 3}, null, g, 1, null, 0f, 0f, new int[] {1, 8, 6, 6}, pools[0], new float[8 * 4],
        new int[] {1, 8, 2, 2}));
  }

  /** Leaves this thread's scratch slot holding a large NaN-filled buffer. */
  private static void fillScratchWithNaN() {
    float[] dirty = Scratch.take(1 << 16);
    Arrays.fill(dirty, Float.NaN);
    Scratch.give(dirty);
  }

  @Test
  void adjointIdentitiesInDouble() {
    Random r = new Random(99);
    for (Case cs : cases()) {
      int[] xs = cs.xShape();
      int[] ws = cs.wShape();
      int[] ys = cs.yShape();
      double[] x = TestArrays.randomDoubles(r, size(xs));
      double[] w = TestArrays.randomDoubles(r, size(ws));
      double[] gy = TestArrays.randomDoubles(r, size(ys));
      double[] y = new double[gy.length];
      Conv.forward(x, xs, w, ws, null, cs.g(), cs.group(), y, ys);
      double[] gx = new double[x.length];
      Conv.backwardData(gy, ys, w, ws, cs.g(), cs.group(), gx, xs);
      double[] gw = new double[w.length];
      Conv.backwardWeight(gy, ys, x, xs, cs.g(), cs.group(), gw, ws);
      double lhs = inner(y, gy);
      double scale = Math.max(1.0, Math.abs(lhs));
      assertEquals(lhs, inner(x, gx), 1e-10 * scale, "<conv(x),gy> vs <x,gx> " + cs);
      assertEquals(lhs, inner(w, gw), 1e-10 * scale, "<conv(x),gy> vs <w,gw> " + cs);
    }
  }

  @Test
  void rejectsInconsistentShapes() {
    WindowGeometry g = WindowGeometry.of(2, 2);
    assertThrows(IllegalArgumentException.class, () -> Conv.forward(new float[18], a(1, 2, 3, 3),
        new float[4], a(1, 1, 2, 2), null, g, 1, new float[4], a(1, 1, 2, 2)));
    assertThrows(IllegalArgumentException.class, () -> Conv.forward(new float[9], a(1, 1, 3, 3),
        new float[4], a(1, 1, 2, 2), null, g, 1, new float[4], a(1, 2, 2, 2)));
  }
}
