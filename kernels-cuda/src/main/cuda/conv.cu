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

// ---- implicit GEMM (float): dense and grouped convolutions as tiled matrix products ----------
//
// The forward pass is, per group, Y[m, p] = Σ_k W[m, k]·X̂[k, p]: m an output channel of the group,
// k = (c, tap) over the group's input channels and the window's taps, p = (n, out position); X̂ is
// the unfolded input, read straight from x (zero outside the input), never stored. The data
// gradient is the same shape of product: gX[c, p] = Σ_k Ŵ[c, k]·ĝY[k, p], c an input channel of
// the group, k = (m, tap), p = (n, in position), ĝY the output gradient at the output position a
// tap maps p to (zero where none does). One block of 256 threads computes a 64×64 tile of the
// product; thread (ty, tx) holds rows ty + 16·i and columns tx + 16·j (i, j < 4), so a warp's
// stores cover 16 consecutive positions; k runs in slabs of 16 through shared memory, the next
// slab's global loads issued before the current slab's products. Each element is summed over k
// in ascending order with fmaf from zero, in float.

constexpr int IG_TILE = 64;
constexpr int IG_K = 16;

// The forward problem of group grp: A = the group's weights, B = the unfolded input.
struct IgForward {
  const float* __restrict__ x;
  const float* __restrict__ w;
  ConvShape s;
  JattrWindow g;
  int grp;
  int ks;  // cg · taps

  // A(i, k) = w[grp·mg + i, k] (weights are [M, cg·taps], rows contiguous)
  __device__ __forceinline__ float a(int i, int k) const { return w[(i64)(grp * s.mg + i) * ks + k]; }

  // A column of B: output position p's sample and window origin
  struct Column {
    const float* base;  // x at (n, the group's first channel)
    int d0, h0, w0;
    bool ok;
  };

  __device__ __forceinline__ Column column(int p, int cols) const {
    Column c;
    c.ok = p < cols;
    const int q = c.ok ? p : 0;
    const int n = q / s.outS;
    const int o = q - n * s.outS;
    const int ow = o % s.outW;
    const int oh = (o / s.outW) % s.outH;
    const int od = o / (s.outW * s.outH);
    c.d0 = od * g.stride[0] - g.padBegin[0];
    c.h0 = oh * g.stride[1] - g.padBegin[1];
    c.w0 = ow * g.stride[2] - g.padBegin[2];
    c.base = x + ((i64)n * g.c + (i64)grp * s.cg) * s.inS;
    return c;
  }

  // B(k, p) = x[n, grp·cg + c, origin + tap·dil], zero outside the input
  __device__ __forceinline__ float b(const Column& col, int k) const {
    if (!col.ok || k >= ks) return 0.0f;
    const int c = k / s.taps;
    const int t = k - c * s.taps;
    const int kw = t % s.kW;
    const int kh = (t / s.kW) % s.kH;
    const int kd = t / (s.kW * s.kH);
    const int id = col.d0 + kd * g.dil[0];
    const int ih = col.h0 + kh * g.dil[1];
    const int iw = col.w0 + kw * g.dil[2];
    if (id < 0 || id >= s.inD || ih < 0 || ih >= s.inH || iw < 0 || iw >= s.inW) return 0.0f;
    return col.base[(i64)c * s.inS + (id * s.inH + ih) * s.inW + iw];
  }
};

// The data-gradient problem of group grp: A = the group's weights transposed per tap, B = the
// output gradient gathered to input positions.
struct IgData {
  const float* __restrict__ gy;
  const float* __restrict__ w;
  ConvShape s;
  JattrWindow g;
  int grp;
  int ks;  // mg · taps

  // A(c, k) = w[grp·mg + j, c, t] for k = (j, t)
  __device__ __forceinline__ float a(int c, int k) const {
    const int j = k / s.taps;
    const int t = k - j * s.taps;
    return w[((i64)(grp * s.mg + j) * s.cg + c) * s.taps + t];
  }

  struct Column {
    const float* base;  // gy at (n, the group's first output channel)
    int id, ih, iw;
    bool ok;
  };

