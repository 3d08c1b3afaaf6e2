package dev.jattr.kernels.cuda.driver;

/**
 * CUDA cannot be used here: the driver library is missing, it does not initialise, or no device
 * answers. The message says why in one line.
 */
public final class CudaUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the reason.
   *
   * @param reason why CUDA cannot be used, one line
   */
  public CudaUnavailableException(String reason) {
    super(reason);
  }
}
