package dev.jattr.kernels.cpu;

import static dev.jattr.kernels.cpu.TestArrays.assertClose;
import static dev.jattr.kernels.cpu.TestArrays.randomFloats;
import static dev.jattr.kernels.cpu.TestArrays.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.Arithmetic;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ElementwiseTest {
  private static final int[] SIZES = {0, 1, 7, 16, 17, 33, 100, 1025, 40000, 200003};
  private static final float ALPHA = 0.2f;
  private static final float BETA = 0.5f;

  /** The definition in double, written independently of the kernels. */
  private static double f(Activation a, double x) {
    return switch (a) {
      case RELU -> Math.max(x, 0);
      case SIGMOID -> 1 / (1 + Math.exp(-x));
      case TANH -> Math.tanh(x);
      case HARD_SIGMOID -> Math.max(0, Math.min(1, ALPHA * x + BETA));
      case HARD_SWISH -> x * Math.max(0, Math.min(1, ALPHA * x + BETA));
      case SILU -> x / (1 + Math.exp(-x));
      case CLIP -> Math.max(ALPHA, Math.min(BETA, x));
    };
  }

  private static double df(Activation a, double x) {
    return switch (a) {
      case RELU -> x > 0 ? 1 : 0;
      case SIGMOID -> f(a, x) * (1 - f(a, x));
      case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
      case HARD_SIGMOID -> ALPHA * x + BETA > 0 && ALPHA * x + BETA < 1 ? ALPHA : 0;
      case HARD_SWISH -> f(Activation.HARD_SIGMOID, x) + x * df(Activation.HARD_SIGMOID, x);
      case SILU -> f(Activation.SIGMOID, x) * (1 + x * (1 - f(Activation.SIGMOID, x)));
      case CLIP -> x >= ALPHA && x <= BETA ? 1 : 0;
    };
  }

  @Test
  void activationsMatchScalarPathAndDefinition() {
    Random r = new Random(3);
    for (int n : SIZES) {
      float[] x = randomFloats(r, n);
      for (int i = 0; i < n; i++) {
        x[i] *= 8; // reach the saturated ends of Sigmoid, Tanh and HardSigmoid
      }
      float[] gy = randomFloats(r, n);
      for (Activation a : Activation.values()) {
        float[] v = new float[n];
        float[] s = new float[n];
        Elementwise.activation(a, x, ALPHA, BETA, v, n, true);
        Elementwise.activation(a, x, ALPHA, BETA, s, n, false);
        double[] want = new double[n];
        double[] wantGrad = new double[n];
        for (int i = 0; i < n; i++) {
          want[i] = f(a, x[i]);
          wantGrad[i] = gy[i] * df(a, x[i]);
          assertEquals(want[i], a.apply(x[i], ALPHA, BETA), 1e-12 * Math.max(1, Math.abs(want[i])),
              a + " Activation.apply at " + x[i]);
        }
        assertClose(want, s, 1e-6, a + " scalar n=" + n);
        assertClose(toDouble(s), v, 1e-6, a + " vector n=" + n);
        float[] gv = new float[n];
        float[] gs = new float[n];
        Elementwise.activationBackward(a, x, s, gy, ALPHA, BETA, gv, n, true);
        Elementwise.activationBackward(a, x, s, gy, ALPHA, BETA, gs, n, false);
        assertClose(wantGrad, gs, 1e-5, a + " backward scalar n=" + n);
        assertClose(toDouble(gs), gv, 1e-6, a + " backward vector n=" + n);
      }
    }
  }

  /** Views: same shape, scalar, per-channel, per-sample-channel, trailing row, big parallel. */
  private static final int[][] VIEWS = {
    {1, 37, 1}, {1, 1, 53}, {2, 5, 49}, {1, 6, 17}, {7, 19, 1}, {3, 1, 1}, {4, 64, 1024}, {0, 3, 5},
    // operands of one shape, long enough to be split over the threads in several chunks
    {1, 300_007, 1},
  };

  @Test
  void broadcastArithmeticMatchesScalarPathExactly() {
    Random r = new Random(4);
    for (int[] v : VIEWS) {
      int outer = v[0];
      int mid = v[1];
      int inner = v[2];
      int n = outer * mid * inner;
      float[] full = randomFloats(r, n);
      float[] small = randomFloats(r, mid);
      for (Arithmetic op : Arithmetic.values()) {
        for (boolean smallFirst : new boolean[] {false, true}) {
          float[] vec = new float[n];
          float[] sca = new float[n];
          Elementwise.arith(op, full, small, smallFirst, outer, mid, inner, vec, true);
          Elementwise.arith(op, full, small, smallFirst, outer, mid, inner, sca, false);
          float[] want = new float[n];
          for (int i = 0; i < n; i++) {
            double p = full[i];
            double q = small[(i / inner) % mid];
            double u = smallFirst ? q : p;
            double w = smallFirst ? p : q;
            want[i] = (float) switch (op) {
              case ADD -> u + w;
              case SUB -> u - w;
              case MUL -> u * w;
              case DIV -> u / w;
            };
          }
          String what = op + " smallFirst=" + smallFirst + " view " + outer + "x" + mid + "x" + inner;
          // float arithmetic on float operands is correctly rounded: equal to the double result rounded
          assertArrayEquals(want, sca, what + " scalar");
          assertArrayEquals(want, vec, what + " vector");
        }
      }
    }
  }

  @Test
  void affineAndReductionMatchScalarPathAndDefinition() {
    Random r = new Random(5);
    for (int[] v : VIEWS) {
      int outer = v[0];
      int mid = v[1];
      int inner = v[2];
      int n = outer * mid * inner;
      float[] full = randomFloats(r, n);
      float[] scale = randomFloats(r, mid);
      float[] shift = randomFloats(r, mid);
      float[] vec = new float[n];
      float[] sca = new float[n];
      Elementwise.affine(full, scale, shift, outer, mid, inner, vec, true);
      Elementwise.affine(full, scale, shift, outer, mid, inner, sca, false);
      double[] want = new double[n];
      double[] sums = new double[mid];
      for (int i = 0; i < n; i++) {
        int m = (i / inner) % mid;
        want[i] = (double) full[i] * scale[m] + shift[m];
        sums[m] += full[i];
      }
      String what = "view " + outer + "x" + mid + "x" + inner;
      assertClose(want, sca, 1e-6, "affine scalar " + what);
      assertArrayEquals(sca, vec, "affine vector " + what);
      float[] rv = new float[mid];
      float[] rs = new float[mid];
      Elementwise.sumToMid(full, outer, mid, inner, rv, true);
      Elementwise.sumToMid(full, outer, mid, inner, rs, false);
      double tol = 1e-6 * Math.max(1, outer * inner);
      assertClose(sums, rs, tol, "sumToMid scalar " + what);
      assertClose(sums, rv, tol, "sumToMid vector " + what);
    }
  }
}
