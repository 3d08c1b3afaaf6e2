// Sums and softmax around the axis of an [outer, mid, inner] view (jattr_kernels.h, reduce.cu
// section); element (o, m, i) sits at (o·mid + m)·inner + i. Sums accumulate in double.

#include "jattr_common.cuh"

namespace jattr {

// out[o·inner + i] = Σ over m of x[(o·mid + m)·inner + i], m ascending; one thread per output.
template <typename T>
__device__ __forceinline__ void sum_over_axis(const T* __restrict__ x, int outer, int mid, int inner,
                                              T* __restrict__ out) {
  const i64 total = (i64)outer * inner;
  JATTR_GRID_LOOP(idx, total) {
    const int o = idx / inner;
    const int i = idx % inner;
    const T* p = x + (i64)o * mid * inner + i;
    double s = 0.0;
    for (int m = 0; m < mid; m++) s += (double)p[(i64)m * inner];
    out[idx] = (T)s;
  }
}

// out[m] = Σ over o and i of x[(o·mid + m)·inner + i]; one block per m, a deterministic tree.
template <typename T>
__device__ __forceinline__ void sum_to_axis(const T* __restrict__ x, int outer, int mid, int inner,
                                            T* __restrict__ out) {
  __shared__ double red[1024];
  const int count = mid > 0 ? outer * inner : 0;  // at most the size of x
  for (int m = blockIdx.x; m < mid; m += gridDim.x) {
    double s = 0.0;
    for (int j = threadIdx.x; j < count; j += blockDim.x) {
      const int o = j / inner;
      const int i = j % inner;
      s += (double)x[((i64)o * mid + m) * inner + i];
    }
    const double total = block_sum(s, red);
    if (threadIdx.x == 0) out[m] = (T)total;
  }
}

// Softmax (or log-softmax) of each slice along the axis, in double as the CPU backend does:
// max (Java's Math.max, so a NaN propagates), Σ e^(x − max), then e^(x − max) / Σ or
// x − max − log Σ. One thread per slice; out may alias x (each element is read before its write).
template <typename T>
__device__ __forceinline__ void softmax(const T* x, int outer, int mid, int inner, int log, T* out) {
  const i64 total = (i64)outer * inner;
  JATTR_GRID_LOOP(idx, total) {
    const int o = idx / inner;
    const int i = idx % inner;
    const i64 base = (i64)o * mid * inner + i;
    double mx = -INFINITY;
    for (int m = 0; m < mid; m++) mx = jmax(mx, (double)x[base + (i64)m * inner]);
    double sum = 0.0;
    for (int m = 0; m < mid; m++) sum += ::exp((double)x[base + (i64)m * inner] - mx);
    const double logSum = ::log(sum);
    for (int m = 0; m < mid; m++) {
      const i64 at = base + (i64)m * inner;
      const double v = (double)x[at];
      out[at] = (T)(log ? v - mx - logSum : ::exp(v - mx) / sum);
    }
  }
}

}  // namespace jattr

extern "C" __global__ void sum_over_axis_f32(const float* x, int outer, int mid, int inner, float* out) {
  jattr::sum_over_axis<float>(x, outer, mid, inner, out);
}

extern "C" __global__ void sum_over_axis_f64(const double* x, int outer, int mid, int inner, double* out) {
  jattr::sum_over_axis<double>(x, outer, mid, inner, out);
}

extern "C" __global__ void sum_to_axis_f32(const float* x, int outer, int mid, int inner, float* out) {
  jattr::sum_to_axis<float>(x, outer, mid, inner, out);
}

extern "C" __global__ void sum_to_axis_f64(const double* x, int outer, int mid, int inner, double* out) {
  jattr::sum_to_axis<double>(x, outer, mid, inner, out);
}

extern "C" __global__ void softmax_f32(const float* x, int outer, int mid, int inner, int log, float* out) {
  jattr::softmax<float>(x, outer, mid, inner, log, out);
}

extern "C" __global__ void softmax_f64(const double* x, int outer, int mid, int inner, int log, double* out) {
  jattr::softmax<double>(x, outer, mid, inner, log, out);
}
