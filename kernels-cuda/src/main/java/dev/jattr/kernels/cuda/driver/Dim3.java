package dev.jattr.kernels.cuda.driver;

/**
 * A grid or block extent of a kernel launch.
 *
 * @param x extent along x (at least 1)
 * @param y extent along y (at least 1)
 * @param z extent along z (at least 1)
 */
public record Dim3(int x, int y, int z) {
  /**
   * Checks the extents.
   *
   * @throws IllegalArgumentException when an extent is below 1
   */
  public Dim3 {
    if (x < 1 || y < 1 || z < 1) {
      throw new IllegalArgumentException("launch extents must be >= 1: (" + x + ", " + y + ", " + z + ")");
    }
  }

  /**
   * A one-dimensional extent.
   *
   * @param x the extent
   * @return {@code (x, 1, 1)}
   */
  public static Dim3 of(int x) {
    return new Dim3(x, 1, 1);
  }

  /**
   * The number of threads or blocks.
   *
   * @return x·y·z
   */
  public long count() {
    return (long) x * y * z;
  }
}
