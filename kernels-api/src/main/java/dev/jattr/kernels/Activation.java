package dev.jattr.kernels;

/** The elementwise functions of one argument every backend implements, forward and backward. */
public enum Activation {
  /** max(x, 0). */
  RELU,
  /** 1 / (1 + e^−x). */
  SIGMOID,
  /** tanh x. */
  TANH,
  /** max(0, min(1, α·x + β)). */
  HARD_SIGMOID
}
