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
 * rerun of a dataset must give the same bits.
 */
final class Lanes {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
  private static final VectorShuffle<Float>[] F_FOLDS = folds(FS);
  private static final VectorShuffle<Double>[] D_FOLDS = folds(DS);

  private Lanes() {}

  @SuppressWarnings("unchecked")
  private static <E> VectorShuffle<E>[] folds(VectorSpecies<E> species) {
    int steps = Integer.numberOfTrailingZeros(species.length());
    VectorShuffle<E>[] folds = new VectorShuffle[steps];
    for (int s = 0, half = species.length() / 2; s < steps; s++, half /= 2) {
      folds[s] = VectorShuffle.iota(species, half, 1, true);
    }
    return folds;
  }

  /** The sum of the lanes of {@code v} (of the preferred species), in the fixed order. */
  static float sum(FloatVector v) {
    FloatVector s = v;
    for (VectorShuffle<Float> fold : F_FOLDS) {
      s = s.add(s.rearrange(fold));
    }
    return s.lane(0);
  }

  /** The sum of the lanes of {@code v} (of the preferred species), in the fixed order. */
  static double sum(DoubleVector v) {
    DoubleVector s = v;
    for (VectorShuffle<Double> fold : D_FOLDS) {
      s = s.add(s.rearrange(fold));
    }
    return s.lane(0);
  }
}
