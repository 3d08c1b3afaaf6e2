// Strided copies and precision casts (jattr_kernels.h, copy.cu section).

#include "jattr_common.cuh"

namespace jattr {

// dst[flat(idx)] = src[Σ idx[d]·strides[d]] over the row-major positions of s.shape; strides may
// be 0 (a broadcast) or negative (a reversal: src points at the view's first element). The
// dimensions are unrolled so that the by-value struct is read with constant offsets.
template <typename T>
__device__ __forceinline__ void strided_copy(const T* __restrict__ src, const JattrStrided& s, T* __restrict__ dst,
                                             int n) {
  JATTR_GRID_LOOP(e, n) {
    int rest = e;
    i64 off = 0;
#pragma unroll
    for (int d = 7; d >= 0; d--) {
      if (d < s.rank) {
        const int extent = s.shape[d];
        off += (i64)(rest % extent) * s.strides[d];
        rest /= extent;
      }
    }
    dst[e] = src[off];
  }
}

// dst[r·dstRow + j] = src[r·srcRow + j] for r < rows, j < len (both pointers at their first row)
template <typename T>
__device__ __forceinline__ void copy_rows(const T* __restrict__ src, int srcRow, T* __restrict__ dst, int dstRow,
                                          int rows, int len) {
  JATTR_GRID_LOOP(e, (i64)rows * len) {
    const int r = e / len;
    const int j = e - r * len;
    dst[(i64)r * dstRow + j] = src[(i64)r * srcRow + j];
  }
}

}  // namespace jattr

extern "C" __global__ void copy_rows_f32(const float* src, int srcRow, float* dst, int dstRow, int rows, int len) {
  jattr::copy_rows<float>(src, srcRow, dst, dstRow, rows, len);
}

extern "C" __global__ void strided_copy_f32(const float* src, JattrStrided s, float* dst, int n) {
  jattr::strided_copy<float>(src, s, dst, n);
}

extern "C" __global__ void strided_copy_f64(const double* src, JattrStrided s, double* dst, int n) {
  jattr::strided_copy<double>(src, s, dst, n);
}

extern "C" __global__ void cast_f32_f64(const float* src, double* dst, int n) {
  JATTR_GRID_LOOP(i, n) { dst[i] = (double)src[i]; }
}

// round to nearest, ties to even (cvt.rn.f32.f64), as Java's (float) cast
extern "C" __global__ void cast_f64_f32(const double* src, float* dst, int n) {
  JATTR_GRID_LOOP(i, n) { dst[i] = __double2float_rn(src[i]); }
}
