// Gather along an axis and its adjoint, scatter-add (jattr_kernels.h, index.cu section). The
// indices are already checked to lie in [0, mid) by the caller (the CPU backend throws
// IndexOutOfBoundsException before touching memory; the launcher must do the same).

#include "jattr_common.cuh"

namespace jattr {

// out[o, j, i] = src[o, idx[j], i] for the source view [outer, mid, inner]; out is [outer, nidx, inner].
template <typename T>
__device__ __forceinline__ void gather(const T* __restrict__ src, int outer, int mid, int inner,
                                       const int* __restrict__ idx, int nidx, T* __restrict__ out) {
  const i64 total = (i64)outer * nidx * inner;
  JATTR_GRID_LOOP(e, total) {
    const int i = e % inner;
    const int r = e / inner;
    const int j = r % nidx;
    const int o = r / nidx;
    out[e] = src[((i64)o * mid + idx[j]) * inner + i];
  }
}

// out[o, idx[j], i] += src[o, j, i] with atomicAdd (repeated indices accumulate, in no fixed order).
template <typename T>
__device__ __forceinline__ void scatter_add(const T* __restrict__ src, const int* __restrict__ idx, int nidx,
                                            int outer, int mid, int inner, T* out) {
  const i64 total = (i64)outer * nidx * inner;
  JATTR_GRID_LOOP(e, total) {
    const int i = e % inner;
    const int r = e / inner;
    const int j = r % nidx;
    const int o = r / nidx;
    atomicAdd(out + ((i64)o * mid + idx[j]) * inner + i, src[e]);
  }
}

}  // namespace jattr

extern "C" __global__ void gather_f32(const float* src, int outer, int mid, int inner, const int* idx, int nidx,
                                      float* out) {
  jattr::gather<float>(src, outer, mid, inner, idx, nidx, out);
}

extern "C" __global__ void gather_f64(const double* src, int outer, int mid, int inner, const int* idx, int nidx,
                                      double* out) {
  jattr::gather<double>(src, outer, mid, inner, idx, nidx, out);
}

extern "C" __global__ void scatter_add_f32(const float* src, const int* idx, int nidx, int outer, int mid,
                                           int inner, float* out) {
  jattr::scatter_add<float>(src, idx, nidx, outer, mid, inner, out);
}

extern "C" __global__ void scatter_add_f64(const double* src, const int* idx, int nidx, int outer, int mid,
                                           int inner, double* out) {
  jattr::scatter_add<double>(src, idx, nidx, outer, mid, inner, out);
}