  __device__ __forceinline__ Column column(int p, int cols) const {
    Column c;
    c.ok = p < cols;
    const int q = c.ok ? p : 0;
    const int n = q / s.inS;
    const int i = q - n * s.inS;
    c.iw = i % s.inW;
    c.ih = (i / s.inW) % s.inH;
    c.id = i / (s.inW * s.inH);
    c.base = gy + ((i64)n * g.m + (i64)grp * s.mg) * s.outS;
    return c;
  }

  // B(k, p) = gy[n, grp·mg + j, o] for the output position o whose window puts tap t on input
  // position p (i = o·stride − pad + t·dil, exactly), zero where there is none
  __device__ __forceinline__ float b(const Column& col, int k) const {
    if (!col.ok || k >= ks) return 0.0f;
    const int j = k / s.taps;
    const int t = k - j * s.taps;
    const int kw = t % s.kW;
    const int kh = (t / s.kW) % s.kH;
    const int kd = t / (s.kW * s.kH);
    const int td = col.id + g.padBegin[0] - kd * g.dil[0];
    const int th = col.ih + g.padBegin[1] - kh * g.dil[1];
    const int tw = col.iw + g.padBegin[2] - kw * g.dil[2];
    if (td < 0 || th < 0 || tw < 0) return 0.0f;
    if (td % g.stride[0] != 0 || th % g.stride[1] != 0 || tw % g.stride[2] != 0) return 0.0f;
    const int od = td / g.stride[0], oh = th / g.stride[1], ow = tw / g.stride[2];
    if (od >= s.outD || oh >= s.outH || ow >= s.outW) return 0.0f;
    return col.base[(i64)j * s.outS + (od * s.outH + oh) * s.outW + ow];
  }
};

// acc[i][j] = Σ_k A(row0 + ty + 16i, k)·B(k, col0 + tx + 16j) for the block's tile; rows past
// `rows` read zeros.
template <typename P>
__device__ __forceinline__ void ig_tile(const P& pr, int rows, int cols, float (&acc)[4][4]) {
  __shared__ float As[IG_K][IG_TILE + 1];
  __shared__ float Bs[IG_K][IG_TILE];
  const int tid = threadIdx.x;
  const int tx = tid & 15, ty = tid >> 4;
  const int row0 = blockIdx.y * IG_TILE, col0 = blockIdx.x * IG_TILE;
  const int ak = tid & 15, ai = tid >> 4;  // A: k, and row ai + 16q
  const int bp = tid & 63, bk = tid >> 6;  // B: column, and k bk + 4q
  const typename P::Column col = pr.column(col0 + bp, cols);
  float ra[4], rb[4];
#pragma unroll
  for (int q = 0; q < 4; q++) {
    const int r = row0 + ai + 16 * q;
    ra[q] = r < rows && ak < pr.ks ? pr.a(r, ak) : 0.0f;
    rb[q] = pr.b(col, bk + 4 * q);
  }
#pragma unroll
  for (int i = 0; i < 4; i++)
#pragma unroll
    for (int j = 0; j < 4; j++) acc[i][j] = 0.0f;
  for (int k0 = 0; k0 < pr.ks; k0 += IG_K) {
#pragma unroll
    for (int q = 0; q < 4; q++) {
      As[ak][ai + 16 * q] = ra[q];
      Bs[bk + 4 * q][bp] = rb[q];
    }
    __syncthreads();
    const int next = k0 + IG_K;
    if (next < pr.ks) {
#pragma unroll
      for (int q = 0; q < 4; q++) {
        const int r = row0 + ai + 16 * q;
        ra[q] = r < rows && next + ak < pr.ks ? pr.a(r, next + ak) : 0.0f;
        rb[q] = pr.b(col, next + bk + 4 * q);
      }
    }
#pragma unroll
    for (int kk = 0; kk < IG_K; kk++) {
      float av[4], bv[4];
#pragma unroll
      for (int i = 0; i < 4; i++) av[i] = As[kk][ty + 16 * i];
#pragma unroll
      for (int j = 0; j < 4; j++) bv[j] = Bs[kk][tx + 16 * j];
#pragma unroll
      for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] = fmaf(av[i], bv[j], acc[i][j]);
    }
    __syncthreads();
  }
}

