package dev.jattr.kernels;

/**
 * Gather along an axis and its adjoint, scatter-add. Indices are already normalised to
 * {@code [0, v.mid())}; an index outside fails with {@link IndexOutOfBoundsException}.
 */
public interface IndexKernels {
  /**
   * out[o, j, i] = src[o, indices[j], i] for the source view {@code v}; out has the view
   * {@code v.withMid(indices.length)}.
   *
   * @param src source of the view's size
   * @param v the source view; the axis is the one indexed
   * @param indices positions along the axis
   * @param out outer·indices.length·inner elements, overwritten
   */
  void gather(float[] src, AxisView v, int[] indices, float[] out);

  /**
   * Double gather; see the float overload.
   *
   * @param src source of the view's size
   * @param v the source view; the axis is the one indexed
   * @param indices positions along the axis
   * @param out outer·indices.length·inner elements, overwritten
   */
  void gather(double[] src, AxisView v, int[] indices, double[] out);

  /**
   * out[o, indices[j], i] += src[o, j, i]: the adjoint of {@link #gather(float[], AxisView, int[],
   * float[])}, with {@code v} the view of {@code out}; repeated indices accumulate.
   *
   * @param src values of the view {@code v.withMid(indices.length)}
   * @param indices positions along the axis
   * @param v the destination view
   * @param out destination of the view's size, accumulated into
   */
  void scatterAdd(float[] src, int[] indices, AxisView v, float[] out);

  /**
   * Double scatter-add; see the float overload.
   *
   * @param src values of the view {@code v.withMid(indices.length)}
   * @param indices positions along the axis
   * @param v the destination view
   * @param out destination of the view's size, accumulated into
   */
  void scatterAdd(double[] src, int[] indices, AxisView v, double[] out);
}
