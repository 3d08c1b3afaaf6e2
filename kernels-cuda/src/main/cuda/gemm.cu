// Matrix products C[m×n] (+)= op(A)·op(B) (jattr_kernels.h, gemm.cu section).
//
// gemm_f32 / gemm_f64: 64×64 output tile per block of 16×16 threads, each thread a 4×4 register
// micro-tile (rows 4·ty.., columns 4·tx..), k in slabs of 16 staged through shared memory, the
// next slab's global loads issued before the current slab's products. Every element is summed
// over k in ascending order with fma from zero, then added to C when accumulating; rows, columns
// and k past the matrix edges are zero in shared memory and never stored, so any m, k, n works.
//
// gemm_tf32: the same tiling on tensor cores (wmma m16n16k8; inputs rounded to TF32 on their way
// into shared memory with cvt.rna, nearest with ties away from zero; float accumulators), k in
// slabs of 32; edges are zero-filled in shared memory as well, so it has no alignment or
// multiple-of requirements. Its sums are not in ascending k order and its inputs carry 10 mantissa
// bits: results agree with gemm_f32 to TF32 precision only (relative error about 1e-3 of Σ|a·b|).
//
// Both kernels loop over the tiles with gridDim as the stride, so a host may clamp gridDim.y at
// 65535 for very tall products.

#include <mma.h>

#include "jattr_common.cuh"

