package dev.jattr.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** Test helpers: random data and tolerance checks relative to the largest magnitude. */
final class TestArrays {
  private TestArrays() {}

  static float[] randomFloats(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return a;
  }

  static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  static int size(int... shape) {
    int p = 1;
    for (int v : shape) {
      p *= v;
    }
    return p;
  }

  /** Asserts |actual - expected| <= tol * max(1e-30, max|expected|) elementwise. */
  static void assertClose(double[] expected, float[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double scale = 0;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    double bound = tol * Math.max(scale, 1e-30);
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= bound)) {
        fail(what + ": element " + i + " expected " + expected[i] + " got " + actual[i]
            + " (scale " + scale + ")");
      }
    }
  }

  static void assertClose(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double scale = 0;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    double bound = tol * Math.max(scale, 1e-30);
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= bound)) {
        fail(what + ": element " + i + " expected " + expected[i] + " got " + actual[i]
            + " (scale " + scale + ")");
      }
    }
  }

  static double inner(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double[] randomDoubles(Random r, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextDouble() * 2 - 1;
    }
    return a;
  }
}
