package dev.jattr.kernels.cuda.driver;

import java.util.function.IntFunction;

/** Turns a {@code CUresult} into the text of a {@link CudaException}. */
public final class CudaErrors {
  private CudaErrors() {}

  /**
   * The driver's name and description of an error, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY (out of
   * memory)}; the bare code where the driver knows neither.
   *
   * @param rc the {@code CUresult}
   * @param name {@code cuGetErrorName}, returning null when it fails
   * @param text {@code cuGetErrorString}, returning null when it fails
   * @return the description
   */
  public static String describe(int rc, IntFunction<String> name, IntFunction<String> text) {
    String n = name.apply(rc);
    String t = text.apply(rc);
    if (n == null && t == null) {
      return "CUresult " + rc + " (unknown to the driver)";
    }
    if (n == null) {
      return "CUresult " + rc + " (" + t + ")";
    }
    return t == null || t.isBlank() ? n : n + " (" + t + ")";
  }
}
