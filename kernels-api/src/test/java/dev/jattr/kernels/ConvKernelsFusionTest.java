package dev.jattr.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The default fused forward: the plain forward, then {@link Activation#apply} on every output. */
class ConvKernelsFusionTest {
  /** A convolution stub whose forward writes fixed values, whatever its inputs. */
  private static final class FixedOutput implements ConvKernels {
    private final float[] values;

    FixedOutput(float... values) {
      this.values = values;
    }

    @Override
    public void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g, int group,
        float[] y, int[] yShape) {
      System.arraycopy(values, 0, y, 0, values.length);
    }

    @Override
    public void backwardData(float[] gy, int[] yShape, float[] w, int[] wShape, WindowGeometry g, int group,
        float[] gx, int[] xShape) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void backwardWeight(float[] gy, int[] yShape, float[] x, int[] xShape, WindowGeometry g, int group,
        float[] gw, int[] wShape) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void forward(double[] x, int[] xShape, double[] w, int[] wShape, double[] bias, WindowGeometry g,
        int group, double[] y, int[] yShape) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void backwardData(double[] gy, int[] yShape, double[] w, int[] wShape, WindowGeometry g, int group,
        double[] gx, int[] xShape) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void backwardWeight(double[] gy, int[] yShape, double[] x, int[] xShape, WindowGeometry g, int group,
        double[] gw, int[] wShape) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void defaultFusedForwardAppliesTheActivationToEveryOutput() {
    float[] raw = {-4, -1, 0, 2, 7, 3};
    int[] yShape = {1, 2, 3};
    float[] y = new float[raw.length];
    new FixedOutput(raw).forward(null, null, null, null, null, null, 1, Activation.CLIP, 0f, 6f, y, yShape);
    assertArrayEquals(new float[] {0, 0, 0, 2, 6, 3}, y);
    new FixedOutput(raw).forward(null, null, null, null, null, null, 1, Activation.HARD_SWISH, 1f / 6, 0.5f, y,
        yShape);
    assertArrayEquals(new float[] {-0f, -1f / 3, 0, 2 * 5f / 6, 7, 3}, y, 1e-6f);
  }

  @Test
  void defaultForwardIntoCopiesEachSamplesBlockIntoItsChannels() {
    // 2 samples × 2 channels × 3 pixels, written into channels [1, 3) of a 4-channel output
    float[] raw = {-4, -1, 0, 2, 7, 3, 5, 6, -7, 8, 9, -2};
    int[] wide = {2, 4, 3};
    float[] y = new float[24];
    java.util.Arrays.fill(y, 100f);
    new FixedOutput(raw).forwardInto(null, null, null, new int[] {2, 1, 1}, null, null, 1, Activation.RELU, 0f, 0f,
        y, wide, 1);
    assertArrayEquals(new float[] {
      100, 100, 100, 0, 0, 0, 2, 7, 3, 100, 100, 100,
      100, 100, 100, 5, 6, 0, 8, 9, 0, 100, 100, 100}, y);
    new FixedOutput(raw).forwardInto(null, null, null, new int[] {2, 1, 1}, null, null, 1, null, 0f, 0f, y, wide, 2);
    assertArrayEquals(new float[] {
      100, 100, 100, 0, 0, 0, -4, -1, 0, 2, 7, 3,
      100, 100, 100, 5, 6, 0, 5, 6, -7, 8, 9, -2}, y);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new FixedOutput(raw)
        .forwardInto(null, null, null, new int[] {2, 1, 1}, null, null, 1, null, 0f, 0f, y, wide, 3));
  }
}