// Hands each element of the block's tile inside the product to store(n, position, row, value):
// column p is position p mod perSample of sample p / perSample.
template <typename Store>
__device__ __forceinline__ void ig_store(int rows, int cols, int perSample, const float (&acc)[4][4],
                                         const Store& store) {
  const int tx = threadIdx.x & 15, ty = threadIdx.x >> 4;
#pragma unroll
  for (int j = 0; j < 4; j++) {
    const int p = blockIdx.x * IG_TILE + tx + 16 * j;
    if (p >= cols) continue;
    const int n = p / perSample;
    const int o = p - n * perSample;
#pragma unroll
    for (int i = 0; i < 4; i++) {
      const int r = blockIdx.y * IG_TILE + ty + 16 * i;
      if (r < rows) store(n, o, r, acc[i][j]);
    }
  }
}

// y[n, yChannel0 + grp·mg + m, o] = act(Σ + bias): y has yChannels channels (a convolution
// writing its part of a channel concatenation in place, or g.m)
struct IgForwardStore {
  const float* __restrict__ bias;  // at the group's first output channel, or null
  float* __restrict__ y;
  int act;
  float alpha, beta;
  int yChannels, firstChannel, outS;  // firstChannel: yChannel0 + the group's first output channel

  __device__ __forceinline__ void operator()(int n, int o, int m, float sum) const {
    const float v = bias != nullptr ? sum + bias[m] : sum;
    y[((i64)n * yChannels + firstChannel + m) * outS + o] = activate<float>(act, v, alpha, beta);
  }
};

__device__ __forceinline__ void conv_gemm_fwd(const float* __restrict__ x, const float* __restrict__ w,
                                              const float* __restrict__ bias, float* __restrict__ y,
                                              const JattrWindow& g, int act, float alpha, float beta,
                                              int yChannels, int yChannel0) {
  IgForward pr{x, w, ConvShape(g), g, (int)blockIdx.z, 0};
  pr.ks = pr.s.cg * pr.s.taps;
  float acc[4][4];
  ig_tile(pr, pr.s.mg, g.n * pr.s.outS, acc);
  const int first = pr.grp * pr.s.mg;
  ig_store(pr.s.mg, g.n * pr.s.outS, pr.s.outS, acc,
           IgForwardStore{bias == nullptr ? nullptr : bias + first, y, act, alpha, beta, yChannels,
                          yChannel0 + first, pr.s.outS});
}

// gx[n, grp·cg + c, i] = Σ
struct IgDataStore {
  float* __restrict__ gx;
  int channels, firstChannel, inS;

  __device__ __forceinline__ void operator()(int n, int i, int c, float sum) const {
    gx[((i64)n * channels + firstChannel + c) * inS + i] = sum;
  }
};

__device__ __forceinline__ void conv_gemm_bwd_data(const float* __restrict__ gy, const float* __restrict__ w,
                                                   float* __restrict__ gx, const JattrWindow& g) {
  IgData pr{gy, w, ConvShape(g), g, (int)blockIdx.z, 0};
  pr.ks = pr.s.mg * pr.s.taps;
  float acc[4][4];
  ig_tile(pr, pr.s.cg, g.n * pr.s.inS, acc);
  ig_store(pr.s.cg, g.n * pr.s.inS, pr.s.inS, acc, IgDataStore{gx, g.c, pr.grp * pr.s.cg, pr.s.inS});
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

extern "C" __global__ void __launch_bounds__(256) conv_gemm_fwd_f32(const float* x, const float* w, const float* bias,
                                                                    float* y, JattrWindow g, int act, float alpha,
                                                                    float beta, int yChannels, int yChannel0) {
  jattr::conv_gemm_fwd(x, w, bias, y, g, act, alpha, beta, yChannels, yChannel0);
}

extern "C" __global__ void __launch_bounds__(256) conv_gemm_bwd_data_f32(const float* gy, const float* w, float* gx,
                                                                         JattrWindow g) {
  jattr::conv_gemm_bwd_data(gy, w, gx, g);
}