namespace jattr {

constexpr int BM = 64;       // tile rows
constexpr int BN = 64;       // tile columns
constexpr int BK = 16;       // k slab of the SIMT kernel
constexpr int THREADS = 256; // 16 × 16
constexpr int SPAD = 4;      // row padding of the shared tiles (keeps 16-byte alignment)

// Four consecutive shared elements (16-byte aligned) into registers.
__device__ __forceinline__ void lds4(const float* p, float (&r)[4]) {
  float4 v = *reinterpret_cast<const float4*>(p);
  r[0] = v.x;
  r[1] = v.y;
  r[2] = v.z;
  r[3] = v.w;
}

__device__ __forceinline__ void lds4(const double* p, double (&r)[4]) {
  double2 u = *reinterpret_cast<const double2*>(p);
  double2 v = *reinterpret_cast<const double2*>(p + 2);
  r[0] = u.x;
  r[1] = u.y;
  r[2] = v.x;
  r[3] = v.y;
}

// How a block of 256 threads reads a slab of a stored (row-major) operand, W columns wide, and
// where it puts it in shared memory: thread element q is the stored element (row + q·rowStep,
// col), relative to the slab, and goes to shared offset sBase + q·sStep.
struct SlabMap {
  int row;
  int col;
  int rowStep;
  int sBase;
  int sStep;
};

// As stored, element (r, c) at r·ld + c: consecutive threads take consecutive columns.
__device__ __forceinline__ SlabMap slab_as_stored(int tid, int width, int ld) {
  SlabMap s;
  s.row = tid / width;
  s.col = tid % width;
  s.rowStep = THREADS / width;
  s.sBase = s.row * ld + s.col;
  s.sStep = s.rowStep * ld;
  return s;
}

// Transposed, element (r, c) at c·ld + r: each warp reads blocks of 4 rows × 8 columns (whole
// 32-byte sectors of floats) and, with ld ≡ 4 (mod 32), its 32 stores hit 32 distinct banks.
// width is a multiple of 8 dividing 64.
__device__ __forceinline__ SlabMap slab_transposed(int tid, int width, int ld) {
  const int lane = tid & 31, warp = tid >> 5;
  const int across = width / 8;  // 8-column blocks across the slab
  SlabMap s;
  s.row = lane / 8 + 4 * (warp / across);
  s.col = (warp % across) * 8 + lane % 8;
  s.rowStep = 4 * (8 / across);
  s.sBase = s.col * ld + s.row;
  s.sStep = s.rowStep;
  return s;
}

// N elements of a stored matrix (rows × cols, leading dimension ld) from (row, col) down the
// rows in steps of rowStep; zeros outside the matrix.
template <typename T, int N>
__device__ __forceinline__ void load_column(const T* __restrict__ base, int rows, int cols, int ld, int row, int col,
                                            int rowStep, T (&v)[N]) {
  const bool colOk = col < cols;
  const T* p = base + (i64)row * ld + col;
  const i64 step = (i64)rowStep * ld;
#pragma unroll
  for (int q = 0; q < N; q++) {
    v[q] = colOk && row + q * rowStep < rows ? p[q * step] : T(0);
  }
}

template <typename T>
__device__ __forceinline__ void gemm_simt(const T* __restrict__ a, int transA, const T* __restrict__ b, int transB,
                                          T* __restrict__ c, int m, int k, int n, int accumulate) {
  // As[p][i] = op(A)(i0 + i, p0 + p), Bs[p][j] = op(B)(p0 + p, j0 + j)
  __shared__ __align__(16) T As[BK * (BM + SPAD)];
  __shared__ __align__(16) T Bs[BK * (BN + SPAD)];
  constexpr int LDS = BM + SPAD;

  if (accumulate && k == 0) return;  // C + 0: nothing to add (and -0 stays -0)

  const int tx = threadIdx.x;
  const int ty = threadIdx.y;
  const int tid = ty * 16 + tx;
  const int tilesM = (m + BM - 1) / BM;
  const int tilesN = (n + BN - 1) / BN;
  const int slabs = (k + BK - 1) / BK;

  // The shared tiles are indexed [k][m or n]: a slab stored k×m (A with transA) or k×n (B
  // without transB) goes in as stored, the others transposed.
  static_assert(LDS % 32 == 4, "transposed slab stores are conflict-free with ld = 4 (mod 32)");
  const SlabMap ma = transA ? slab_as_stored(tid, BM, LDS) : slab_transposed(tid, BK, LDS);
  const SlabMap mb = transB ? slab_transposed(tid, BK, LDS) : slab_as_stored(tid, BN, LDS);
  const int aRows = transA ? k : m, aCols = transA ? m : k;
  const int bRows = transB ? n : k, bCols = transB ? k : n;

  for (int tm = blockIdx.y; tm < tilesM; tm += gridDim.y) {
    for (int tn = blockIdx.x; tn < tilesN; tn += gridDim.x) {
      const int i0 = tm * BM;
      const int j0 = tn * BN;

      T acc[4][4];
#pragma unroll
      for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] = T(0);

      T ra[4], rb[4];
      auto fetch = [&](int p0) {
        load_column(a, aRows, aCols, aCols, (transA ? p0 : i0) + ma.row, (transA ? i0 : p0) + ma.col, ma.rowStep, ra);
        load_column(b, bRows, bCols, bCols, (transB ? j0 : p0) + mb.row, (transB ? p0 : j0) + mb.col, mb.rowStep, rb);
      };

      if (slabs > 0) fetch(0);
      for (int s = 0; s < slabs; s++) {
#pragma unroll
        for (int q = 0; q < 4; q++) {
          As[ma.sBase + q * ma.sStep] = ra[q];
          Bs[mb.sBase + q * mb.sStep] = rb[q];
        }
        __syncthreads();
        const int p0 = s * BK;
        if (s + 1 < slabs) fetch(p0 + BK);  // in flight during the products below
        const int len = min(BK, k - p0);
        T av[4], bv[4];
        if (len == BK) {
#pragma unroll
          for (int p = 0; p < BK; p++) {
            lds4(&As[p * LDS + ty * 4], av);
            lds4(&Bs[p * LDS + tx * 4], bv);
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
              for (int j = 0; j < 4; j++) acc[i][j] = jfma(av[i], bv[j], acc[i][j]);
          }
        } else {
          // the last, partial slab: exactly the remaining k (no fma with padding zeros)
          for (int p = 0; p < len; p++) {
            lds4(&As[p * LDS + ty * 4], av);
            lds4(&Bs[p * LDS + tx * 4], bv);
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
              for (int j = 0; j < 4; j++) acc[i][j] = jfma(av[i], bv[j], acc[i][j]);
          }
        }
        __syncthreads();
      }

#pragma unroll
      for (int i = 0; i < 4; i++) {
        int gi = i0 + ty * 4 + i;
        if (gi >= m) break;
        T* row = c + (i64)gi * n;
#pragma unroll
        for (int j = 0; j < 4; j++) {
          int gj = j0 + tx * 4 + j;
          if (gj < n) row[gj] = accumulate ? row[gj] + acc[i][j] : acc[i][j];
        }
      }
    }
  }
}

// ---- TF32 tensor-core product

