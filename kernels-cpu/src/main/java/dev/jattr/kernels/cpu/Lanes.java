package dev.jattr.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums of a vector's lanes in one fixed order: the upper half is added to the lower half until
 * one lane is left. {@code reduceLanes(ADD)} leaves the order of a floating-point sum
 * unspecified, and the interpreter's order differs from the compiled one, so the same call gave
 * results differing in the last bit depending on whether the JIT had compiled the kernel yet; a
 * rerun of a dataset must give the same bits. The fold costs about half as much again as
 * {@code reduceLanes} (measured: 1.6 against 1.0 ns a 16-lane sum), so wide products avoid
 * cross-lane sums altogether (1×1 convolutions of small planes run over the whole batch).
 */
final class Lanes {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
  private static final int FL = FS.length(), DL = DS.length();
  // one constant field per fold: C2 intrinsifies a rearrange by a constant shuffle, not by an array element
  private static final VectorShuffle<Float> F1 = fold(FS, FL / 2), F2 = fold(FS, FL / 4), F3 = fold(FS, FL / 8),
      F4 = fold(FS, FL / 16);
  private static final VectorShuffle<Double> D1 = fold(DS, DL / 2), D2 = fold(DS, DL / 4), D3 = fold(DS, DL / 8);

  private Lanes() {}

  private static <E> VectorShuffle<E> fold(VectorSpecies<E> species, int offset) {
    return VectorShuffle.iota(species, Math.max(1, offset), 1, true);
  }

  /** The sum of the lanes of {@code v} (of the preferred species, at most 16 lanes), in the fixed order. */
  static float sum(FloatVector v) {
    FloatVector s = FL >= 2 ? v.add(v.rearrange(F1)) : v;
    if (FL >= 4) {
      s = s.add(s.rearrange(F2));
    }
    if (FL >= 8) {
      s = s.add(s.rearrange(F3));
    }
    if (FL >= 16) {
      s = s.add(s.rearrange(F4));
    }
    return s.lane(0);
  }

  /**
   * out[r] = the sum of the {@code FL} lanes stored at {@code lanes[r·FL…]}, r &lt; rows, each in the
   * fixed order: for a kernel that keeps many accumulators, which stores them and sums them here,
   * in a small method of its own.
   */
  static void sums(float[] lanes, int rows, float[] out) {
    for (int r = 0; r < rows; r++) {
      out[r] = sum(FloatVector.fromArray(FS, lanes, r * FL));
    }
  }

  /** The sum of the lanes of {@code v} (of the preferred species, at most 8 lanes), in the fixed order. */
  static double sum(DoubleVector v) {
    DoubleVector s = DL >= 2 ? v.add(v.rearrange(D1)) : v;
    if (DL >= 4) {
      s = s.add(s.rearrange(D2));
    }
    if (DL >= 8) {
      s = s.add(s.rearrange(D3));
    }
    return s.lane(0);
  }
}
