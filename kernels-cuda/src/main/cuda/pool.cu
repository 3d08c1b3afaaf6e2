// Max and average pooling and their gradients (jattr_kernels.h, pool.cu section), with the rules
// of dev.jattr.kernels.cpu.Pool: x[N, C, in...], y[N, C, out...], three spatial dimensions, taps
// outside [0, in) are padding.

#include "jattr_common.cuh"

namespace jattr {

struct PoolShape {
  int inD, inH, inW, outD, outH, outW;
  int inS, outS;

  __device__ __forceinline__ explicit PoolShape(const JattrWindow& g) {
    inD = g.in[0];
    inH = g.in[1];
    inW = g.in[2];
    outD = g.out[0];
    outH = g.out[1];
    outW = g.out[2];
    inS = inD * inH * inW;
    outS = outD * outH * outW;
  }
};

// Taps of output position o along dimension d that count in the average's divisor: those inside
// the padded input [-padBegin, in + padEnd) when countIncludePad, else the real ones in [0, in).
__device__ __forceinline__ int divisor_taps(const JattrWindow& g, int d, int o, int countIncludePad) {
  const int start = o * g.stride[d] - g.padBegin[d];
  return countIncludePad ? taps_within(start, g.k[d], g.dil[d], -g.padBegin[d], g.in[d] + g.padEnd[d])
                         : taps_within(start, g.k[d], g.dil[d], 0, g.in[d]);
}

// Window scan in (kd, kh, kw) order; the winner is the first tap that is greater than the best so
// far, or the first NaN (a NaN wins over any number and later NaNs do not replace it). Padding
// never takes part; a window of padding only gives -inf and argmax -1.
template <typename T>
__device__ __forceinline__ void maxpool_fwd(const T* __restrict__ x, T* __restrict__ y, int* __restrict__ argmax,
                                            const JattrWindow& g) {
  const PoolShape s(g);
  const i64 total = (i64)g.n * g.c * s.outS;
  JATTR_GRID_LOOP(idx, total) {
    int r = idx;
    const int ow = r % s.outW;
    r /= s.outW;
    const int oh = r % s.outH;
    r /= s.outH;
    const int od = r % s.outD;
    const int plane = r / s.outD;
    const int xBase = plane * s.inS;  // < the size of x
    const int id0 = od * g.stride[0] - g.padBegin[0];
    const int ih0 = oh * g.stride[1] - g.padBegin[1];
    const int iw0 = ow * g.stride[2] - g.padBegin[2];

    T best = T(-INFINITY);
    int bi = -1;
    for (int kd = 0; kd < g.k[0]; kd++) {
      const int id = id0 + kd * g.dil[0];
      if (id < 0 || id >= s.inD) continue;
      for (int kh = 0; kh < g.k[1]; kh++) {
        const int ih = ih0 + kh * g.dil[1];
        if (ih < 0 || ih >= s.inH) continue;
        const int rowBase = xBase + (id * s.inH + ih) * s.inW;
        for (int kw = 0; kw < g.k[2]; kw++) {
          const int iw = iw0 + kw * g.dil[2];
          if (iw < 0 || iw >= s.inW) continue;
          const T v = x[rowBase + iw];
          if (bi < 0 || v > best || (isnan(v) && !isnan(best))) {
            best = v;
            bi = rowBase + iw;
          }
        }
      }
    }
    y[idx] = best;
    if (argmax != nullptr) argmax[idx] = bi;
  }
}

// gx[argmax[i]] += gy[i] for argmax[i] >= 0.
template <typename T>
__device__ __forceinline__ void maxpool_bwd(const T* __restrict__ gy, const int* __restrict__ argmax, T* gx, int ny) {
  JATTR_GRID_LOOP(i, ny) {
    const int a = argmax[i];
    if (a >= 0) atomicAdd(gx + a, gy[i]);
  }
}

// y = Σ real taps / divisor (0 when the divisor is 0), the sum in double.
template <typename T>
__device__ __forceinline__ void avgpool_fwd(const T* __restrict__ x, T* __restrict__ y, const JattrWindow& g,
                                            int countIncludePad) {
  const PoolShape s(g);
  const i64 total = (i64)g.n * g.c * s.outS;
  JATTR_GRID_LOOP(idx, total) {
    int r = idx;
    const int ow = r % s.outW;
    r /= s.outW;
    const int oh = r % s.outH;
    r /= s.outH;
    const int od = r % s.outD;
    const int plane = r / s.outD;
    const int div = divisor_taps(g, 0, od, countIncludePad) * divisor_taps(g, 1, oh, countIncludePad) *
                    divisor_taps(g, 2, ow, countIncludePad);
    if (div == 0) {
      y[idx] = T(0);
      continue;
    }
    const int xBase = plane * s.inS;
    const int id0 = od * g.stride[0] - g.padBegin[0];
    const int ih0 = oh * g.stride[1] - g.padBegin[1];
    const int iw0 = ow * g.stride[2] - g.padBegin[2];
    double sum = 0.0;
    for (int kd = 0; kd < g.k[0]; kd++) {
      const int id = id0 + kd * g.dil[0];
      if (id < 0 || id >= s.inD) continue;
      for (int kh = 0; kh < g.k[1]; kh++) {
        const int ih = ih0 + kh * g.dil[1];
        if (ih < 0 || ih >= s.inH) continue;
        const T* row = x + xBase + (id * s.inH + ih) * s.inW;
        for (int kw = 0; kw < g.k[2]; kw++) {
          const int iw = iw0 + kw * g.dil[2];
          if (iw >= 0 && iw < s.inW) sum += (double)row[iw];
        }
      }
    }
    y[idx] = (T)(sum / div);
  }
}

// gx[i] = Σ over the windows that hold i as a real tap of gy[o] / divisor(o): the gather form.
template <typename T>
__device__ __forceinline__ void avgpool_bwd(const T* __restrict__ gy, T* __restrict__ gx, const JattrWindow& g,
                                            int countIncludePad) {
  const PoolShape s(g);
  const i64 total = (i64)g.n * g.c * s.inS;
  JATTR_GRID_LOOP(idx, total) {
    int r = idx;
    const int iw = r % s.inW;
    r /= s.inW;
    const int ih = r % s.inH;
    r /= s.inH;
    const int id = r % s.inD;
    const int plane = r / s.inD;
    const T* gyp = gy + (i64)plane * s.outS;
    double sum = 0.0;
    for (int kd = 0; kd < g.k[0]; kd++) {
      // id = od·stride − pad + kd·dil  ⇔  od = (id + pad − kd·dil) / stride, exactly
      const int td = id + g.padBegin[0] - kd * g.dil[0];
      if (td < 0) break;  // decreases with kd
      if (td % g.stride[0] != 0) continue;
      const int od = td / g.stride[0];
      if (od >= s.outD) continue;
      const int cd = divisor_taps(g, 0, od, countIncludePad);
      for (int kh = 0; kh < g.k[1]; kh++) {
        const int th = ih + g.padBegin[1] - kh * g.dil[1];
        if (th < 0) break;
        if (th % g.stride[1] != 0) continue;
        const int oh = th / g.stride[1];
        if (oh >= s.outH) continue;
        const int ch = divisor_taps(g, 1, oh, countIncludePad);
        for (int kw = 0; kw < g.k[2]; kw++) {
          const int tw = iw + g.padBegin[2] - kw * g.dil[2];
          if (tw < 0) break;
          if (tw % g.stride[2] != 0) continue;
          const int ow = tw / g.stride[2];
          if (ow >= s.outW) continue;
          const int div = cd * ch * divisor_taps(g, 2, ow, countIncludePad);
          if (div != 0) sum += (double)gyp[(od * s.outH + oh) * s.outW + ow] / div;
        }
      }
    }
    gx[idx] = (T)sum;
  }
}

}  // namespace jattr

