package dev.jattr.kernels.cuda.driver;

/**
 * A CUDA driver call failed: the message names the function and gives the driver's own name and
 * text for the error ({@code cuMemAlloc_v2: CUDA_ERROR_OUT_OF_MEMORY (out of memory)}).
 */
public final class CudaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The driver's out-of-memory code, {@code CUDA_ERROR_OUT_OF_MEMORY}. */
  public static final int OUT_OF_MEMORY = 2;

  private final String function;
  private final int code;

  /**
   * An exception for a failed call.
   *
   * @param function the driver function that failed
   * @param code its {@code CUresult}
   * @param detail the driver's error name and text, or anything more (a JIT log)
   */
  public CudaException(String function, int code, String detail) {
    super(function + ": " + detail);
    this.function = function;
    this.code = code;
  }

  /**
   * The driver function that failed.
   *
   * @return its name
   */
  public String function() {
    return function;
  }

  /**
   * The {@code CUresult} the function returned.
   *
   * @return the error code
   */
  public int code() {
    return code;
  }
}
