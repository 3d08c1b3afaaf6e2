package dev.jattr.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Package-private 16×16 transposes between channel planes and [position][lane] blocks, for
 * {@link DepthwiseChannels} with 16-lane vectors: sixteen vector loads, four rounds of sixteen
 * two-source permutes (each round swaps the off-diagonal blocks of the 2×2 block matrices of
 * its size: 8, 4, 2, 1) and sixteen stores. The permutes run on the lanes' bits as ints (a
 * float index vector cost a conversion per permute: 37 ns a transpose against 26). Moving a block of sixteen 6×6 planes to lanes and
 * back took 478 ns by hardware gathers (one per position and lane vector) and 210 ns this way.
 *
 * <p>The vectors stay in locals, written out: held in an array they were boxed (0.5 µs a
 * transpose), and run as two passes through a buffer (rounds 8 and 4 on rows four apart, then
 * 2 and 1 on neighbours, four rows at a time) it was no faster than the gathers. The masked
 * stores of a partial block's rows are a loop of their own after the transpose: with sixteen
 * masked stores in the transposing method, C1 ran out of registers compiling it, the method
 * stayed at the compiler tier below that, and its vectors were boxed (140 KB a call).
 */
final class LaneTranspose {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** Whether the transposes apply: the preferred vectors have 16 lanes. */
  static final boolean APPLIES = S.length() == 16;

  private static final IntVector LO8 = pairs(8, false);
  private static final IntVector HI8 = pairs(8, true);
  private static final IntVector LO4 = pairs(4, false);
  private static final IntVector HI4 = pairs(4, true);
  private static final IntVector LO2 = pairs(2, false);
  private static final IntVector HI2 = pairs(2, true);
  private static final IntVector LO1 = pairs(1, false);
  private static final IntVector HI1 = pairs(1, true);

  private LaneTranspose() {}

  /**
   * Lane indices for {@code selectFrom(a, b)} (index i &lt; 16 takes a[i], i ≥ 16 takes
   * b[i − 16]) that swap the off-diagonal d×d blocks of rows a and b: the low result keeps a's
   * lanes whose bit d is clear and takes b's from d lanes lower where it is set; the high result
   * takes a's from d lanes higher where it is clear and keeps b's where it is set. Null unless
   * {@link #APPLIES}.
   */
  private static IntVector pairs(int d, boolean high) {
    if (!APPLIES) {
      return null;
    }
    int[] idx = new int[16];
    for (int l = 0; l < 16; l++) {
      boolean set = (l & d) != 0;
      idx[l] = high ? (set ? 16 + l : l + d) : (set ? 16 + l - d : l);
    }
    return IntVector.fromArray(IntVector.SPECIES_512, idx, 0);
  }

  /** Row r of a 16×16 buffer: at 16·r. */
  private static final int[] ROWS = new int[16];

  static {
    for (int r = 0; r < 16; r++) {
      ROWS[r] = 16 * r;
    }
  }

  /**
   * Positions [p0, p0 + n) (n ≤ 16) of sixteen planes {@code plane} apart from {@code src} in
   * x into buf as [position][lane]: position p's vector at {@code at[p]}, skipped where
   * negative. It reads whole rows of sixteen: {@code src + 15·plane + p0 + 16} must be within x.
   * {@code rows} (16 ints) receives the rows' offsets.
   */
  static void toLanes(float[] x, int src, int plane, int p0, int n, int[] at, float[] buf, int[] rows) {
    for (int r = 0; r < 16; r++) {
      rows[r] = src + r * plane + p0;
    }
    transpose(x, rows, 0, buf, at, p0, n);
  }

  /**
   * The vectors at {@code at[p0]} … {@code at[p0 + 15]} of src ([position][lane]; at names
   * sixteen vectors within src) back into the first {@code lanes} of sixteen planes
   * {@code plane} apart from {@code dst} in y, positions [p0, p0 + n) (n ≤ 16): lane l of the
   * vector at {@code at[p0 + i]} to {@code y[dst + l·plane + p0 + i]}. The transpose goes to
   * {@code tmp} (256 floats), and each plane's row from there to y, under a mask of n lanes when
   * n &lt; 16 (copied where the vector would reach past y's end).
   */
  static void fromLanes(float[] src, int[] at, int p0, int n, float[] y, int dst, int plane, int lanes,
      float[] tmp) {
    transpose(src, at, p0, tmp, ROWS, 0, 16);
    int d = dst + p0;
    if (n == 16) {
      // plain stores for whole rows: a masked store costs several times one
      for (int l = 0; l < lanes; l++) {
        FloatVector.fromArray(S, tmp, l * 16).intoArray(y, d + l * plane);
      }
      return;
    }
    VectorMask<Float> m = PhasePlanes.lanes(n);
    for (int l = 0; l < lanes; l++) {
      int row = d + l * plane;
      if (row + 16 <= y.length) {
        FloatVector.fromArray(S, tmp, l * 16).intoArray(y, row, m);
      } else {
        // a masked store whose vector reaches past the array checks lane by lane, outside the
        // intrinsic (boxing as it goes): 1.4 % of a SqueezeNet forward pass at batch 50
        System.arraycopy(tmp, l * 16, y, row, n);
      }
    }
  }

