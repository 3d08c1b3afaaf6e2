// Float elementwise kernels (jattr_kernels.h, elementwise.cu section): the activations and their
// vector-Jacobian products as dev.jattr.kernels.cpu.Elementwise defines them (jattr_common.cuh),
// broadcast arithmetic along an [outer, mid, inner] view, and the per-channel affine map.
// Outputs may alias the full input (each element is read before it is written, by one thread),
// so no pointer here is __restrict__.

#include "jattr_common.cuh"

extern "C" __global__ void unary_f32(int act, const float* x, float alpha, float beta, float* out, int n) {
  JATTR_GRID_LOOP(i, n) { out[i] = jattr::activate<float>(act, x[i], alpha, beta); }
}

extern "C" __global__ void unary_bwd_f32(int act, const float* x, const float* y, const float* gy, float alpha,
                                         float beta, float* gx, int n) {
  // x and y are read only by the activations that need them: Sigmoid and Tanh read y, the others
  // x, none (-1) neither; the launcher may pass null for the one not read
  const bool readsY = act == JATTR_ACT_SIGMOID || act == JATTR_ACT_TANH;
  const bool readsX = !readsY && act >= JATTR_ACT_RELU && act <= JATTR_ACT_CLIP;
  JATTR_GRID_LOOP(i, n) {
    const float xv = readsX ? x[i] : 0.0f;
    const float yv = readsY ? y[i] : 0.0f;
    gx[i] = jattr::activate_bwd<float>(act, xv, yv, gy[i], alpha, beta);
  }
}

namespace jattr {

__device__ __forceinline__ float arith(int op, float u, float v) {
  switch (op) {
    case JATTR_OP_ADD:
      return u + v;
    case JATTR_OP_SUB:
      return u - v;
    case JATTR_OP_MUL:
      return u * v;
    default:  // JATTR_OP_DIV
      return u / v;
  }
}

}  // namespace jattr

// out[(o·mid + m)·inner + i] = op(full[...], small[m]), or op(small[m], full[...]) when smallFirst.
extern "C" __global__ void binary_f32(int op, const float* full, const float* small, int smallFirst, int outer,
                                      int mid, int inner, float* out) {
  const jattr::i64 total = (jattr::i64)outer * mid * inner;
  JATTR_GRID_LOOP(i, total) {
    const float s = small[(i / inner) % mid];
    const float f = full[i];
    out[i] = smallFirst ? jattr::arith(op, s, f) : jattr::arith(op, f, s);
  }
}

// out[(o·mid + m)·inner + i] = fma(full[...], scale[m], shift[m]) (the CPU's Math.fma).
extern "C" __global__ void affine_f32(const float* full, const float* scale, const float* shift, int outer, int mid,
                                      int inner, float* out) {
  const jattr::i64 total = (jattr::i64)outer * mid * inner;
  JATTR_GRID_LOOP(i, total) {
    const int m = (i / inner) % mid;
    out[i] = fmaf(full[i], scale[m], shift[m]);
  }
}
