package dev.jattr.kernels;

/**
 * A row-major array viewed as {@code [outer, mid, inner]} around one axis (or a contiguous run of
 * axes): element {@code (o, m, i)} sits at {@code (o·mid + m)·inner + i}. It describes a broadcast
 * (an operand of {@code mid} elements against the full array: same shape, scalar, per-channel,
 * trailing row), an axis to reduce, softmax over, or gather along.
 *
 * @param outer extent of the dimensions before the axis
 * @param mid extent of the axis
 * @param inner extent of the dimensions after the axis
 */
public record AxisView(int outer, int mid, int inner) {
  /**
   * Checks the extents.
   *
   * @throws IllegalArgumentException when an extent is negative or the size overflows an int
   */
  public AxisView {
    if (outer < 0 || mid < 0 || inner < 0) {
      throw new IllegalArgumentException("negative extent in [" + outer + ", " + mid + ", " + inner + "]");
    }
    if ((long) outer * mid * inner > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("[" + outer + ", " + mid + ", " + inner + "] has more than 2^31 - 1 elements");
    }
  }

  /**
   * The number of elements.
   *
   * @return outer·mid·inner
   */
  public int size() {
    return outer * mid * inner;
  }

  /**
   * The same view with another extent along the axis (the output of a gather, say).
   *
   * @param newMid the axis extent
   * @return the view {@code [outer, newMid, inner]}
   */
  public AxisView withMid(int newMid) {
    return new AxisView(outer, newMid, inner);
  }
}
