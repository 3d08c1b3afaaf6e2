package dev.jattr.kernels;

import java.util.Arrays;

/**
 * Geometry of an N-d convolution or pooling window; spatial rank r = kernel.length.
 *
 * <p>{@code pads} has length 2r in ONNX order: all begins, then all ends. {@code strides} and
 * {@code dilations} have length r. A {@code null} stride or dilation array means all ones and a
 * {@code null} pads array means all zeros. The arrays are copied on construction and on access,
 * so an instance is immutable; {@link #equals}, {@link #hashCode} and {@link #toString} use the
 * array contents.
 *
 * @param kernel window extent per spatial dimension (each at least 1)
 * @param strides step per spatial dimension (each at least 1)
 * @param pads padding, all begins then all ends (each at least 0)
 * @param dilations spacing between window taps per spatial dimension (each at least 1)
 */
public record WindowGeometry(int[] kernel, int[] strides, int[] pads, int[] dilations) {

  /**
   * Validates and copies the arrays.
   *
   * @throws IllegalArgumentException naming the offending field when a length or value is wrong
   */
  public WindowGeometry {
    if (kernel == null || kernel.length == 0) {
      throw new IllegalArgumentException("kernel must have at least one spatial dimension");
    }
    int r = kernel.length;
    kernel = kernel.clone();
    strides = strides == null ? filled(r, 1) : strides.clone();
    pads = pads == null ? new int[2 * r] : pads.clone();
    dilations = dilations == null ? filled(r, 1) : dilations.clone();
    if (strides.length != r) {
      throw new IllegalArgumentException(
          "strides has length " + strides.length + ", expected " + r);
    }
    if (pads.length != 2 * r) {
      throw new IllegalArgumentException("pads has length " + pads.length + ", expected " + 2 * r);
    }
    if (dilations.length != r) {
      throw new IllegalArgumentException(
          "dilations has length " + dilations.length + ", expected " + r);
    }
    for (int d = 0; d < r; d++) {
      if (kernel[d] < 1) {
        throw new IllegalArgumentException("kernel[" + d + "] = " + kernel[d] + " must be >= 1");
      }
      if (strides[d] < 1) {
        throw new IllegalArgumentException("strides[" + d + "] = " + strides[d] + " must be >= 1");
      }
      if (dilations[d] < 1) {
        throw new IllegalArgumentException(
            "dilations[" + d + "] = " + dilations[d] + " must be >= 1");
      }
    }
    for (int i = 0; i < 2 * r; i++) {
      if (pads[i] < 0) {
        throw new IllegalArgumentException("pads[" + i + "] = " + pads[i] + " must be >= 0");
      }
    }
  }

  /**
   * Creates a geometry with unit strides, zero padding and unit dilations.
   *
   * @param kernel window extent per spatial dimension
   * @return the geometry
   */
  public static WindowGeometry of(int... kernel) {
    return new WindowGeometry(kernel, null, null, null);
  }

  private static int[] filled(int n, int v) {
    int[] a = new int[n];
    Arrays.fill(a, v);
    return a;
  }

  /**
   * Returns the spatial rank.
   *
   * @return the number of spatial dimensions
   */
  public int rank() {
    return kernel.length;
  }

  /**
   * Returns a copy of the window extents.
   *
   * @return the kernel sizes
   */
  @Override
  public int[] kernel() {
    return kernel.clone();
  }

  /**
   * Returns a copy of the strides.
   *
   * @return the strides
   */
  @Override
  public int[] strides() {
    return strides.clone();
  }

  /**
   * Returns a copy of the pads (all begins, then all ends).
   *
   * @return the pads
   */
  @Override
  public int[] pads() {
    return pads.clone();
  }

  /**
   * Returns a copy of the dilations.
   *
   * @return the dilations
   */
  @Override
  public int[] dilations() {
    return dilations.clone();
  }

  /**
   * Window extent of dimension {@code d}.
   *
   * @param d spatial dimension
   * @return the kernel size
   */
  public int kernel(int d) {
    return kernel[d];
  }

  /**
   * Stride of dimension {@code d}.
   *
   * @param d spatial dimension
   * @return the stride
   */
  public int stride(int d) {
    return strides[d];
  }

  /**
   * Dilation of dimension {@code d}.
   *
   * @param d spatial dimension
   * @return the dilation
   */
  public int dilation(int d) {
    return dilations[d];
  }

  /**
   * Padding before dimension {@code d}.
   *
   * @param d spatial dimension
   * @return the begin pad
   */
  public int padBegin(int d) {
    return pads[d];
  }

  /**
   * Padding after dimension {@code d}.
   *
   * @param d spatial dimension
   * @return the end pad
   */
  public int padEnd(int d) {
    return pads[kernel.length + d];
  }

  /**
   * Output spatial size for dimension d given the input size: {@code (in + padBegin + padEnd -
   * dil*(k-1) - 1)/stride + 1}, with floor division, or ceiling division when {@code ceilMode}.
   * No further ceil-mode adjustment (such as dropping a last window that starts in the end
   * padding) is applied.
   *
   * @param d spatial dimension
   * @param inputSize input extent of that dimension
   * @param ceilMode whether to round the division up
   * @return the output extent (may be zero or negative when the window does not fit)
   */
  public int outputSize(int d, int inputSize, boolean ceilMode) {
    int span = inputSize + pads[d] + pads[kernel.length + d] - dilations[d] * (kernel[d] - 1) - 1;
    int q = ceilMode ? -Math.floorDiv(-span, strides[d]) : Math.floorDiv(span, strides[d]);
    return q + 1;
  }

  /**
   * Compares array contents.
   *
   * @param o the other object
   * @return whether o is a geometry with equal kernel, strides, pads and dilations
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof WindowGeometry w
        && Arrays.equals(kernel, w.kernel)
        && Arrays.equals(strides, w.strides)
        && Arrays.equals(pads, w.pads)
        && Arrays.equals(dilations, w.dilations);
  }

  /**
   * Hash of the array contents.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return ((Arrays.hashCode(kernel) * 31 + Arrays.hashCode(strides)) * 31
            + Arrays.hashCode(pads)) * 31
        + Arrays.hashCode(dilations);
  }

  /**
   * Readable form listing the array contents.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "WindowGeometry[kernel=" + Arrays.toString(kernel)
        + ", strides=" + Arrays.toString(strides)
        + ", pads=" + Arrays.toString(pads)
        + ", dilations=" + Arrays.toString(dilations) + "]";
  }
}
