package dev.jattr.kernels.cpu;

import static dev.jattr.kernels.cpu.TestArrays.assertClose;
import static dev.jattr.kernels.cpu.TestArrays.randomFloats;
import static dev.jattr.kernels.cpu.TestArrays.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MatMulTest {

  /** Stores a rows×cols row-major matrix transposed (cols×rows). */
  private static double[] transpose(double[] m, int rows, int cols) {
    double[] t = new double[m.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = m[i * cols + j];
      }
    }
    return t;
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  @Test
  void handCheckedProductAllTransposeCombos() {
    double[] a = {1, 2, 3, 4}; // 2x2
    double[] b = {5, 6, 7, 8, 9, 10}; // 2x3
    double[] expected = {21, 24, 27, 47, 54, 61};
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        double[] as = ta ? transpose(a, 2, 2) : a;
        double[] bs = tb ? transpose(b, 2, 3) : b;
        double[] c = new double[6];
        Arrays.fill(c, Double.NaN);
        MatMul.multiply(as, 0, ta, bs, 0, tb, c, 0, 2, 2, 3, false);
        assertArrayEquals(expected, c, 0.0, "double ta=" + ta + " tb=" + tb);
        double[] acc = {1, 1, 1, 1, 1, 1};
        MatMul.multiply(as, 0, ta, bs, 0, tb, acc, 0, 2, 2, 3, true);
        assertArrayEquals(new double[] {22, 25, 28, 48, 55, 62}, acc, 0.0);
        float[] cf = new float[6];
        Arrays.fill(cf, Float.NaN);
        MatMul.multiply(toFloat(as), 0, ta, toFloat(bs), 0, tb, cf, 0, 2, 2, 3, false);
        assertArrayEquals(toFloat(expected), cf, 0f, "float ta=" + ta + " tb=" + tb);
      }
    }
  }

  @Test
  void doubleReferenceMatchesNaiveDefinition() {
    Random r = new Random(11);
    int m = 5;
    int k = 4;
    int n = 6;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        double[] a = TestArrays.randomDoubles(r, m * k);
        double[] b = TestArrays.randomDoubles(r, k * n);
        double[] c0 = TestArrays.randomDoubles(r, m * n);
        double[] expected = c0.clone();
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double s = 0;
            for (int p = 0; p < k; p++) {
              double av = ta ? a[p * m + i] : a[i * k + p];
              double bv = tb ? b[j * k + p] : b[p * n + j];
              s += av * bv;
            }
            expected[i * n + j] += s;
          }
        }
        double[] c = c0.clone();
        MatMul.multiply(a, 0, ta, b, 0, tb, c, 0, m, k, n, true);
        assertClose(expected, c, 1e-12, "ta=" + ta + " tb=" + tb);
      }
    }
  }

  @Test
  void floatMatchesDoubleReference() {
    Random r = new Random(42);
    int[][] shapes = {
      {1, 1, 1}, {3, 5, 7}, {4, 1, 33}, {17, 33, 19}, {4, 300, 40}, {37, 9, 70},
      {70, 64, 150}, {5, 20, 2100}, {130, 3, 5}
    };
    for (int[] s : shapes) {
      int m = s[0];
      int k = s[1];
      int n = s[2];
      for (int combo = 0; combo < 8; combo++) {
        boolean ta = (combo & 1) != 0;
        boolean tb = (combo & 2) != 0;
        boolean acc = (combo & 4) != 0;
        int aOff = 3;
        int bOff = 5;
        int cOff = 7;
        float[] a = randomFloats(r, aOff + m * k + 2);
        float[] b = randomFloats(r, bOff + k * n + 1);
        float[] c = randomFloats(r, cOff + m * n + 4);
        double[] cd = toDouble(c);
        float[] before = c.clone();
        MatMul.multiply(a, aOff, ta, b, bOff, tb, c, cOff, m, k, n, acc);
        MatMul.multiply(toDouble(a), aOff, ta, toDouble(b), bOff, tb, cd, cOff, m, k, n, acc);
        String what = Arrays.toString(s) + " ta=" + ta + " tb=" + tb + " acc=" + acc;
        assertClose(cd, c, 1e-4, what);
        for (int i = 0; i < cOff; i++) {
          assertEquals(before[i], c[i], what + " prefix untouched");
        }
        for (int i = cOff + m * n; i < c.length; i++) {
          assertEquals(before[i], c[i], what + " suffix untouched");
        }
      }
    }
  }

  @Test
  void batchedOffsets() {
    Random r = new Random(7);
    int batch = 3;
    int m = 6;
    int k = 11;
    int n = 35;
    float[] a = randomFloats(r, batch * m * k);
    float[] b = randomFloats(r, batch * k * n);
    float[] c = new float[batch * m * n];
    double[] cd = new double[c.length];
    double[] ad = toDouble(a);
    double[] bd = toDouble(b);
    for (int t = 0; t < batch; t++) {
      MatMul.multiply(a, t * m * k, false, b, t * k * n, true, c, t * m * n, m, k, n, false);
      MatMul.multiply(ad, t * m * k, false, bd, t * k * n, true, cd, t * m * n, m, k, n, false);
    }
    assertClose(cd, c, 1e-4, "batched");
  }

  @Test
  void emptyInnerDimensionOverwritesOrKeeps() {
    float[] c = {1, 2, 3, 4};
    MatMul.multiply(new float[0], 0, false, new float[0], 0, false, c, 0, 2, 0, 2, true);
    assertArrayEquals(new float[] {1, 2, 3, 4}, c);
    MatMul.multiply(new float[0], 0, false, new float[0], 0, false, c, 0, 2, 0, 2, false);
    assertArrayEquals(new float[4], c);
  }

  @Test
  void rejectsShortArrays() {
    assertThrows(IllegalArgumentException.class, () -> MatMul.multiply(new float[3], 0, false,
        new float[4], 0, false, new float[4], 0, 2, 2, 2, false));
  }
}
