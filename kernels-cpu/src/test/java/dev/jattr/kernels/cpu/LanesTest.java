package dev.jattr.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class LanesTest {
  /** The documented order: the upper half added to the lower half, lane by lane, until one lane is left. */
  private static double folded(double[] v, boolean asFloat) {
    double[] s = v.clone();
    for (int half = s.length / 2; half >= 1; half /= 2) {
      for (int i = 0; i < half; i++) {
        s[i] = asFloat ? (float) ((float) s[i] + (float) s[i + half]) : s[i] + s[i + half];
      }
    }
    return s[0];
  }

  @Test
  void sumsFoldHalvesInAFixedOrderBitForBit() {
    Random r = new Random(1);
    int fl = FloatVector.SPECIES_PREFERRED.length(), dl = DoubleVector.SPECIES_PREFERRED.length();
    for (int t = 0; t < 2000; t++) {
      float[] f = new float[fl];
      double[] fd = new double[fl];
      for (int i = 0; i < fl; i++) {
        f[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6));
        fd[i] = f[i];
      }
      assertEquals((float) folded(fd, true), Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, f, 0)));
      double[] d = new double[dl];
      for (int i = 0; i < dl; i++) {
        d[i] = r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15);
      }
      assertEquals(folded(d, false), Lanes.sum(DoubleVector.fromArray(DoubleVector.SPECIES_PREFERRED, d, 0)));
    }
  }
}
