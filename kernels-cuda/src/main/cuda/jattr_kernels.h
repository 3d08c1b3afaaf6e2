// The contract between the CUDA C kernels of jattr and the Java side that launches them
// (dev.jattr.kernels.cuda). Every kernel is extern "C" (unmangled names in the PTX), takes its
// arguments in the order declared here, and is instantiated for float (suffix _f32) and, where
// the backend interface has a double overload, for double (suffix _f64).
//
// Conventions
// - Arrays are row-major; pointers already include the caller's element offset.
// - Element counts and indices are int (the Java arrays behind them hold at most 2^31 - 1).
// - "1-D" kernels use a grid-stride loop, so any grid works; the host launches blockDim.x = 256
//   and gridDim.x = min(ceil(n / 256), 65535 * 8).
// - "block per output" kernels: blockDim.x = 256 (a power of two), one block per output element
//   along gridDim.x (the host launches exactly the output count; it never exceeds 2^31 - 1).
// - Sums accumulate in double, for float kernels too, so results match the CPU backend to float
//   rounding.
// - Activation codes are the ordinals of dev.jattr.kernels.Activation; -1 means none.
// - Arithmetic codes are the ordinals of dev.jattr.kernels.Arithmetic.
#pragma once

// Activation ordinals (dev.jattr.kernels.Activation).
#define JATTR_ACT_NONE (-1)
#define JATTR_ACT_RELU 0
#define JATTR_ACT_SIGMOID 1
#define JATTR_ACT_TANH 2
#define JATTR_ACT_HARD_SIGMOID 3
#define JATTR_ACT_HARD_SWISH 4
#define JATTR_ACT_SILU 5
#define JATTR_ACT_CLIP 6

// Arithmetic ordinals (dev.jattr.kernels.Arithmetic).
#define JATTR_OP_ADD 0
#define JATTR_OP_SUB 1
#define JATTR_OP_MUL 2
#define JATTR_OP_DIV 3

// Window geometry of a convolution or pooling, always with three spatial dimensions: a rank-1 or
// rank-2 window is padded at the front with extent 1, kernel 1, stride 1, pad 0, dilation 1.
// Passed by value (a .param struct of 25 ints, 100 bytes, 4-byte aligned).
struct JattrWindow {
  int n;            // batch
  int c;            // input channels
  int m;            // output channels (pooling: = c)
  int group;        // groups (pooling: 1)
  int in[3];        // input spatial extents
  int out[3];       // output spatial extents
  int k[3];         // kernel extents
  int stride[3];
  int padBegin[3];
  int padEnd[3];    // used by average pooling only (count_include_pad stops at the padded input)
  int dil[3];       // dilations
};

// A strided view of rank <= 8: shape and element strides (strides may be 0 or negative).
// Passed by value (a .param struct of 17 ints, 68 bytes, 4-byte aligned).
struct JattrStrided {
  int rank;
  int shape[8];
  int strides[8];
};

// ---- gemm.cu -----------------------------------------------------------------------------
// C[m×n] (+)= op(A)·op(B). op(A) is m×k (A stored k×m when transA), op(B) is k×n (B stored n×k
// when transB). Each C element is summed over k in ascending order in T (fma), then added to C
// when accumulate. Launch: blockDim (16, 16), gridDim (ceil(n / 64), ceil(m / 64)), 64×64 tile.
// The kernels step over the tiles by gridDim, so a smaller grid is also correct (the host clamps
// gridDim.y at 65535 when m > 65535·64).
//   gemm_f32(const float* a, int transA, const float* b, int transB, float* c, int m, int k, int n, int accumulate)
//   gemm_f64(const double* a, int transA, const double* b, int transB, double* c, int m, int k, int n, int accumulate)
// For few outputs over a long k, same arguments, blockDim 256, 1-D grid (16 outputs per block, a
// half-warp each; the kernel steps over the rest): lane l sums k ≡ l (mod 16), the lanes fold in
// a tree (+8, +4, +2, +1):
//   gemm_dot_f32(const float* a, int transA, const float* b, int transB, float* c, int m, int k, int n, int accumulate)
// Optional TF32 tensor-core product (sm_80+), same arguments and launch as gemm_f32:
//   gemm_tf32(const float* a, int transA, const float* b, int transB, float* c, int m, int k, int n, int accumulate)

