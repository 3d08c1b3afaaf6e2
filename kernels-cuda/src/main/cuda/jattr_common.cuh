// Internal helpers shared by the kernel sources (not part of the ABI; see jattr_kernels.h).
//
// Numerics: the PTX is built without fast math and with --fmad=false, so every expression
// rounds as written (as the Java reference does); the kernels call fma() explicitly where a fused
// multiply-add is meant (matrix products, the CPU's Math.fma, double accumulations).
#pragma once

#include "jattr_kernels.h"

namespace jattr {

typedef long long i64;

// Grid-stride loop over [0, n): the 64-bit counter cannot overflow when n is near 2^31 - 1; the
// body gets the index as int (every element count of the ABI is an int).
#define JATTR_GRID_LOOP(i, n)                                                                  \
  for (::jattr::i64 i##_wide = (::jattr::i64)blockIdx.x * blockDim.x + threadIdx.x,             \
                    i##_step = (::jattr::i64)blockDim.x * gridDim.x;                            \
       i##_wide < (::jattr::i64)(n); i##_wide += i##_step)                                      \
    for (int i = (int)i##_wide, i##_once = 1; i##_once; i##_once = 0)

// ---- Java's Math.max / Math.min: a NaN argument wins, and -0 < +0.

__device__ __forceinline__ float jmax(float a, float b) {
  if (a != a) return a;
  if (a == 0.0f && b == 0.0f && signbit(a)) return b;
  return a >= b ? a : b;
}

__device__ __forceinline__ float jmin(float a, float b) {
  if (a != a) return a;
  if (a == 0.0f && b == 0.0f && signbit(b)) return b;
  return a <= b ? a : b;
}

__device__ __forceinline__ double jmax(double a, double b) {
  if (a != a) return a;
  if (a == 0.0 && b == 0.0 && signbit(a)) return b;
  return a >= b ? a : b;
}

__device__ __forceinline__ double jmin(double a, double b) {
  if (a != a) return a;
  if (a == 0.0 && b == 0.0 && signbit(b)) return b;
  return a <= b ? a : b;
}

// ---- overloads so templates pick the float or double routine

__device__ __forceinline__ float jabs(float x) { return fabsf(x); }
__device__ __forceinline__ double jabs(double x) { return fabs(x); }
__device__ __forceinline__ float jexp(float x) { return expf(x); }
__device__ __forceinline__ double jexp(double x) { return exp(x); }
__device__ __forceinline__ float jtanh(float x) { return tanhf(x); }
__device__ __forceinline__ double jtanh(double x) { return tanh(x); }
__device__ __forceinline__ float jfma(float a, float b, float c) { return fmaf(a, b, c); }
__device__ __forceinline__ double jfma(double a, double b, double c) { return fma(a, b, c); }

// ---- activations (dev.jattr.kernels.cpu.Elementwise, scalar path)

// σ(x) from e^-|x|, so that nothing overflows: s = 1 / (1 + e), and e·s for x < 0.
template <typename T>
__device__ __forceinline__ T sigmoid(T x) {
  T e = jexp(-jabs(x));
  T s = T(1) / (T(1) + e);
  return x < T(0) ? e * s : s;
}

// f(x) for an activation ordinal; JATTR_ACT_NONE (or any unknown code) is the identity.
template <typename T>
__device__ __forceinline__ T activate(int act, T x, T a, T b) {
  switch (act) {
    case JATTR_ACT_RELU:
      return x > T(0) ? x : T(0);
    case JATTR_ACT_SIGMOID:
      return sigmoid(x);
    case JATTR_ACT_TANH:
      return jtanh(x);
    case JATTR_ACT_HARD_SIGMOID:
      return jmin(T(1), jmax(T(0), jfma(x, a, b)));
    case JATTR_ACT_HARD_SWISH:
      return x * jmin(T(1), jmax(T(0), jfma(x, a, b)));
    case JATTR_ACT_SILU:
      return x * sigmoid(x);
    case JATTR_ACT_CLIP:
      return jmin(jmax(x, a), b);
    default:
      return x;
  }
}

// gy·f'(x), the derivative written with the input x or the output y as the CPU backend does
// (Sigmoid and Tanh read y, the others x); relu'(0) = 0; HardSigmoid/HardSwish slopes only
// strictly inside 0 < αx+β < 1; Clip passes where α <= x <= β, bounds included. An unknown code
// passes gy through (the identity's derivative).
template <typename T>
__device__ __forceinline__ T activate_bwd(int act, T x, T y, T gy, T a, T b) {
  switch (act) {
    case JATTR_ACT_RELU:
      return x > T(0) ? gy : T(0);
    case JATTR_ACT_SIGMOID:
      return gy * (y * (T(1) - y));
    case JATTR_ACT_TANH:
      return gy * (T(1) - y * y);
    case JATTR_ACT_HARD_SIGMOID: {
      T z = jfma(x, a, b);
      return z > T(0) && z < T(1) ? gy * a : T(0);
    }
    case JATTR_ACT_HARD_SWISH: {
      T z = jfma(x, a, b);
      T slope = z > T(0) && z < T(1) ? x * a : T(0);
      return gy * (jmin(T(1), jmax(T(0), z)) + slope);
    }
    case JATTR_ACT_SILU: {
      T sg = sigmoid(x);
      return gy * (sg * (x * (T(1) - sg) + T(1)));
    }
    case JATTR_ACT_CLIP:
      return x >= a && x <= b ? gy : T(0);
    default:
      return gy;
  }
}

// ---- windows

// Number of taps start + t·dil, t in [0, k), that lie in [lo, hi).
__device__ __forceinline__ int taps_within(int start, int k, int dil, int lo, int hi) {
  int tlo = start >= lo ? 0 : (lo - start + dil - 1) / dil;
  int thi = start >= hi ? 0 : min(k, (hi - start + dil - 1) / dil);
  return thi > tlo ? thi - tlo : 0;
}

// Deterministic sum of one double per thread over the block (blockDim.x a power of two, at most
// 1024): a fixed shared-memory tree. Every thread of the block must call it; the result is
// valid in thread 0. `red` holds blockDim.x doubles.
__device__ __forceinline__ double block_sum(double v, double* red) {
  const int t = threadIdx.x;
  red[t] = v;
  __syncthreads();
  for (int off = blockDim.x >> 1; off > 0; off >>= 1) {
    if (t < off) red[t] += red[t + off];
    __syncthreads();
  }
  double s = red[0];
  __syncthreads();  // red may be reused right after
  return s;
}

}  // namespace jattr
