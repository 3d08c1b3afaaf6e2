package dev.jattr.kernels.cpu;

import static dev.jattr.kernels.cpu.TestArrays.assertClose;
import static dev.jattr.kernels.cpu.TestArrays.randomDoubles;
import static dev.jattr.kernels.cpu.TestArrays.randomFloats;
import static dev.jattr.kernels.cpu.TestArrays.size;
import static dev.jattr.kernels.cpu.TestArrays.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.Arithmetic;
import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.Backend;
import dev.jattr.kernels.Backends;
import dev.jattr.kernels.Device;
import dev.jattr.kernels.WindowGeometry;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The CPU backend is found by the service loader, and each of its entry points matches a plain reference. */
class CpuBackendTest {
  private static final Backend CPU = Backends.cpu();

  @Test
  void theServiceLoaderFindsTheCpuBackend() {
    assertInstanceOf(CpuBackend.class, CPU);
    assertSame(CPU, Backends.byName("cpu"));
    assertSame(CPU, Backends.defaultBackend());
    assertTrue(Backends.available().contains(CPU));
    assertEquals(java.util.List.of(), Backends.unavailable());
    assertEquals(Device.CPU, CPU.device());
    assertTrue(CPU.availability().available());
  }

  @Test
  void allocatesZeroedAlignedHostBuffers() {
    MemorySegment s = CPU.allocator().allocate(40, 64);
    assertEquals(40, s.byteSize());
    assertEquals(0, s.address() % 64);
    assertTrue(s.isNative());
    for (long i = 0; i < 40; i++) {
      assertEquals(0, s.get(ValueLayout.JAVA_BYTE, i));
    }
    assertEquals(Device.CPU, CPU.allocator().device());
    assertThrows(IllegalArgumentException.class, () -> CPU.allocator().allocate(8, 3));
    assertThrows(IllegalArgumentException.class, () -> CPU.allocator().allocate(-1, 8));
  }

