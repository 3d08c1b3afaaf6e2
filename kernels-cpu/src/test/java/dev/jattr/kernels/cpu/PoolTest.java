package dev.jattr.kernels.cpu;

import static dev.jattr.kernels.cpu.TestArrays.assertClose;
import static dev.jattr.kernels.cpu.TestArrays.inner;
import static dev.jattr.kernels.cpu.TestArrays.randomFloats;
import static dev.jattr.kernels.cpu.TestArrays.size;
import static dev.jattr.kernels.cpu.TestArrays.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.kernels.WindowGeometry;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PoolTest {

  private static int[] a(int... v) {
    return v;
  }

  private static final double[] X3 = {1, 2, 3, 4, 5, 6, 7, 8, 9};

  @Test
  void maxTiesTakeFirstIndexInScanOrder() {
    double[] y = new double[1];
    int[] arg = new int[1];
    Pool.maxForward(new double[] {3, 3, 3, 3}, a(1, 1, 2, 2), WindowGeometry.of(2, 2), y,
        a(1, 1, 1, 1), arg);
    assertEquals(3.0, y[0]);
    assertEquals(0, arg[0]);
    Pool.maxForward(new double[] {1, 5, 5, 2}, a(1, 1, 2, 2), WindowGeometry.of(2, 2), y,
        a(1, 1, 1, 1), arg);
    assertEquals(1, arg[0]);
    float[] yf = new float[1];
    Pool.maxForward(new float[] {1, 5, 5, 2}, a(1, 1, 2, 2), WindowGeometry.of(2, 2), yf,
        a(1, 1, 1, 1), arg);
    assertEquals(5f, yf[0]);
    assertEquals(1, arg[0]);
    // dilation 2 scans positions 0, 2, 4 -> values 2, 9, 9: first 9 is index 2
    WindowGeometry dil = new WindowGeometry(a(3), null, null, a(2));
    Pool.maxForward(new float[] {2, 9, 9, 1, 9}, a(1, 1, 5), dil, yf, a(1, 1, 1), arg);
    assertEquals(9f, yf[0]);
    assertEquals(2, arg[0]);
  }

  @Test
  void maxPaddingNeverWinsAndFlatIndicesSpanTheTensor() {
    // two channels; the second channel is all negative so padding (as 0) would win if counted
    double[] x = {1, 2, 3, 4, -5, -3, -4, -6};
    WindowGeometry g = new WindowGeometry(a(2, 2), null, a(1, 1, 1, 1), null);
    int[] ys = a(1, 2, 3, 3);
    double[] y = new double[18];
    int[] arg = new int[18];
    Pool.maxForward(x, a(1, 2, 2, 2), g, y, ys, arg);
    double[] second = Arrays.copyOfRange(y, 9, 18);
    assertArrayEquals(new double[] {-5, -3, -3, -4, -3, -3, -4, -4, -6}, second, 0.0);
    assertArrayEquals(new int[] {4, 5, 5, 6, 5, 5, 6, 6, 7}, Arrays.copyOfRange(arg, 9, 18));
    float[] yf = new float[18];
    int[] argf = new int[18];
    Pool.maxForward(new float[] {1, 2, 3, 4, -5, -3, -4, -6}, a(1, 2, 2, 2), g, yf, ys, argf);
    assertArrayEquals(arg, argf);
  }

  @Test
  void maxWindowOfOnlyPadding() {
    // length 2, kernel 2, end pad 3: windows start at 0, 1, 2, 3; the last two are pure padding
    WindowGeometry g = new WindowGeometry(a(2), null, a(0, 3), null);
    assertEquals(4, g.outputSize(0, 2, false));
    float[] y = new float[4];
    int[] arg = new int[4];
    Pool.maxForward(new float[] {-7, -8}, a(1, 1, 2), g, y, a(1, 1, 4), arg);
    assertArrayEquals(new int[] {0, 1, -1, -1}, arg);
    assertArrayEquals(new float[] {-7, -8, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, y);
    double[] yd = new double[4];
    Pool.maxForward(new double[] {-7, -8}, a(1, 1, 2), g, yd, a(1, 1, 4), arg);
    assertArrayEquals(new int[] {0, 1, -1, -1}, arg);
  }

  @Test
  void maxNanWins() {
    float[] y = new float[1];
    int[] arg = new int[1];
    Pool.maxForward(new float[] {1, Float.NaN, 7}, a(1, 1, 3), WindowGeometry.of(3), y,
        a(1, 1, 1), arg);
    assertTrue(Float.isNaN(y[0]));
    assertEquals(1, arg[0]);
  }

  @Test
  void averageCountIncludePadBothWays() {
    WindowGeometry g = new WindowGeometry(a(2, 2), a(2, 2), a(1, 1, 1, 1), null);
    double[] y = new double[4];
    Pool.averageForward(X3, a(1, 1, 3, 3), g, true, y, a(1, 1, 2, 2));
    assertArrayEquals(new double[] {0.25, 1.25, 2.75, 7}, y, 1e-15);
    Pool.averageForward(X3, a(1, 1, 3, 3), g, false, y, a(1, 1, 2, 2));
    assertArrayEquals(new double[] {1, 2.5, 5.5, 7}, y, 1e-15);
    float[] yf = new float[4];
    float[] x3f = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    Pool.averageForward(x3f, a(1, 1, 3, 3), g, true, yf, a(1, 1, 2, 2));
    assertArrayEquals(new float[] {0.25f, 1.25f, 2.75f, 7}, yf, 1e-6f);
    Pool.averageForward(x3f, a(1, 1, 3, 3), g, false, yf, a(1, 1, 2, 2));
    assertArrayEquals(new float[] {1, 2.5f, 5.5f, 7}, yf, 1e-6f);
  }

  @Test
  void averageCeilModeNeverCountsBeyondThePaddedInput() {
    // len 5, k 3, s 2, pads 0/1; ceil gives 3 windows starting at 0, 2, 4. The last covers
    // 4 (real), 5 (pad), 6 (beyond the padded input).
    WindowGeometry g = new WindowGeometry(a(3), a(2), a(0, 1), null);
    assertEquals(3, g.outputSize(0, 5, true));
    double[] x = {1, 2, 3, 4, 5};
    double[] y = new double[3];
    Pool.averageForward(x, a(1, 1, 5), g, true, y, a(1, 1, 3));
    assertArrayEquals(new double[] {2, 4, 2.5}, y, 1e-15);
    Pool.averageForward(x, a(1, 1, 5), g, false, y, a(1, 1, 3));
    assertArrayEquals(new double[] {2, 4, 5}, y, 1e-15);
    float[] yf = new float[3];
    Pool.averageForward(new float[] {1, 2, 3, 4, 5}, a(1, 1, 5), g, true, yf, a(1, 1, 3));
    assertArrayEquals(new float[] {2, 4, 2.5f}, yf, 1e-6f);
    double[] gx = new double[5];
    Pool.averageBackward(new double[] {3, 6, 2}, a(1, 1, 3), g, true, gx, a(1, 1, 5));
    assertArrayEquals(new double[] {1, 1, 3, 2, 3}, gx, 1e-15);
  }

  /** Pool configurations: x shape, geometry, ceil mode. */
  private record Case(int[] xShape, WindowGeometry g, boolean ceil) {
    int[] yShape() {
      int r = g.rank();
      int[] ys = xShape.clone();
      for (int d = 0; d < r; d++) {
        ys[d + 2] = g.outputSize(d, xShape[d + 2], ceil);
      }
      return ys;
    }
  }

  private static Case[] cases() {
    return new Case[] {
      new Case(a(2, 3, 11), new WindowGeometry(a(3), a(2), a(1, 2), a(1)), false),
      new Case(a(1, 2, 10), new WindowGeometry(a(2), a(2), a(0, 0), a(2)), true),
      new Case(a(2, 2, 7, 6), new WindowGeometry(a(3, 2), a(2, 1), a(1, 0, 1, 1), a(1, 2)), true),
      new Case(a(1, 3, 9, 9), new WindowGeometry(a(3, 3), a(2, 2), a(1, 1, 1, 1), null), false),
      new Case(a(1, 2, 4, 5, 6),
          new WindowGeometry(a(2, 3, 2), a(2, 1, 2), a(1, 0, 1, 0, 1, 0), a(1, 1, 2)), true),
      new Case(a(4, 16, 24, 24), new WindowGeometry(a(3, 3), a(2, 2), a(1, 1, 1, 1), null), true),
      new Case(a(1, 2, 5, 7), new WindowGeometry(a(2, 3), a(3, 2), a(2, 1, 2, 3), a(2, 3)), true),
      // rows wide enough for the vector blocks without argmax (strided gather, then stride 1)
      new Case(a(1, 3, 6, 80), new WindowGeometry(a(2, 3), a(1, 2), a(1, 1, 0, 2), a(1, 2)), true),
      new Case(a(2, 2, 4, 41), new WindowGeometry(a(2, 2), a(1, 1), a(0, 0, 0, 0), null), false),
    };
  }

  @Test
  void maxWithoutIndicesMatchesTheIndexedScanBitForBit() {
    Random r = new Random(8);
    Case[] zoo = {
      new Case(a(2, 5, 23, 23), new WindowGeometry(a(3, 3), a(2, 2), a(0, 0, 0, 0), null), true),
      new Case(a(1, 3, 47, 47), new WindowGeometry(a(3, 3), a(2, 2), a(0, 0, 0, 0), null), true),
      new Case(a(2, 4, 48, 48), new WindowGeometry(a(3, 3), a(2, 2), a(1, 1, 1, 1), null), false),
      new Case(a(1, 2, 5, 5), new WindowGeometry(a(3, 3), a(1, 1), a(2, 2, 2, 2), null), false),
      // lanes across channels (PoolChannels): a ragged last block, padding, ceil mode, a sample
      // whose block meets a NaN (its planes go back to the scan)
      new Case(a(3, 40, 11, 11), new WindowGeometry(a(3, 3), a(2, 2), a(0, 0, 0, 0), null), true),
      new Case(a(2, 24, 12, 12), new WindowGeometry(a(3, 3), a(2, 2), a(1, 1, 1, 1), null), false),
      new Case(a(2, 17, 7, 9), new WindowGeometry(a(2, 3), a(1, 2), a(0, 1, 1, 0), a(1, 2)), true),
    };
    for (Case[] set : new Case[][] {cases(), zoo}) {
      for (Case cs : set) {
        int[] xs = cs.xShape();
        int[] ys = cs.yShape();
        float[] x = randomFloats(r, size(xs));
        for (int i = 0; i < x.length; i += 7) {
          x[i] = (i & 8) == 0 ? 0f : -0f; // signed-zero ties: the first in scan order wins
        }
        for (int i = 3; i < x.length; i += 11) {
          x[i] = x[i - 1]; // equal neighbours
        }
        if (xs[1] == 17) {
          x[5] = Float.intBitsToFloat(0x7fc00001); // two NaNs of different payloads in one window
          x[6] = Float.intBitsToFloat(0x7fc00002);
        }
        float[] indexed = new float[size(ys)];
        float[] plain = new float[indexed.length];
        Arrays.fill(plain, Float.NaN);
        Pool.maxForward(x, xs, cs.g(), indexed, ys, new int[indexed.length]);
        Pool.maxForward(x, xs, cs.g(), plain, ys, null);
        // bit for bit (JUnit compares floats by their bits)
        assertArrayEquals(indexed, plain, cs::toString);
      }
    }
  }

  /**
   * The fast paths on planes of their own: most planes hold ordinary values (and take the
   * separable, phase or channel-lane path), single planes hold an infinity of either sign, a
   * −0.0 tie or a NaN (and go back to the scan); every output equals the indexed scan's bits.
   */
  @Test
  void maxPlanesWithInfinitiesSignedZerosOrNanMatchTheScan() {
    Random r = new Random(9);
    Case[] shapes = {
      new Case(a(2, 6, 23, 23), new WindowGeometry(a(3, 3), a(2, 2), a(0, 0, 0, 0), null), true),
      new Case(a(1, 6, 47, 47), new WindowGeometry(a(3, 3), a(2, 2), a(0, 0, 0, 0), null), true),
      new Case(a(2, 6, 20, 20), new WindowGeometry(a(3, 3), a(1, 1), a(1, 1, 1, 1), null), false),
      new Case(a(2, 20, 11, 11), new WindowGeometry(a(3, 3), a(2, 2), a(0, 0, 0, 0), null), true),
    };
    for (Case cs : shapes) {
      int[] xs = cs.xShape();
      int[] ys = cs.yShape();
      int plane = xs[2] * xs[3];
      float[] x = randomFloats(r, size(xs));
      float[] special = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.NaN};
      for (int s = 0; s < special.length; s++) {
        int at = (s + 1) * plane + plane / 2 + s; // plane s + 1, near its middle
        x[at] = special[s];
        if (special[s] == 0f) {
          x[at + 1] = 0f; // a tie with +0.0 in the same windows
        }
      }
      float[] indexed = new float[size(ys)];
      float[] plain = new float[indexed.length];
      Arrays.fill(plain, Float.NaN);
      Pool.maxForward(x, xs, cs.g(), indexed, ys, new int[indexed.length]);
      Pool.maxForward(x, xs, cs.g(), plain, ys, null);
      assertArrayEquals(indexed, plain, cs::toString);
      int outPlane = ys[2] * ys[3];
      assertTrue(Arrays.stream(toDouble(Arrays.copyOfRange(plain, outPlane, 2 * outPlane))).anyMatch(v -> v == Double.POSITIVE_INFINITY),
          "the +inf plane's maximum is +inf: " + cs);
    }
  }

  @Test
  void floatMatchesDoubleReference() {
    Random r = new Random(3);
    for (Case cs : cases()) {
      int[] xs = cs.xShape();
      int[] ys = cs.yShape();
      float[] x = randomFloats(r, size(xs));
      float[] gy = randomFloats(r, size(ys));
      float[] y = new float[size(ys)];
      double[] yd = new double[y.length];
      int[] arg = new int[y.length];
      int[] argd = new int[y.length];
      Pool.maxForward(x, xs, cs.g(), y, ys, arg);
      Pool.maxForward(toDouble(x), xs, cs.g(), yd, ys, argd);
      assertArrayEquals(argd, arg, "argmax " + cs);
      assertClose(yd, y, 0, "max " + cs);
      int nanAt = x.length / 2 + Math.min(37, x.length / 2 - 1); // inside a row of the wide cases
      float saved = x[nanAt];
      x[nanAt] = Float.NaN;
      Pool.maxForward(x, xs, cs.g(), y, ys, null);
      Pool.maxForward(toDouble(x), xs, cs.g(), yd, ys, argd);
      float[] expected = new float[yd.length];
      for (int i = 0; i < yd.length; i++) {
        expected[i] = (float) yd[i];
      }
      assertArrayEquals(expected, y, "max without indices, one NaN, " + cs);
      x[nanAt] = saved;
      for (boolean inc : new boolean[] {false, true}) {
        Pool.averageForward(x, xs, cs.g(), inc, y, ys);
        Pool.averageForward(toDouble(x), xs, cs.g(), inc, yd, ys);
        assertClose(yd, y, 1e-5, "avg include=" + inc + " " + cs);
        float[] gx = new float[x.length];
        Arrays.fill(gx, Float.NaN);
        double[] gxd = new double[x.length];
        Pool.averageBackward(gy, ys, cs.g(), inc, gx, xs);
        Pool.averageBackward(toDouble(gy), ys, cs.g(), inc, gxd, xs);
        assertClose(gxd, gx, 1e-5, "avg backward include=" + inc + " " + cs);
      }
    }
  }

  @Test
  void averageBackwardIsTheAdjoint() {
    Random r = new Random(8);
    for (Case cs : cases()) {
      int[] xs = cs.xShape();
      int[] ys = cs.yShape();
      double[] x = TestArrays.randomDoubles(r, size(xs));
      double[] gy = TestArrays.randomDoubles(r, size(ys));
      for (boolean inc : new boolean[] {false, true}) {
        double[] y = new double[gy.length];
        double[] gx = new double[x.length];
        Pool.averageForward(x, xs, cs.g(), inc, y, ys);
        Pool.averageBackward(gy, ys, cs.g(), inc, gx, xs);
        double lhs = inner(y, gy);
        assertEquals(lhs, inner(x, gx), 1e-12 * Math.max(1, Math.abs(lhs)), cs.toString());
      }
    }
  }
}
