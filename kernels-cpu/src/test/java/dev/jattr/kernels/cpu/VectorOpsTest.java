package dev.jattr.kernels.cpu;

import static dev.jattr.kernels.cpu.TestArrays.randomFloats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorOpsTest {
  private static final int[] SIZES = {0, 1, 7, 15, 16, 17, 31, 33, 64, 100, 1023, 1025, 5000};

  @Test
  void elementwiseMatchesScalar() {
    Random r = new Random(21);
    for (int n : SIZES) {
      float[] a = randomFloats(r, n + 3);
      float[] b = randomFloats(r, n + 3);
      float[] v = new float[n + 3];
      float[] s = new float[n + 3];
      VectorOps.add(a, b, v, n);
      VectorOps.addScalar(a, b, s, n);
      assertArrayEquals(s, v, "add " + n);
      VectorOps.mul(a, b, v, n);
      VectorOps.mulScalar(a, b, s, n);
      assertArrayEquals(s, v, "mul " + n);
      float[] yv = b.clone();
      float[] ys = b.clone();
      VectorOps.axpy(0.75f, a, yv, n);
      VectorOps.axpyScalar(0.75f, a, ys, n);
      assertArrayEquals(ys, yv, "axpy " + n);
      VectorOps.relu(a, v, n);
      VectorOps.reluScalar(a, s, n);
      assertArrayEquals(s, v, "relu " + n);
      for (int i = 0; i < n; i++) {
        assertTrue(v[i] >= 0);
      }
    }
  }

  @Test
  void reluEdgeCases() {
    float[] x = {-0f, Float.NaN, -3f, 2f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
    float[] v = new float[x.length];
    float[] s = new float[x.length];
    VectorOps.relu(x, v, x.length);
    VectorOps.reluScalar(x, s, x.length);
    assertArrayEquals(s, v);
    assertEquals(0f, v[0]);
    assertTrue(Float.isNaN(v[1]));
  }

  @Test
  void reductionsMatchScalar() {
    Random r = new Random(22);
    for (int n : SIZES) {
      float[] a = randomFloats(r, n + 5);
      float[] b = randomFloats(r, n);
      double tol = 1e-5 * Math.max(1, n);
      assertEquals(VectorOps.sumScalar(a, 5, n), VectorOps.sum(a, 5, n), tol, "sum " + n);
      assertEquals(VectorOps.dotScalar(a, b, n), VectorOps.dot(a, b, n), tol * 1e-1, "dot " + n);
    }
    float[] ones = new float[3000];
    java.util.Arrays.fill(ones, 1f);
    assertEquals(3000f, VectorOps.sum(ones, 0, 3000));
    assertEquals(2999f, VectorOps.sum(ones, 1, 2999));
    assertEquals(3000.0, VectorOps.dot(ones, ones, 3000));
  }

  @Test
  void inPlaceAccumulateWithOffsets() {
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
    float[] y = new float[22];
    VectorOps.addInPlace(x, 1, y, 2, 19);
    assertEquals(0f, y[0]);
    assertEquals(0f, y[1]);
    assertEquals(2f, y[2]);
    assertEquals(20f, y[20]);
    assertEquals(0f, y[21]);
  }
}
