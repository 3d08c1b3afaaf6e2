package dev.jattr.kernels;

/**
 * The elementwise functions of one argument every backend implements, forward and backward. Two
 * parameters α and β go with each call; functions that take none ignore them. {@link #apply} is
 * the definition in double precision, the reference a backend's kernels are tested against.
 */
public enum Activation {
  /** max(x, 0). */
  RELU,
  /** 1 / (1 + e^−x). */
  SIGMOID,
  /** tanh x. */
  TANH,
  /** max(0, min(1, α·x + β)). */
  HARD_SIGMOID,
  /** x·max(0, min(1, α·x + β)): ONNX HardSwish with α = 1/6, β = 1/2. */
  HARD_SWISH,
  /** x·σ(x) (SiLU, Swish): x times its sigmoid. */
  SILU,
  /** min(max(x, α), β): ONNX Clip with bounds α ≤ β; Relu6 is α = 0, β = 6. */
  CLIP;

  /**
   * f(x) in double precision.
   *
   * @param x the argument
   * @param alpha α (ignored by functions without parameters)
   * @param beta β (ignored by functions without parameters)
   * @return f(x)
   */
  public double apply(double x, double alpha, double beta) {
    return switch (this) {
      case RELU -> x > 0 ? x : 0;
      case SIGMOID -> 1 / (1 + Math.exp(-x));
      case TANH -> Math.tanh(x);
      case HARD_SIGMOID -> Math.max(0, Math.min(1, alpha * x + beta));
      case HARD_SWISH -> x * Math.max(0, Math.min(1, alpha * x + beta));
      case SILU -> x / (1 + Math.exp(-x));
      case CLIP -> Math.min(Math.max(x, alpha), beta);
    };
  }
}
