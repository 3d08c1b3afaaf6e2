// Grouped convolution, a cross-correlation with zero padding, and its two adjoints (jattr_kernels.h,
// conv.cu section). x[N, C, in...], w[M, C/group, k...], y[N, M, out...]; the window always has
// three spatial dimensions (depth, height, width). Sums accumulate in double.

#include "jattr_common.cuh"

namespace jattr {

// Extents of a convolution derived once per thread from the window.
struct ConvShape {
  int inD, inH, inW, outD, outH, outW, kD, kH, kW;
  int inS, outS, taps;  // spatial sizes (each is part of an array size, so fits an int)
  int cg, mg;           // input / output channels per group

  __device__ __forceinline__ explicit ConvShape(const JattrWindow& g) {
    inD = g.in[0];
    inH = g.in[1];
    inW = g.in[2];
    outD = g.out[0];
    outH = g.out[1];
    outW = g.out[2];
    kD = g.k[0];
    kH = g.k[1];
    kW = g.k[2];
    inS = inD * inH * inW;
    outS = outD * outH * outW;
    taps = kD * kH * kW;
    cg = g.c / g.group;
    mg = g.m / g.group;
  }
};

// y[n, m, o] = act(bias[m] + Σ over c < C/group and in-bounds taps t of
//   w[m, c, t]·x[n, g·C/group + c, o·s − p + t·d]), g the group of m
template <typename T>
__device__ __forceinline__ void conv_fwd(const T* __restrict__ x, const T* __restrict__ w, const T* __restrict__ bias,
                                         T* __restrict__ y, const JattrWindow& g, int act, T alpha, T beta) {
  const ConvShape s(g);
  const i64 total = (i64)g.n * g.m * s.outS;
  JATTR_GRID_LOOP(idx, total) {
    int r = idx;
    const int ow = r % s.outW;
    r /= s.outW;
    const int oh = r % s.outH;
    r /= s.outH;
    const int od = r % s.outD;
    r /= s.outD;
    const int m = r % g.m;
    const int n = r / g.m;
    const int grp = m / s.mg;

    const int id0 = od * g.stride[0] - g.padBegin[0];
    const int ih0 = oh * g.stride[1] - g.padBegin[1];
    const int iw0 = ow * g.stride[2] - g.padBegin[2];

    double acc = bias != nullptr ? (double)bias[m] : 0.0;
    const T* xg = x + ((i64)n * g.c + (i64)grp * s.cg) * s.inS;
    const T* wm = w + (i64)m * s.cg * s.taps;
    for (int c = 0; c < s.cg; c++) {
      const T* xc = xg + (i64)c * s.inS;
      const T* wc = wm + (i64)c * s.taps;
      for (int kd = 0; kd < s.kD; kd++) {
        const int id = id0 + kd * g.dil[0];
        if (id < 0 || id >= s.inD) continue;
        for (int kh = 0; kh < s.kH; kh++) {
          const int ih = ih0 + kh * g.dil[1];
          if (ih < 0 || ih >= s.inH) continue;
          const T* xrow = xc + (id * s.inH + ih) * s.inW;
          const T* wrow = wc + (kd * s.kH + kh) * s.kW;
          for (int kw = 0; kw < s.kW; kw++) {
            const int iw = iw0 + kw * g.dil[2];
            if (iw < 0 || iw >= s.inW) continue;
            acc = fma((double)wrow[kw], (double)xrow[iw], acc);
          }
        }
      }
    }
    y[idx] = activate<T>(act, (T)acc, alpha, beta);
  }
}

// gx[n, ch, i] = Σ over the m of ch's group and every tap t with i = o·s − p + t·d for an output
// position o of gy[n, m, o]·w[m, ch mod C/group, t]: the gather form of the data gradient.
template <typename T>
__device__ __forceinline__ void conv_bwd_data(const T* __restrict__ gy, const T* __restrict__ w, T* __restrict__ gx,
                                              const JattrWindow& g) {
  const ConvShape s(g);
  const i64 total = (i64)g.n * g.c * s.inS;
  JATTR_GRID_LOOP(idx, total) {
    int r = idx;
    const int iw = r % s.inW;
    r /= s.inW;
    const int ih = r % s.inH;
    r /= s.inH;
    const int id = r % s.inD;
    r /= s.inD;
    const int ch = r % g.c;
    const int n = r / g.c;
    const int grp = ch / s.cg;
    const int c = ch % s.cg;
    const int m0 = grp * s.mg;

    // first output channel of the group, at output position 0 and tap 0
    const T* gyg = gy + ((i64)n * g.m + m0) * s.outS;
    const T* wg = w + ((i64)m0 * s.cg + c) * s.taps;
    const i64 wStep = (i64)s.cg * s.taps;  // between output channels

    double acc = 0.0;
    for (int kd = 0; kd < s.kD; kd++) {
      // id = od·stride − pad + kd·dil  ⇔  od = (id + pad − kd·dil) / stride, exactly
      const int td = id + g.padBegin[0] - kd * g.dil[0];
      if (td < 0) break;  // decreases with kd
      if (td % g.stride[0] != 0) continue;
      const int od = td / g.stride[0];
      if (od >= s.outD) continue;
      for (int kh = 0; kh < s.kH; kh++) {
        const int th = ih + g.padBegin[1] - kh * g.dil[1];
        if (th < 0) break;
        if (th % g.stride[1] != 0) continue;
        const int oh = th / g.stride[1];
        if (oh >= s.outH) continue;
        for (int kw = 0; kw < s.kW; kw++) {
          const int tw = iw + g.padBegin[2] - kw * g.dil[2];
          if (tw < 0) break;
          if (tw % g.stride[2] != 0) continue;
          const int ow = tw / g.stride[2];
          if (ow >= s.outW) continue;
          const T* gyp = gyg + (od * s.outH + oh) * s.outW + ow;
          const T* wp = wg + (kd * s.kH + kh) * s.kW + kw;
          for (int j = 0; j < s.mg; j++) {
            acc = fma((double)gyp[(i64)j * s.outS], (double)wp[j * wStep], acc);
          }
        }
      }
    }
    gx[idx] = (T)acc;
  }
}

// gw[m, c, t] = Σ over n and output positions o with an in-bounds tap of
// gy[n, m, o]·x[n, g·C/group + c, o·s − p + t·d]; one block per gw element, each thread a strided
// share of the (n, o) pairs, then a fixed tree over the block: deterministic.
template <typename T>
__device__ __forceinline__ void conv_bwd_weight(const T* __restrict__ gy, const T* __restrict__ x, T* __restrict__ gw,
                                                const JattrWindow& g) {
  __shared__ double red[1024];
  const ConvShape s(g);
  const i64 total = (i64)g.m * s.cg * s.taps;
  const int pairs = g.n * s.outS;  // at most the size of gy
  for (i64 e = blockIdx.x; e < total; e += gridDim.x) {
    int r = (int)e;
    const int kw = r % s.kW;
    r /= s.kW;
    const int kh = r % s.kH;
    r /= s.kH;
    const int kd = r % s.kD;
    r /= s.kD;
    const int c = r % s.cg;
    const int m = r / s.cg;
    const int ch = (m / s.mg) * s.cg + c;

    // input position of output position o: o·stride − pad + k·dil
    const int offD = kd * g.dil[0] - g.padBegin[0];
    const int offH = kh * g.dil[1] - g.padBegin[1];
    const int offW = kw * g.dil[2] - g.padBegin[2];

    double acc = 0.0;
    for (int j = threadIdx.x; j < pairs; j += blockDim.x) {
      int q = j;
      const int ow = q % s.outW;
      q /= s.outW;
      const int oh = q % s.outH;
      q /= s.outH;
      const int od = q % s.outD;
      const int n = q / s.outD;
      const int id = od * g.stride[0] + offD;
      const int ih = oh * g.stride[1] + offH;
      const int iw = ow * g.stride[2] + offW;
      if (id < 0 || id >= s.inD || ih < 0 || ih >= s.inH || iw < 0 || iw >= s.inW) continue;
      const T gv = gy[((i64)n * g.m + m) * s.outS + (od * s.outH + oh) * s.outW + ow];
      const T xv = x[((i64)n * g.c + ch) * s.inS + (id * s.inH + ih) * s.inW + iw];
      acc = fma((double)gv, (double)xv, acc);
    }
    const double sum = block_sum(acc, red);
    if (threadIdx.x == 0) gw[e] = (T)sum;
  }
}

}  // namespace jattr