constexpr int TK = 32;            // k slab of the tensor-core kernel
constexpr int LD_A = TK + 4;      // shared A slab [i][p], 64 × 32
constexpr int LD_B = BN + 4;      // shared B slab [p][j], 32 × 64
constexpr int LD_C = BN + 4;      // staged output tile [i][j], 64 × 64
constexpr int A_FLOATS = BM * LD_A;
constexpr int B_FLOATS = TK * LD_B;
constexpr int TF32_SMEM_FLOATS = A_FLOATS + B_FLOATS;
// wmma: ldm a multiple of 4 floats, fragment pointers 32-byte aligned (row offsets of 16 rows of
// A or 8 rows of B, column offsets of 8 or 16); conflict-free transposed stores: ld ≡ 4 (mod 32)
static_assert(LD_A % 32 == 4 && LD_B % 32 == 4 && LD_C % 4 == 0, "shared leading dimensions");
static_assert((16 * LD_A * 4) % 32 == 0 && (8 * LD_B * 4) % 32 == 0 && (16 * LD_C * 4) % 32 == 0,
              "fragment pointers stay 32-byte aligned");
static_assert((A_FLOATS * 4) % 128 == 0, "the B slab starts 128-byte aligned");
static_assert(TF32_SMEM_FLOATS >= BM * LD_C, "the staged output fits over the input slabs");

namespace wmma = nvcuda::wmma;

// One pass over the 64×64 tiles of the block. The slabs of op(A) (64×32) and op(B) (32×64) are
// rounded to TF32 on their way into shared memory, row-major, zero outside the matrices; warp w
// owns rows 16·(w / 2) .. +16 and columns 32·(w % 2) .. +32 of the tile (two 16×16 accumulators).
__device__ __forceinline__ void gemm_tf32_tiles(const float* __restrict__ a, int transA, const float* __restrict__ b,
                                                int transB, float* __restrict__ c, int m, int k, int n, int accumulate,
                                                float* smem) {
  float* sA = smem;
  float* sB = smem + A_FLOATS;
  float* sC = smem;  // after the k loop

  const int tid = threadIdx.y * 16 + threadIdx.x;
  const int warp = tid >> 5;
  const int wr = warp >> 1;
  const int wc = warp & 1;
  const int tilesM = (m + BM - 1) / BM;
  const int tilesN = (n + BN - 1) / BN;
  const int slabs = (k + TK - 1) / TK;

  // sA[i][p]: A stored m×k goes in as stored, k×m transposed; sB[p][j]: B stored k×n as stored,
  // n×k transposed
  const SlabMap ma = transA ? slab_transposed(tid, BM, LD_A) : slab_as_stored(tid, TK, LD_A);
  const SlabMap mb = transB ? slab_transposed(tid, TK, LD_B) : slab_as_stored(tid, BN, LD_B);
  const int aRows = transA ? k : m, aCols = transA ? m : k;
  const int bRows = transB ? n : k, bCols = transB ? k : n;

  for (int tm = blockIdx.y; tm < tilesM; tm += gridDim.y) {
    for (int tn = blockIdx.x; tn < tilesN; tn += gridDim.x) {
      const int i0 = tm * BM;
      const int j0 = tn * BN;

      wmma::fragment<wmma::accumulator, 16, 16, 8, float> acc[2];
      wmma::fill_fragment(acc[0], 0.0f);
      wmma::fill_fragment(acc[1], 0.0f);

      float ra[8], rb[8];
      auto fetch = [&](int p0) {
        load_column(a, aRows, aCols, aCols, (transA ? p0 : i0) + ma.row, (transA ? i0 : p0) + ma.col, ma.rowStep, ra);
        load_column(b, bRows, bCols, bCols, (transB ? j0 : p0) + mb.row, (transB ? p0 : j0) + mb.col, mb.rowStep, rb);
      };

      if (slabs > 0) fetch(0);
      for (int s = 0; s < slabs; s++) {
#pragma unroll
        for (int q = 0; q < 8; q++) {
          sA[ma.sBase + q * ma.sStep] = wmma::__float_to_tf32(ra[q]);
          sB[mb.sBase + q * mb.sStep] = wmma::__float_to_tf32(rb[q]);
        }
        __syncthreads();
        if (s + 1 < slabs) fetch((s + 1) * TK);  // in flight during the products below
#pragma unroll
        for (int kk = 0; kk < TK; kk += 8) {
          wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fa;
          wmma::load_matrix_sync(fa, sA + (wr * 16) * LD_A + kk, LD_A);
#pragma unroll
          for (int f = 0; f < 2; f++) {
            wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fb;
            wmma::load_matrix_sync(fb, sB + kk * LD_B + wc * 32 + f * 16, LD_B);
            wmma::mma_sync(acc[f], fa, fb, acc[f]);
          }
        }
        __syncthreads();
      }

      // stage the tile in shared memory (over the input slabs), then store the in-range part
#pragma unroll
      for (int f = 0; f < 2; f++) {
        wmma::store_matrix_sync(sC + (wr * 16) * LD_C + wc * 32 + f * 16, acc[f], LD_C, wmma::mem_row_major);
      }
      __syncthreads();
      const int cj = tid % BN;
      const int gj = j0 + cj;
#pragma unroll 4
      for (int ti = tid / BN; ti < BM; ti += THREADS / BN) {
        int gi = i0 + ti;
        if (gi < m && gj < n) {
          float v = sC[ti * LD_C + cj];
          float* p = c + (i64)gi * n + gj;
          *p = accumulate ? *p + v : v;
        }
      }
      __syncthreads();  // sC is overwritten by the next tile's slabs
    }
  }
}

}  // namespace jattr