extern "C" __global__ void maxpool_fwd_f32(const float* x, float* y, int* argmax, JattrWindow g) {
  jattr::maxpool_fwd<float>(x, y, argmax, g);
}

extern "C" __global__ void maxpool_fwd_f64(const double* x, double* y, int* argmax, JattrWindow g) {
  jattr::maxpool_fwd<double>(x, y, argmax, g);
}

extern "C" __global__ void maxpool_bwd_f32(const float* gy, const int* argmax, float* gx, int ny) {
  jattr::maxpool_bwd<float>(gy, argmax, gx, ny);
}

extern "C" __global__ void maxpool_bwd_f64(const double* gy, const int* argmax, double* gx, int ny) {
  jattr::maxpool_bwd<double>(gy, argmax, gx, ny);
}

extern "C" __global__ void avgpool_fwd_f32(const float* x, float* y, JattrWindow g, int countIncludePad) {
  jattr::avgpool_fwd<float>(x, y, g, countIncludePad);
}

extern "C" __global__ void avgpool_fwd_f64(const double* x, double* y, JattrWindow g, int countIncludePad) {
  jattr::avgpool_fwd<double>(x, y, g, countIncludePad);
}

extern "C" __global__ void avgpool_bwd_f32(const float* gy, float* gx, JattrWindow g, int countIncludePad) {
  jattr::avgpool_bwd<float>(gy, gx, g, countIncludePad);
}

extern "C" __global__ void avgpool_bwd_f64(const double* gy, double* gx, JattrWindow g, int countIncludePad) {
  jattr::avgpool_bwd<double>(gy, gx, g, countIncludePad);
}