extern "C" __global__ void conv_fwd_f32(const float* x, const float* w, const float* bias, float* y, JattrWindow g,
                                        int act, float alpha, float beta) {
  jattr::conv_fwd<float>(x, w, bias, y, g, act, alpha, beta);
}

extern "C" __global__ void conv_fwd_f64(const double* x, const double* w, const double* bias, double* y,
                                        JattrWindow g, int act, double alpha, double beta) {
  jattr::conv_fwd<double>(x, w, bias, y, g, act, alpha, beta);
}

extern "C" __global__ void conv_bwd_data_f32(const float* gy, const float* w, float* gx, JattrWindow g) {
  jattr::conv_bwd_data<float>(gy, w, gx, g);
}

extern "C" __global__ void conv_bwd_data_f64(const double* gy, const double* w, double* gx, JattrWindow g) {
  jattr::conv_bwd_data<double>(gy, w, gx, g);
}

extern "C" __global__ void conv_bwd_weight_f32(const float* gy, const float* x, float* gw, JattrWindow g) {
  jattr::conv_bwd_weight<float>(gy, x, gw, g);
}

extern "C" __global__ void conv_bwd_weight_f64(const double* gy, const double* x, double* gw, JattrWindow g) {
  jattr::conv_bwd_weight<double>(gy, x, gw, g);
}