extern "C" __global__ void __launch_bounds__(256)
    gemm_f32(const float* a, int transA, const float* b, int transB, float* c, int m, int k, int n, int accumulate) {
  jattr::gemm_simt<float>(a, transA, b, transB, c, m, k, n, accumulate);
}

extern "C" __global__ void __launch_bounds__(256)
    gemm_f64(const double* a, int transA, const double* b, int transB, double* c, int m, int k, int n, int accumulate) {
  jattr::gemm_simt<double>(a, transA, b, transB, c, m, k, n, accumulate);
}

extern "C" __global__ void __launch_bounds__(256)
    gemm_tf32(const float* a, int transA, const float* b, int transB, float* c, int m, int k, int n, int accumulate) {
  __shared__ __align__(128) float smem[jattr::TF32_SMEM_FLOATS];
  if (accumulate && k == 0) return;
  jattr::gemm_tf32_tiles(a, transA, b, transB, c, m, k, n, accumulate, smem);
}

// gemm_dot_f32: the same product for few outputs over a long k (a classifier's last layer): a
// half-warp per element of C, lane l summing the k ≡ l (mod 16) terms in ascending order with fmaf,
// the sixteen lane sums folded in a tree (lane + 8, then + 4, + 2, + 1). Sums of k terms so
// round far less than one running sum does: sixteen of k/16 terms, then four levels of adds.
extern "C" __global__ void __launch_bounds__(256)
    gemm_dot_f32(const float* __restrict__ a, int transA, const float* __restrict__ b, int transB,
                 float* __restrict__ c, int m, int k, int n, int accumulate) {
  if (accumulate && k == 0) return;  // C + 0: nothing to add (and -0 stays -0)
  const int lane = threadIdx.x & 15;
  const unsigned half = 0xffffu << (threadIdx.x & 16);  // this half-warp's lanes
  const jattr::i64 outputs = (jattr::i64)m * n;
  const jattr::i64 step = ((jattr::i64)gridDim.x * blockDim.x) >> 4;
  for (jattr::i64 e = ((jattr::i64)blockIdx.x * blockDim.x + threadIdx.x) >> 4; e < outputs; e += step) {
    const int i = (int)(e / n), j = (int)(e % n);
    float s = 0.0f;
    for (int p = lane; p < k; p += 16) {
      const float av = transA ? a[(jattr::i64)p * m + i] : a[(jattr::i64)i * k + p];
      const float bv = transB ? b[(jattr::i64)j * k + p] : b[(jattr::i64)p * n + j];
      s = fmaf(av, bv, s);
    }
    s += __shfl_down_sync(half, s, 8, 16);
    s += __shfl_down_sync(half, s, 4, 16);
    s += __shfl_down_sync(half, s, 2, 16);
    s += __shfl_down_sync(half, s, 1, 16);
    if (lane == 0) {
      const jattr::i64 at = (jattr::i64)i * n + j;
      c[at] = accumulate ? c[at] + s : s;
    }
  }
}