// ---- conv.cu -----------------------------------------------------------------------------
// x[N, C, in...], w[M, C/group, k...], y[N, M, out...]; cross-correlation with zero padding.
//   conv_fwd_T(const T* x, const T* w, const T* bias /* nullable */, T* y, JattrWindow g,
//              int act, T alpha, T beta)                       1-D over the y elements; y = act(conv + bias)
//   conv_bwd_data_T(const T* gy, const T* w, T* gx, JattrWindow g)
//                                                               1-D over the gx elements, gather form, overwrites gx
//   conv_bwd_weight_T(const T* gy, const T* x, T* gw, JattrWindow g)
//                                                               block per gw element, overwrites gw
// (for _f64, act is always -1 and alpha/beta are doubles)
// Implicit GEMM (float), for dense and grouped convolutions: blockDim 256, gridDim
// (ceil(columns / 64), ceil(rows / 64), group), a 64×64 tile of the per-group product per block.
//   conv_gemm_fwd_f32(const float* x, const float* w, const float* bias /* nullable */, float* y,
//                     JattrWindow g, int act, float alpha, float beta, int yChannels, int yChannel0)
//       rows M/group, columns N·out; y has yChannels channels and this convolution's start at
//       yChannel0 (g.m and 0 for a plain forward); y = act(conv + bias), summed in float
//   conv_gemm_bwd_data_f32(const float* gy, const float* w, float* gx, JattrWindow g)
//       rows C/group, columns N·in; overwrites gx, summed in float

// ---- pool.cu -----------------------------------------------------------------------------
//   maxpool_fwd_T(const T* x, T* y, int* argmax /* nullable */, JattrWindow g)   1-D over y
//       argmax = flat index into x of the winner; padding never wins; ties: first tap in scan
//       order; a NaN wins (the first NaN); a window of padding only: -inf and argmax -1.
//   maxpool_bwd_T(const T* gy, const int* argmax, T* gx, int ny)        1-D over gy, gx += (atomicAdd)
//   avgpool_fwd_T(const T* x, T* y, JattrWindow g, int countIncludePad) 1-D over y
//   avgpool_bwd_T(const T* gy, T* gx, JattrWindow g, int countIncludePad) 1-D over gx, gather form, overwrites
//       divisor: window size clipped to the padded input when countIncludePad, else the real taps;
//       divisor 0 gives 0.

// ---- elementwise.cu (float only) ---------------------------------------------------------
//   unary_f32(int act, const float* x, float alpha, float beta, float* out, int n)        1-D
//   unary_bwd_f32(int act, const float* x, const float* y, const float* gy, float alpha, float beta,
//                 float* gx, int n)                                                       1-D
//   binary_f32(int op, const float* full, const float* small, int smallFirst,
//              int outer, int mid, int inner, float* out)                                 1-D over outer·mid·inner
//   affine_f32(const float* full, const float* scale, const float* shift,
//              int outer, int mid, int inner, float* out)                                 1-D

// ---- reduce.cu ---------------------------------------------------------------------------
//   sum_over_axis_T(const T* x, int outer, int mid, int inner, T* out)     1-D over outer·inner outputs
//   sum_to_axis_T(const T* x, int outer, int mid, int inner, T* out)       block per m (mid blocks)
//   softmax_T(const T* x, int outer, int mid, int inner, int log, T* out)  1-D over outer·inner rows

// ---- index.cu ----------------------------------------------------------------------------
//   gather_T(const T* src, int outer, int mid, int inner, const int* idx, int nidx, T* out)
//       1-D over outer·nidx·inner; out[o, j, i] = src[o, idx[j], i]
//   scatter_add_T(const T* src, const int* idx, int nidx, int outer, int mid, int inner, T* out)
//       1-D over outer·nidx·inner; out[o, idx[j], i] += src[o, j, i] (atomicAdd)

// ---- copy.cu -----------------------------------------------------------------------------
//   strided_copy_T(const T* src, JattrStrided s, T* dst, int n)   1-D over n = Π shape
//   copy_rows_f32(const float* src, int srcRow, float* dst, int dstRow, int rows, int len)
//       1-D over rows·len: dst[r·dstRow + j] = src[r·srcRow + j], both pointers at their first row
//       dst[flat(idx)] = src[Σ idx[d]·strides[d]]
//   cast_f32_f64(const float* src, double* dst, int n)            1-D
//   cast_f64_f32(const double* src, float* dst, int n)            1-D (round to nearest)
