package dev.jattr.kernels;

/** The elementwise operations of two arguments every backend implements with broadcasting. */
public enum Arithmetic {
  /** a + b. */
  ADD,
  /** a − b. */
  SUB,
  /** a · b. */
  MUL,
  /** a / b. */
  DIV
}