  /**
   * The sixteen vectors of src at {@code from[f0]} … {@code from[f0 + 15]}, transposed: result
   * row i to dst at {@code to[t0 + i]} for i &lt; n, skipped where that is negative.
   */
  private static void transpose(float[] src, int[] from, int f0, float[] dst, int[] to, int t0, int n) {
    IntVector r0 = FloatVector.fromArray(S, src, from[f0 + 0]).reinterpretAsInts();
    IntVector r1 = FloatVector.fromArray(S, src, from[f0 + 1]).reinterpretAsInts();
    IntVector r2 = FloatVector.fromArray(S, src, from[f0 + 2]).reinterpretAsInts();
    IntVector r3 = FloatVector.fromArray(S, src, from[f0 + 3]).reinterpretAsInts();
    IntVector r4 = FloatVector.fromArray(S, src, from[f0 + 4]).reinterpretAsInts();
    IntVector r5 = FloatVector.fromArray(S, src, from[f0 + 5]).reinterpretAsInts();
    IntVector r6 = FloatVector.fromArray(S, src, from[f0 + 6]).reinterpretAsInts();
    IntVector r7 = FloatVector.fromArray(S, src, from[f0 + 7]).reinterpretAsInts();
    IntVector r8 = FloatVector.fromArray(S, src, from[f0 + 8]).reinterpretAsInts();
    IntVector r9 = FloatVector.fromArray(S, src, from[f0 + 9]).reinterpretAsInts();
    IntVector r10 = FloatVector.fromArray(S, src, from[f0 + 10]).reinterpretAsInts();
    IntVector r11 = FloatVector.fromArray(S, src, from[f0 + 11]).reinterpretAsInts();
    IntVector r12 = FloatVector.fromArray(S, src, from[f0 + 12]).reinterpretAsInts();
    IntVector r13 = FloatVector.fromArray(S, src, from[f0 + 13]).reinterpretAsInts();
    IntVector r14 = FloatVector.fromArray(S, src, from[f0 + 14]).reinterpretAsInts();
    IntVector r15 = FloatVector.fromArray(S, src, from[f0 + 15]).reinterpretAsInts();
    IntVector s0x0 = LO8.selectFrom(r0, r8);
    IntVector s0x8 = HI8.selectFrom(r0, r8);
    IntVector s0x1 = LO8.selectFrom(r1, r9);
    IntVector s0x9 = HI8.selectFrom(r1, r9);
    IntVector s0x2 = LO8.selectFrom(r2, r10);
    IntVector s0x10 = HI8.selectFrom(r2, r10);
    IntVector s0x3 = LO8.selectFrom(r3, r11);
    IntVector s0x11 = HI8.selectFrom(r3, r11);
    IntVector s0x4 = LO8.selectFrom(r4, r12);
    IntVector s0x12 = HI8.selectFrom(r4, r12);
    IntVector s0x5 = LO8.selectFrom(r5, r13);
    IntVector s0x13 = HI8.selectFrom(r5, r13);
    IntVector s0x6 = LO8.selectFrom(r6, r14);
    IntVector s0x14 = HI8.selectFrom(r6, r14);
    IntVector s0x7 = LO8.selectFrom(r7, r15);
    IntVector s0x15 = HI8.selectFrom(r7, r15);
    IntVector s1x0 = LO4.selectFrom(s0x0, s0x4);
    IntVector s1x4 = HI4.selectFrom(s0x0, s0x4);
    IntVector s1x1 = LO4.selectFrom(s0x1, s0x5);
    IntVector s1x5 = HI4.selectFrom(s0x1, s0x5);
    IntVector s1x2 = LO4.selectFrom(s0x2, s0x6);
    IntVector s1x6 = HI4.selectFrom(s0x2, s0x6);
    IntVector s1x3 = LO4.selectFrom(s0x3, s0x7);
    IntVector s1x7 = HI4.selectFrom(s0x3, s0x7);
    IntVector s1x8 = LO4.selectFrom(s0x8, s0x12);
    IntVector s1x12 = HI4.selectFrom(s0x8, s0x12);
    IntVector s1x9 = LO4.selectFrom(s0x9, s0x13);
    IntVector s1x13 = HI4.selectFrom(s0x9, s0x13);
    IntVector s1x10 = LO4.selectFrom(s0x10, s0x14);
    IntVector s1x14 = HI4.selectFrom(s0x10, s0x14);
    IntVector s1x11 = LO4.selectFrom(s0x11, s0x15);
    IntVector s1x15 = HI4.selectFrom(s0x11, s0x15);
    IntVector s2x0 = LO2.selectFrom(s1x0, s1x2);
    IntVector s2x2 = HI2.selectFrom(s1x0, s1x2);
    IntVector s2x1 = LO2.selectFrom(s1x1, s1x3);
    IntVector s2x3 = HI2.selectFrom(s1x1, s1x3);
    IntVector s2x4 = LO2.selectFrom(s1x4, s1x6);
    IntVector s2x6 = HI2.selectFrom(s1x4, s1x6);
    IntVector s2x5 = LO2.selectFrom(s1x5, s1x7);
    IntVector s2x7 = HI2.selectFrom(s1x5, s1x7);
    IntVector s2x8 = LO2.selectFrom(s1x8, s1x10);
    IntVector s2x10 = HI2.selectFrom(s1x8, s1x10);
    IntVector s2x9 = LO2.selectFrom(s1x9, s1x11);
    IntVector s2x11 = HI2.selectFrom(s1x9, s1x11);
    IntVector s2x12 = LO2.selectFrom(s1x12, s1x14);
    IntVector s2x14 = HI2.selectFrom(s1x12, s1x14);
    IntVector s2x13 = LO2.selectFrom(s1x13, s1x15);
    IntVector s2x15 = HI2.selectFrom(s1x13, s1x15);
    IntVector s3x0 = LO1.selectFrom(s2x0, s2x1);
    IntVector s3x1 = HI1.selectFrom(s2x0, s2x1);
    IntVector s3x2 = LO1.selectFrom(s2x2, s2x3);
    IntVector s3x3 = HI1.selectFrom(s2x2, s2x3);
    IntVector s3x4 = LO1.selectFrom(s2x4, s2x5);
    IntVector s3x5 = HI1.selectFrom(s2x4, s2x5);
    IntVector s3x6 = LO1.selectFrom(s2x6, s2x7);
    IntVector s3x7 = HI1.selectFrom(s2x6, s2x7);
    IntVector s3x8 = LO1.selectFrom(s2x8, s2x9);
    IntVector s3x9 = HI1.selectFrom(s2x8, s2x9);
    IntVector s3x10 = LO1.selectFrom(s2x10, s2x11);
    IntVector s3x11 = HI1.selectFrom(s2x10, s2x11);
    IntVector s3x12 = LO1.selectFrom(s2x12, s2x13);
    IntVector s3x13 = HI1.selectFrom(s2x12, s2x13);
    IntVector s3x14 = LO1.selectFrom(s2x14, s2x15);
    IntVector s3x15 = HI1.selectFrom(s2x14, s2x15);
    if (0 < n && to[t0 + 0] >= 0) {
      s3x0.reinterpretAsFloats().intoArray(dst, to[t0 + 0]);
    }
    if (1 < n && to[t0 + 1] >= 0) {
      s3x1.reinterpretAsFloats().intoArray(dst, to[t0 + 1]);
    }
    if (2 < n && to[t0 + 2] >= 0) {
      s3x2.reinterpretAsFloats().intoArray(dst, to[t0 + 2]);
    }
    if (3 < n && to[t0 + 3] >= 0) {
      s3x3.reinterpretAsFloats().intoArray(dst, to[t0 + 3]);
    }
    if (4 < n && to[t0 + 4] >= 0) {
      s3x4.reinterpretAsFloats().intoArray(dst, to[t0 + 4]);
    }
    if (5 < n && to[t0 + 5] >= 0) {
      s3x5.reinterpretAsFloats().intoArray(dst, to[t0 + 5]);
    }
    if (6 < n && to[t0 + 6] >= 0) {
      s3x6.reinterpretAsFloats().intoArray(dst, to[t0 + 6]);
    }
    if (7 < n && to[t0 + 7] >= 0) {
      s3x7.reinterpretAsFloats().intoArray(dst, to[t0 + 7]);
    }
    if (8 < n && to[t0 + 8] >= 0) {
      s3x8.reinterpretAsFloats().intoArray(dst, to[t0 + 8]);
    }
    if (9 < n && to[t0 + 9] >= 0) {
      s3x9.reinterpretAsFloats().intoArray(dst, to[t0 + 9]);
    }
    if (10 < n && to[t0 + 10] >= 0) {
      s3x10.reinterpretAsFloats().intoArray(dst, to[t0 + 10]);
    }
    if (11 < n && to[t0 + 11] >= 0) {
      s3x11.reinterpretAsFloats().intoArray(dst, to[t0 + 11]);
    }
    if (12 < n && to[t0 + 12] >= 0) {
      s3x12.reinterpretAsFloats().intoArray(dst, to[t0 + 12]);
    }
    if (13 < n && to[t0 + 13] >= 0) {
      s3x13.reinterpretAsFloats().intoArray(dst, to[t0 + 13]);
    }
    if (14 < n && to[t0 + 14] >= 0) {
      s3x14.reinterpretAsFloats().intoArray(dst, to[t0 + 14]);
    }
    if (15 < n && to[t0 + 15] >= 0) {
      s3x15.reinterpretAsFloats().intoArray(dst, to[t0 + 15]);
    }
  }
}