  /** C (+)= op(A)·op(B) by the definition, in double. */
  private static void gemmReference(double[] a, int aOff, boolean ta, double[] b, int bOff, boolean tb, double[] c,
      int cOff, int m, int k, int n) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a[aOff + (ta ? p * m + i : i * k + p)] * b[bOff + (tb ? j * k + p : p * n + j)];
        }
        c[cOff + i * n + j] += s;
      }
    }
  }

  @Test
  void batchedProductsAccumulateIntoSharedOutputs() {
    Random r = new Random(1);
    int m = 5, k = 7, n = 9;
    int[] ao = {0, m * k, 2 * m * k}, bo = {0, k * n, 0}, co = {0, 0, m * n};
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        float[] a = randomFloats(r, 3 * m * k), b = randomFloats(r, 2 * k * n), c = randomFloats(r, 2 * m * n);
        double[] expected = toDouble(c);
        for (int i = 0; i < 3; i++) {
          gemmReference(toDouble(a), ao[i], ta, toDouble(b), bo[i], tb, expected, co[i], m, k, n);
        }
        double[] cd = toDouble(c);
        CPU.gemm().multiplyBatched(a, ao, ta, b, bo, tb, c, co, m, k, n, true);
        CPU.gemm().multiplyBatched(toDouble(a), ao, ta, toDouble(b), bo, tb, cd, co, m, k, n, true);
        assertClose(expected, c, 1e-5, "float ta=" + ta + " tb=" + tb);
        assertClose(expected, cd, 1e-12, "double ta=" + ta + " tb=" + tb);
      }
    }
  }

  @Test
  void convolutionsMatchTheReferenceForGroupedAndDepthwise() {
    Random r = new Random(2);
    WindowGeometry g = new WindowGeometry(new int[] {3, 3}, new int[] {2, 1}, new int[] {1, 0, 1, 2},
        new int[] {1, 2});
    for (int[] cg : new int[][] {{4, 6, 2}, {3, 3, 3}}) {
      int c = cg[0], mOut = cg[1], group = cg[2];
      int[] xs = {2, c, 7, 8}, ws = {mOut, c / group, 3, 3};
      int[] ys = {2, mOut, g.outputSize(0, 7, false), g.outputSize(1, 8, false)};
      double[] x = randomDoubles(r, size(xs)), w = randomDoubles(r, size(ws)), bias = randomDoubles(r, mOut);
      double[] gy = randomDoubles(r, size(ys));
      double[] y = new double[size(ys)], gx = new double[size(xs)], gw = new double[size(ws)];
      ConvReference.forward(x, xs, w, ws, bias, g, group, y, ys);
      ConvReference.backwardData(gy, ys, w, ws, g, group, gx, xs);
      ConvReference.backwardWeight(gy, ys, x, xs, g, group, gw, ws);
      float[] yf = new float[y.length], gxf = new float[gx.length], gwf = new float[gw.length];
      CPU.conv().forward(toFloat(x), xs, toFloat(w), ws, toFloat(bias), g, group, yf, ys);
      CPU.conv().backwardData(toFloat(gy), ys, toFloat(w), ws, g, group, gxf, xs);
      CPU.conv().backwardWeight(toFloat(gy), ys, toFloat(x), xs, g, group, gwf, ws);
      assertClose(y, yf, 1e-5, "float forward");
      assertClose(gx, gxf, 1e-5, "float data gradient");
      assertClose(gw, gwf, 1e-5, "float weight gradient");
      double[] yd = new double[y.length], gxd = new double[gx.length], gwd = new double[gw.length];
      CPU.conv().forward(x, xs, w, ws, bias, g, group, yd, ys);
      CPU.conv().backwardData(gy, ys, w, ws, g, group, gxd, xs);
      CPU.conv().backwardWeight(gy, ys, x, xs, g, group, gwd, ws);
      assertClose(y, yd, 1e-12, "double forward");
      assertClose(gx, gxd, 1e-12, "double data gradient");
      assertClose(gw, gwd, 1e-12, "double weight gradient");
    }
  }

  @Test
  void poolingAndItsGradientsMatchTheDoubleReference() {
    Random r = new Random(3);
    WindowGeometry g = new WindowGeometry(new int[] {3, 2}, new int[] {2, 2}, new int[] {1, 0, 1, 1}, null);
    int[] xs = {2, 3, 7, 6}, ys = {2, 3, g.outputSize(0, 7, false), g.outputSize(1, 6, false)};
    float[] x = randomFloats(r, size(xs)), gy = randomFloats(r, size(ys));
    float[] y = new float[size(ys)];
    int[] argmax = new int[y.length];
    CPU.pool().maxForward(x, xs, g, y, ys, argmax);
    float[] gx = new float[x.length];
    CPU.pool().maxBackward(gy, argmax, gx);
    double[] yd = new double[y.length], gxd = new double[x.length];
    int[] argmaxd = new int[y.length];
    Pool.maxForward(toDouble(x), xs, g, yd, ys, argmaxd);
    assertArrayEquals(argmaxd, argmax);
    assertClose(yd, y, 0, "max forward");
    for (int i = 0; i < argmaxd.length; i++) {
      if (argmaxd[i] >= 0) {
        gxd[argmaxd[i]] += gy[i];
      }
    }
    assertClose(gxd, gx, 1e-6, "max backward");
    double[] gxd2 = new double[x.length];
    CPU.pool().maxBackward(toDouble(gy), argmax, gxd2);
    assertClose(gxd, gxd2, 1e-15, "double max backward");
    for (boolean includePad : new boolean[] {false, true}) {
      float[] ya = new float[y.length], gxa = new float[x.length];
      double[] yad = new double[y.length], gxad = new double[x.length];
      CPU.pool().averageForward(x, xs, g, includePad, ya, ys);
      CPU.pool().averageBackward(gy, ys, g, includePad, gxa, xs);
      Pool.averageForward(toDouble(x), xs, g, includePad, yad, ys);
      Pool.averageBackward(toDouble(gy), ys, g, includePad, gxad, xs);
      assertClose(yad, ya, 1e-6, "average forward");
      assertClose(gxad, gxa, 1e-6, "average backward");
    }
  }

  @Test
  void elementwiseKernelsMatchTheScalarPaths() {
    Random r = new Random(4);
    AxisView v = new AxisView(3, 5, 37);
    float[] full = randomFloats(r, v.size()), small = randomFloats(r, v.mid());
    for (Arithmetic op : Arithmetic.values()) {
      float[] got = new float[v.size()], want = new float[v.size()];
      CPU.elementwise().binary(op, full, small, true, v, got);
      Elementwise.arith(op, full, small, true, v.outer(), v.mid(), v.inner(), want, false);
      assertArrayEquals(want, got, op.name());
    }
    float[] scale = randomFloats(r, v.mid()), shift = randomFloats(r, v.mid());
    float[] got = new float[v.size()], want = new float[v.size()];
    CPU.elementwise().affine(full, scale, shift, v, got);
    Elementwise.affine(full, scale, shift, v.outer(), v.mid(), v.inner(), want, false);
    assertArrayEquals(want, got);
    for (Activation f : Activation.values()) {
      float[] y = new float[full.length], yRef = new float[full.length];
      CPU.elementwise().unary(f, full, 0.2f, 0.5f, y, full.length);
      Elementwise.activation(f, full, 0.2f, 0.5f, yRef, full.length, false);
      assertClose(toDouble(yRef), y, 1e-6, f.name());
      float[] gx = new float[full.length], gxRef = new float[full.length];
      CPU.elementwise().unaryBackward(f, full, y, full, 0.2f, 0.5f, gx, full.length);
      Elementwise.activationBackward(f, full, y, full, 0.2f, 0.5f, gxRef, full.length, false);
      assertClose(toDouble(gxRef), gx, 1e-6, f.name() + " backward");
    }
  }

  @Test
  void reductionsMatchPlainSums() {
    Random r = new Random(5);
    for (AxisView v : new AxisView[] {new AxisView(3, 40, 1), new AxisView(2, 5, 7), new AxisView(1, 1, 9)}) {
      double[] x = randomDoubles(r, v.size());
      double[] over = new double[v.outer() * v.inner()], onto = new double[v.mid()];
      for (int o = 0; o < v.outer(); o++) {
        for (int m = 0; m < v.mid(); m++) {
          for (int i = 0; i < v.inner(); i++) {
            double e = x[(o * v.mid() + m) * v.inner() + i];
            over[o * v.inner() + i] += e;
            onto[m] += e;
          }
        }
      }
      float[] overF = new float[over.length], ontoF = new float[onto.length];
      double[] overD = new double[over.length], ontoD = new double[onto.length];
      CPU.reduce().sumOverAxis(toFloat(x), v, overF);
      CPU.reduce().sumToAxis(toFloat(x), v, ontoF);
      CPU.reduce().sumOverAxis(x, v, overD);
      CPU.reduce().sumToAxis(x, v, ontoD);
      assertClose(over, overF, 1e-6, "float sum over " + v);
      assertClose(onto, ontoF, 1e-6, "float sum onto " + v);
      assertClose(over, overD, 1e-14, "double sum over " + v);
      assertClose(onto, ontoD, 1e-14, "double sum onto " + v);
    }
  }

  @Test
  void softmaxNormalisesEachSliceAlongTheAxis() {
    Random r = new Random(6);
    AxisView v = new AxisView(2, 4, 3);
    double[] x = randomDoubles(r, v.size());
    x[0] = 800; // exp would overflow without the shift by the maximum
    double[] soft = new double[x.length], logSoft = new double[x.length];
    for (int o = 0; o < v.outer(); o++) {
      for (int i = 0; i < v.inner(); i++) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int m = 0; m < v.mid(); m++) {
          max = Math.max(max, x[(o * v.mid() + m) * v.inner() + i]);
        }
        for (int m = 0; m < v.mid(); m++) {
          sum += Math.exp(x[(o * v.mid() + m) * v.inner() + i] - max);
        }
        for (int m = 0; m < v.mid(); m++) {
          int at = (o * v.mid() + m) * v.inner() + i;
          soft[at] = Math.exp(x[at] - max) / sum;
          logSoft[at] = x[at] - max - Math.log(sum);
        }
      }
    }
    double[] got = new double[x.length];
    CPU.reduce().softmax(x, v, false, got);
    assertClose(soft, got, 1e-15, "softmax");
    CPU.reduce().softmax(x, v, true, got);
    assertClose(logSoft, got, 1e-15, "log-softmax");
    float[] gotF = toFloat(x);
    CPU.reduce().softmax(gotF, v, false, gotF);
    assertClose(soft, gotF, 1e-6, "float softmax in place");
  }

  @Test
  void gatherAndScatterAddAreAdjoint() {
    Random r = new Random(7);
    AxisView v = new AxisView(3, 5, 4);
    int[] idx = {4, 0, 4, 2};
    double[] src = randomDoubles(r, v.size());
    double[] want = new double[v.withMid(idx.length).size()];
    for (int o = 0; o < v.outer(); o++) {
      for (int j = 0; j < idx.length; j++) {
        for (int i = 0; i < v.inner(); i++) {
          want[(o * idx.length + j) * v.inner() + i] = src[(o * v.mid() + idx[j]) * v.inner() + i];
        }
      }
    }
    double[] got = new double[want.length];
    CPU.index().gather(src, v, idx, got);
    assertArrayEquals(want, got);
    float[] gotF = new float[want.length];
    CPU.index().gather(toFloat(src), v, idx, gotF);
    assertClose(want, gotF, 1e-7, "float gather");
    // <gather(x), g> = <x, scatterAdd(g)> for any x, g
    double[] g = randomDoubles(r, want.length), back = new double[v.size()];
    CPU.index().scatterAdd(g, idx, v, back);
    assertEquals(TestArrays.inner(want, g), TestArrays.inner(src, back), 1e-12);
    float[] backF = new float[v.size()];
    CPU.index().scatterAdd(toFloat(g), idx, v, backF);
    assertClose(back, backF, 1e-6, "float scatter-add");
    assertThrows(IndexOutOfBoundsException.class, () -> CPU.index().gather(src, v, new int[] {5}, new double[12]));
  }

  @Test
  void largeStridedCopiesSplitOverTheThreadsGiveEveryElement() {
    // views large enough to be copied in blocks of rows in parallel: a channel shuffle (runs of
    // adjacent elements), a transpose with a strided last dimension, broadcast rows, repeated
    // elements, and a view from an offset with a reversed middle dimension
    int[][][] views = {
      {{50, 12, 2, 144}, {3456, 144, 1728, 1}},
      {{64, 40, 30}, {1, 1920, 64}},
      {{300, 200}, {0, 1}},
      {{200, 300}, {1, 0}},
      {{7, 30, 300}, {9000, -300, 1}},
    };
    int[] offsets = {0, 0, 0, 0, 29 * 300};
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int v = 0; v < views.length; v++) {
      int[] shape = views[v][0], strides = views[v][1];
      int n = 1;
      long span = offsets[v];
      for (int d = 0; d < shape.length; d++) {
        n *= shape[d];
        span += (long) (shape[d] - 1) * Math.max(0, strides[d]);
      }
      float[] src = new float[(int) span + 1];
      for (int i = 0; i < src.length; i++) {
        src[i] = (float) r.nextDouble();
      }
      float[] want = new float[n + 2];
      int[] idx = new int[shape.length];
      for (int i = 0; i < n; i++) {
        int at = offsets[v];
        for (int d = 0, rest = i; d < shape.length; d++) {
          int below = 1;
          for (int e = d + 1; e < shape.length; e++) {
            below *= shape[e];
          }
          idx[d] = rest / below;
          rest %= below;
          at += idx[d] * strides[d];
        }
        want[i + 1] = src[at];
      }
      float[] got = new float[n + 2];
      CPU.copy().copy(src, offsets[v], strides, shape, got, 1);
      assertArrayEquals(want, got, "view " + java.util.Arrays.deepToString(views[v]));
    }
  }

  @Test
  void stridedCopyFollowsTheStridesAndCastRounds() {
    // src is a 3×4 matrix; copy its transpose with the columns reversed: shape [4, 3]
    double[] src = new double[12];
    for (int i = 0; i < 12; i++) {
      src[i] = i;
    }
    int[] shape = {4, 3}, strides = {1, -4};
    double[] want = new double[12];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        want[i * 3 + j] = src[(2 - j) * 4 + i];
      }
    }
    double[] got = new double[13];
    CPU.copy().copy(src, 8, strides, shape, got, 1);
    assertArrayEquals(want, java.util.Arrays.copyOfRange(got, 1, 13));
    float[] gotF = new float[12];
    CPU.copy().copy(toFloat(src), 8, strides, shape, gotF, 0);
    assertArrayEquals(toFloat(want), gotF);
    float[] rows = new float[8];
    CPU.copy().copy(toFloat(src), 4, new int[] {0, 1}, new int[] {2, 4}, rows, 0); // broadcast row 1
    assertArrayEquals(new float[] {4, 5, 6, 7, 4, 5, 6, 7}, rows);
    float[] scalar = new float[1];
    CPU.copy().copy(toFloat(src), 5, new int[0], new int[0], scalar, 0);
    assertArrayEquals(new float[] {5}, scalar);
    double[] third = {1.0 / 3, -2.5, 1e300};
    float[] f = new float[3];
    CPU.copy().cast(third, f, 3);
    assertArrayEquals(new float[] {1f / 3, -2.5f, Float.POSITIVE_INFINITY}, f);
    double[] d = new double[3];
    CPU.copy().cast(f, d, 3);
    assertArrayEquals(new double[] {1f / 3, -2.5, Double.POSITIVE_INFINITY}, d);
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }
}
