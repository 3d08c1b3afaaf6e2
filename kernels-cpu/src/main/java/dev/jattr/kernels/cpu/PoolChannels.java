package dev.jattr.kernels.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float max pooling of 2-d planes of up to {@link #MAX_PLANE} outputs with the vector lanes
 * across 16 channels, as {@link DepthwiseChannels} convolves: a block of 16 channels of one
 * sample moves by {@link LaneTranspose} into a padded [position][lane] plane (padding −∞), each
 * output position takes the maximum of its taps' vectors, and the block moves back. Along the
 * planes, each output row of a small plane takes a vector per tap row for a few outputs. Planes
 * that {@code Pool.Stride2} pools to 4×4 or more (SqueezeNet's 11×11 to 5×5) go there since its
 * per-row work shrank. Package-private: {@link Pool} dispatches here.
 *
 * <p>Taps are visited in the scalar scan's order with its strict comparison, so ties (−0.0 and
 * 0.0 among them) go to the first tap, as there. A block with a NaN in its input goes to the
 * caller's scan, plane by plane, which decides which NaN wins.
 */
final class PoolChannels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /**
   * Output planes up to this many elements take this kernel. Measured at batch 50 against the
   * separable pooling along the planes, 3×3 windows of stride 2: 256 channels of 11×11, 0.78 →
   * 0.36 ms; 128 of 23×23, 1.13 ms either way; 64 of 47×47, 1.6 → 4.7 ms.
   */
  static final int MAX_PLANE = 64;

  private PoolChannels() {}

  /** Whether the pooling suits this kernel: 16-lane transposes, a 2-d window and planes of at most {@link #MAX_PLANE} outputs. */
  static boolean applies(PoolDims d, int channels) {
    Window3 v = d.win;
    return LaneTranspose.APPLIES && v.inD == 1 && v.outD == 1 && v.kD == 1 && d.outS <= MAX_PLANE
        && channels >= L / 2;
  }

  /** One plane's maxima by the caller's path, for the blocks this kernel leaves to it. */
  @FunctionalInterface
  interface PlaneScan {
    void plane(int p);
  }

  /**
   * y = the max pooling of x ([N, C, in...] to [N, C, out...]); the planes of blocks that meet
   * a NaN, or that lie too close to x's end for whole transposed rows, go to {@code scan}.
   */
  static void forward(float[] x, PoolDims d, int channels, float[] y, PlaneScan scan) {
    Window3 v = d.win;
    int c = channels;
    int batch = d.planes / c;
    int groups = (c + L - 1) / L;
    int hp = DepthwiseChannels.paddedHeight(v);
    int wp = DepthwiseChannels.paddedWidth(v);
    DepthwiseChannels.Maps maps = DepthwiseChannels.Maps.of(v);
    int[] tapAt = DepthwiseChannels.tapOffsets(v, wp);
    int tasks = batch * groups;
    Par.forRange(tasks, Par.worthIt(tasks, (long) d.planes * d.outS * tapAt.length), (from, to) -> {
      // the padding is written once per range: every block fills the same positions
      float[] buf = Scratch.take(hp * wp * L);
      Arrays.fill(buf, 0, hp * wp * L, Float.NEGATIVE_INFINITY);
      float[] out = Scratch.take(Math.max(d.outS, L) * L);
      float[] tmp = Scratch.take(L * L);
      int[] rows = new int[L];
      for (int t = from; t < to; t++) {
        int n = t / groups;
        int c0 = t % groups * L;
        int lanes = Math.min(L, c - c0);
        int src = (n * c + c0) * d.inS;
        if (!DepthwiseChannels.transposes(x, src, d.inS)) {
          scanBlock(scan, n * c + c0, lanes);
          continue;
        }
        for (int p0 = 0; p0 < d.inS; p0 += L) {
          LaneTranspose.toLanes(x, src, d.inS, p0, Math.min(L, d.inS - p0), maps.inAt(), buf, rows);
        }
        if (hasNaN(buf, hp * wp)) {
          scanBlock(scan, n * c + c0, lanes);
          continue;
        }
        maxima(buf, tapAt, maps.first(), d.outS, out);
        for (int p0 = 0; p0 < d.outS; p0 += L) {
          LaneTranspose.fromLanes(out, maps.outAt(), p0, Math.min(L, d.outS - p0), y, (n * c + c0) * d.outS,
              d.outS, lanes, tmp);
        }
      }
      Scratch.give(tmp);
      Scratch.give(out);
      Scratch.give(buf);
    });
  }

  private static void scanBlock(PlaneScan scan, int first, int lanes) {
    for (int l = 0; l < lanes; l++) {
      scan.plane(first + l);
    }
  }

  /** Whether any of the plane's first {@code positions} vectors holds a NaN. */
  private static boolean hasNaN(float[] buf, int positions) {
    VectorMask<Float> nan = S.maskAll(false);
    for (int p = 0; p < positions; p++) {
      FloatVector v = FloatVector.fromArray(S, buf, p * L);
      nan = nan.or(v.compare(VectorOperators.NE, v));
    }
    return nan.anyTrue();
  }

  /**
   * Each output position's maximum over its taps, in tap order with the strict comparison, from
   * buf into out [position][lane]; a method of its own, as {@link DepthwiseChannels}' tap sums.
   */
  private static void maxima(float[] buf, int[] tapAt, int[] first, int outS, float[] out) {
    FloatVector ninf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    for (int p = 0; p < outS; p++) {
      int a = first[p];
      FloatVector m = ninf;
      for (int t = 0; t < tapAt.length; t++) {
        FloatVector v = FloatVector.fromArray(S, buf, a + tapAt[t]);
        m = m.blend(v, v.compare(VectorOperators.GT, m));
      }
      m.intoArray(out, p * L);
    }
  }
}
