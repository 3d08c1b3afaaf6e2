package dev.jattr.kernels.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Package-private single-threaded float product on strided operands: op(A) packed into
 * {@value #MR}-row micro-panels, op(B) into micro-panels of three vectors of columns, and a
 * register-tiled micro-kernel of {@value #MR}×3 vector accumulators updated with {@code fma}
 * (a last panel of a few rows takes a tile of half the height).
 *
 * <p>Blocking follows the usual three levels: a {@link #KC}-deep slice of a B micro-panel stays
 * in L1 while the micro-kernel sweeps the A block, the {@link #MC}×{@link #KC} A block stays in
 * L2, and the {@link #KC}×{@link #NC} B block in L3. When op(B) has unit column stride and C has
 * few rows, B is read in place instead: each packed element would be used only m times, and
 * copying it costs about as much as the product (see {@link #UNPACKED_B_ROWS}). Pack buffers are per-thread and kept between calls.
 *
 * <p>Each output element is summed over k in ascending order (one fma per step, KC blocks in
 * order), whatever the blocking.
 */
final class PackedGemm {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int L = SPECIES.length();
  /**
   * Rows of the micro-kernel tile: eight with vectors of 16 floats or more (AVX-512 and SVE-512
   * have 32 vector registers: 24 accumulators, 3 B vectors and a broadcast), else four (AVX2 has
   * 16: 12 accumulators and 4 more, which eight rows would spill).
   */
  static final int MR = L >= 16 ? 8 : 4;
  /** Columns of the micro-kernel tile (three vectors). */
  static final int NR = 3 * L;
  /**
   * Depth of a packed block: a B micro-panel slice of KC×NR floats is 24 KiB of L1 with 512-bit
   * vectors. Sums over k are carried from one block to the next through C, so KC decides the
   * rounding: it stays 128, its value with the former two-vector tile, so results did not change.
   */
  static final int KC = 128;
  /** Vectors of MR floats: a packed A panel's column, copied whole where its rows are adjacent. */
  private static final VectorSpecies<Float> PANEL_ROWS =
      VectorSpecies.of(float.class, VectorShape.forBitSize(MR * Float.SIZE));

  /**
   * Rows of {@link #halfTile}, the whole tile where MR is four; where it is eight, a last panel of
   * at most these rows takes it rather than the whole tile.
   */
  static final int HALF = 4;
  /** Rows up to which a ragged last panel takes {@link #thinTile}. */
  static final int THIN = 2;

  /** Rows of a packed A block (a multiple of MR): MC×KC floats stay in L2. */
  static final int MC = 16 * MR;
  /** Columns of a packed B block (a multiple of NR). */
  static final int NC = Math.max(NR, (1024 / NR) * NR);
  /**
   * Rows of C up to which op(B) with unit column stride is read in place rather than packed.
   * Measured with 512-bit vectors on a loaded 2-core machine (single thread, best GFLOP/s,
   * packed → in place): 16×144×12544 78 → 99, 64×576×3136 111 → 125.
   */
  static final int UNPACKED_B_ROWS = 96;

  /**
   * Per-thread pack buffers, taken for one call and handed back; a call nested in another on the
   * same thread gets buffers of its own. (Taking them out of the ThreadLocal and putting them
   * back, as this once did, cost a ThreadLocal map update and its stale-entry sweep per product.)
   */
  private static final ThreadLocal<Panels> KEPT = ThreadLocal.withInitial(Panels::new);

  /** The pack buffers of one call: an A block, a B block and a tile for ragged edges. */
  private static final class Panels {
    final float[] a = new float[MC * KC];
    final float[] b = new float[KC * NC];
    final float[] tile = new float[MR * NR];
    boolean out;

    static Panels take() {
      Panels p = KEPT.get();
      if (p.out) {
        return new Panels();
      }
      p.out = true;
      return p;
    }

    void give() {
      out = false;
    }
  }

  private PackedGemm() {}

  /**
   * C (+)= op(A)·op(B): element (i, p) of op(A) is {@code a[aOff + i*rsA + p*csA]}, element
   * (p, j) of op(B) is {@code b[bOff + p*rsB + j*csB]} and element (i, j) of C is
   * {@code c[cOff + i*ldc + j]}; m, k, n ≥ 1.
   */
  static void gemm(float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int rsB, int csB,
      float[] c, int cOff, int ldc, int m, int k, int n, boolean accumulate) {
    gemm(a, aOff, rsA, csA, null, b, bOff, rsB, csB, null, c, cOff, ldc, m, k, n, accumulate,
        null, 0, false);
  }

  /**
   * Floats of op(A)[m×k] packed whole by {@link #packAll}: every KC-deep block of its rows,
   * zero-padded to whole MR-row micro-panels.
   */
  static int packedSize(int m, int k) {
    return (m + MR - 1) / MR * MR * k;
  }

  /**
   * Packs all of op(A)[m×k] (element (i, p) at {@code a[aOff + i*rsA + p*csA]}) into {@code ap}
   * ({@link #packedSize} floats), in the order {@link #gemm} reads its blocks: callers that
   * multiply the same A by many B (a convolution's weights by each sample or block of samples)
   * pack it once instead of once per product.
   */
  static void packAll(float[] a, int aOff, int rsA, int csA, int m, int k, float[] ap) {
    int mp = (m + MR - 1) / MR * MR;
    int panels = mp / MR;
    // row panels in parallel: the callers pack before their parallel part, and a large A
    // (EfficientNet's 1152×192 weights) would leave the other threads waiting
    Par.forRange(panels, Par.worthIt(panels, (long) mp * k), (from, to) -> {
      int i0 = from * MR;
      int rows = Math.min(m, to * MR) - i0;
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        packA(a, aOff + i0 * rsA + pc * csA, rsA, csA, rows, kc, ap, pc * mp + i0 * kc);
      }
    });
  }

  /**
   * {@link #gemm(float[], int, int, int, float[], int, int, int, float[], int, int, int, int, int,
   * boolean)} with op(A) already packed by {@link #packAll} (rows [i0, i0 + m) of it, i0 a
   * multiple of MR, when the product covers only those).
   */
  static void gemmPacked(float[] ap, int mTotal, int i0, int k, float[] b, int bOff, int rsB,
      int csB, float[] c, int cOff, int ldc, int m, int n, boolean accumulate) {
    gemmPacked(ap, mTotal, i0, k, b, bOff, rsB, csB, c, cOff, ldc, m, n, accumulate, null, 0, false);
  }

  /**
   * {@link #gemmPacked(float[], int, int, int, float[], int, int, int, float[], int, int, int, int,
   * boolean)} with an epilogue applied as the tiles are stored: with {@code bias} non-null (and
   * {@code accumulate} false), row i of C is {@code bias[biasOff + i]} plus its sum, added as the
   * first KC block is stored; with {@code relu}, each element is max(·, 0) (NaN → 0, as
   * {@code Elementwise}' ReLU) as the last one is. The same bits as filling C with the bias,
   * accumulating, and running the ReLU over C after, without those two passes over C.
   */
  static void gemmPacked(float[] ap, int mTotal, int i0, int k, float[] b, int bOff, int rsB,
      int csB, float[] c, int cOff, int ldc, int m, int n, boolean accumulate, float[] bias,
      int biasOff, boolean relu) {
    if (bias != null && accumulate) {
      throw new IllegalArgumentException("a bias epilogue overwrites C");
    }
    gemm(ap, i0, mTotal, 0, ap, b, bOff, rsB, csB, null, c, cOff, ldc, m, k, n, accumulate, bias,
        biasOff, relu);
  }

  /**
   * Packs all of op(B)[k×n] (element (p, j) at {@code b[bOff + p*rsB + j*csB]}) into NR-column
   * panels, one after another, each k rows of NR floats (the last zero-padded): the operand of
   * {@link #gemmPackedB}, for a B that many products read (a convolution's transposed weights,
   * which {@link #gemm} would gather column by column on every call).
   */
  static float[] packColumns(float[] b, int bOff, int rsB, int csB, int k, int n) {
    float[] bp = new float[(n + NR - 1) / NR * NR * k];
    for (int jr = 0; jr < n; jr += NR) {
      int nr = Math.min(NR, n - jr);
      for (int j = 0; j < nr; j++) {
        for (int p = 0, src = bOff + (jr + j) * csB, q = jr * k + j; p < k; p++, src += rsB, q += NR) {
          bp[q] = b[src];
        }
      }
    }
    return bp;
  }

  /**
   * C (+)= op(A)·B with B packed whole by {@link #packColumns} (all its n columns); element (i, p)
   * of op(A) is {@code a[aOff + i*rsA + p*csA]}. The same sums, in the same order, as
   * {@link #gemm}.
   */
  static void gemmPackedB(float[] a, int aOff, int rsA, int csA, float[] bp, float[] c, int cOff,
      int ldc, int m, int k, int n, boolean accumulate) {
    gemmPackedB(a, aOff, rsA, csA, bp, 0, c, cOff, ldc, m, k, n, accumulate);
  }

  /**
   * {@link #gemmPackedB(float[], int, int, int, float[], float[], int, int, int, int, int, boolean)}
   * over the n columns of B from panel {@code bpOff / (NR·k)} on ({@code bpOff} a multiple of
   * NR·k): the product of a block of B's columns.
   */
  static void gemmPackedB(float[] a, int aOff, int rsA, int csA, float[] bp, int bpOff, float[] c,
      int cOff, int ldc, int m, int k, int n, boolean accumulate) {
    gemmPackedB(a, aOff, rsA, csA, bp, bpOff, c, cOff, ldc, m, k, n, accumulate, false);
  }

  /**
   * As above; with {@code relu}, each element of C is max(·, 0) (NaN → 0, as {@code
   * Elementwise}' ReLU) as its last KC block is stored: the same bits as a ReLU over C after.
   */
  static void gemmPackedB(float[] a, int aOff, int rsA, int csA, float[] bp, int bpOff, float[] c,
      int cOff, int ldc, int m, int k, int n, boolean accumulate, boolean relu) {
    gemm(a, aOff, rsA, csA, null, bp, bpOff, 0, 0, bp, c, cOff, ldc, m, k, n, accumulate, null, 0,
        relu);
  }

  /**
   * The product; with {@code packed} non-null, A is read from it (packed whole for mTotal rows,
   * passed as rsA, the product's rows starting at row aOff of it) instead of being packed here;
   * with {@code packedB} non-null, B is read from it ({@link #packColumns}' panels) instead;
   * {@code bias}, {@code biasOff} and {@code relu}: the epilogue of {@link #gemmPacked(float[],
   * int, int, int, float[], int, int, int, float[], int, int, int, int, boolean, float[], int,
   * boolean)}.
   */
  private static void gemm(float[] a, int aOff, int rsA, int csA, float[] packed, float[] b,
      int bOff, int rsB, int csB, float[] packedB, float[] c, int cOff, int ldc, int m, int k,
      int n, boolean accumulate, float[] bias, int biasOff, boolean relu) {
    Panels panels = Panels.take();
    boolean inPlaceB = packedB == null && csB == 1 && m <= UNPACKED_B_ROWS;
    try {
      for (int jc = 0; jc < n; jc += NC) {
        int nc = Math.min(NC, n - jc);
        for (int pc = 0; pc < k; pc += KC) {
          int kc = Math.min(KC, k - pc);
          int bBlock = bOff + pc * rsB + jc * csB;
          // in place, only a ragged last micro-panel is packed (zero-padded to NR columns)
          int fullCols = inPlaceB ? nc / NR * NR : 0;
          if (packedB == null) {
            packB(b, bBlock + fullCols * csB, rsB, csB, kc, nc - fullCols, panels.b);
          }
          boolean overwrite = !accumulate && pc == 0;
          float[] rowBias = pc == 0 ? bias : null;
          boolean last = relu && pc + kc >= k;
          for (int ic = 0; ic < m; ic += MC) {
            int mc = Math.min(MC, m - ic);
            float[] ap = panels.a;
            int apOff = 0;
            if (packed == null) {
              packA(a, aOff + ic * rsA + pc * csA, rsA, csA, mc, kc, ap, 0);
            } else {
              // block (pc, rows from aOff + ic) of the whole packed A, mTotal = rsA rows deep
              ap = packed;
              apOff = pc * ((rsA + MR - 1) / MR * MR) + (aOff + ic) * kc;
            }
            for (int jr = 0; jr < nc; jr += NR) {
              int nr = Math.min(NR, nc - jr);
              float[] bs = panels.b;
              int bIdx = (jr - fullCols) * kc;
              int ldb = NR;
              if (packedB != null) {
                bs = packedB;
                bIdx = bOff + (jc + jr) * k + pc * NR;
              } else if (jr < fullCols) {
                bs = b;
                bIdx = bBlock + jr;
                ldb = rsB;
              }
              for (int ir = 0; ir < mc; ir += MR) {
                int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                microKernel(ap, apOff + ir * kc, bs, bIdx, ldb, kc, c, cIdx, ldc,
                    Math.min(MR, mc - ir), nr, overwrite, panels.tile, rowBias,
                    biasOff + ic + ir, last);
              }
            }
          }
        }
      }
    } finally {
      panels.give();
    }
  }

  /**
   * Packs mc×kc of op(A) into MR-row micro-panels from ap[at] on: panel-major, then p, then row;
   * zero-padded.
   */
  private static void packA(float[] a, int off, int rsA, int csA, int mc, int kc, float[] ap,
      int at) {
    int idx = at;
    for (int ir = 0; ir < mc; ir += MR) {
      int mr = Math.min(MR, mc - ir);
      int r0 = off + ir * rsA;
      if (mr == MR && rsA == 1) {
        // the panel's rows are adjacent in a (an unfold read transposed): one short vector per p
        for (int p = 0, q = r0; p < kc; p++, q += csA, idx += MR) {
          FloatVector.fromArray(PANEL_ROWS, a, q).intoArray(ap, idx);
        }
      } else if (mr == MR) {
        for (int p = 0, q = r0; p < kc; p++, q += csA, idx += MR) {
          for (int r = 0, src = q; r < MR; r++, src += rsA) {
            ap[idx + r] = a[src];
          }
        }
      } else {
        for (int p = 0; p < kc; p++) {
          for (int r = 0; r < MR; r++) {
            ap[idx++] = r < mr ? a[r0 + r * rsA + p * csA] : 0f;
          }
        }
      }
    }
  }

  /** Packs kc×nc of op(B) into NR-column micro-panels: panel-major, then p, then column. */
  private static void packB(float[] b, int off, int rsB, int csB, int kc, int nc, float[] bp) {
    int idx = 0;
    for (int jr = 0; jr < nc; jr += NR) {
      int nr = Math.min(NR, nc - jr);
      int base = off + jr * csB;
      if (csB == 1) {
        for (int p = 0; p < kc; p++, idx += NR) {
          System.arraycopy(b, base + p * rsB, bp, idx, nr);
          if (nr < NR) {
            Arrays.fill(bp, idx + nr, idx + NR, 0f);
          }
        }
      } else {
        for (int j = 0; j < nr; j++) {
          int src = base + j * csB;
          for (int p = 0, q = idx + j; p < kc; p++, q += NR) {
            bp[q] = b[src + p * rsB];
          }
        }
        if (nr < NR) {
          for (int p = 0; p < kc; p++) {
            Arrays.fill(bp, idx + p * NR + nr, idx + (p + 1) * NR, 0f);
          }
        }
        idx += kc * NR;
      }
    }
  }

  /**
   * The MR×NR register tile: twenty-four vector accumulators, one fma per (row, vector) and step,
   * written to C, or for a ragged edge to {@code tile} and from there to C; a last panel of at
   * most {@link #HALF} rows takes {@link #halfTile}. Rows of B are {@code ldb} apart (NR when
   * packed, B's row stride in place).
   *
   * <p>Measured with 512-bit vectors, one thread: 4 rows × 3 vectors ran 14–33 % faster than
   * the former 4 × 2 (512³: 145 → 166 GFLOP/s; 96×16×2304: 109 → 145), and 8 × 3 5–20 % faster
   * than 4 × 3 (each B vector loaded serves eight rows; SqueezeNet's batch-50 forward 5–9 %
   * faster in interleaved runs). Six rows × 2 vectors ran at a third of the speed under C2
   * (59 GFLOP/s at 512³). The sums are the same whatever the tile: each element is one fma per
   * step over k in order.
   */
  private static void microKernel(float[] ap, int aIdx, float[] b, int bIdx, int ldb, int kc,
      float[] c, int cIdx, int ldc, int mr, int nr, boolean overwrite, float[] tile, float[] bias,
      int biasIdx, boolean relu) {
    if (nr <= L) {
      // a last panel of at most a vector of columns (SqueezeNet's 23×23 planes are 11 panels
      // and 1 column): only its first vector, each element summed as the full tile sums it
      narrowTile(ap, aIdx, b, bIdx, ldb, kc, tile);
    } else if (mr == MR && nr == NR && MR > HALF) {
      tile(ap, aIdx, b, bIdx, ldb, kc, c, cIdx, ldc, overwrite, overwrite ? bias : null, biasIdx,
          relu);
      return;
    } else if (mr == HALF && nr == NR) {
      halfTile(ap, aIdx, b, bIdx, ldb, kc, c, cIdx, ldc, overwrite, overwrite ? bias : null,
          biasIdx, relu);
      return;
    } else if (mr <= THIN) {
      // a last row or two (a 5×5 or 7×7 plane's pixels as the rows: 3 × 8 + 1, 6 × 8 + 1)
      thinTile(ap, aIdx, b, bIdx, ldb, kc, tile);
    } else if (mr <= HALF) {
      halfTile(ap, aIdx, b, bIdx, ldb, kc, tile, 0, NR, true, null, 0, false);
    } else if (nr <= 2 * L) {
      // a last panel of at most two vectors of columns (an 11×11 plane's 121 columns are two
      // panels and 25): two thirds of the whole tile's work
      pairTile(ap, aIdx, b, bIdx, ldb, kc, tile);
    } else {
      tile(ap, aIdx, b, bIdx, ldb, kc, tile, 0, NR, true, null, 0, false);
    }
    // a ragged tile: from the buffer into C a vector at a time (the last one under a mask), with
    // the epilogue the whole tile applies in registers
    FloatVector zero = FloatVector.zero(SPECIES);
    for (int r = 0; r < mr; r++) {
      int row = cIdx + r * ldc;
      int t = r * NR;
      // (a vector that may be null is an object: the bias stays a float until it is added)
      float base = overwrite && bias != null ? bias[biasIdx + r] : 0f;
      if (row + NR > c.length) {
        // a masked load or store reaching past the array goes lane by lane, outside the
        // intrinsic: C's last rows take the scalar loop
        for (int j = 0; j < nr; j++) {
          float v = overwrite ? (bias != null ? base + tile[t + j] : tile[t + j]) : c[row + j] + tile[t + j];
          c[row + j] = relu && !(v > 0f) ? 0f : v;
        }
        continue;
      }
      for (int j = 0; j < nr; j += L) {
        VectorMask<Float> lanes = PhasePlanes.lanes(Math.min(L, nr - j));
        FloatVector v = FloatVector.fromArray(SPECIES, tile, t + j);
        if (!overwrite) {
          v = FloatVector.fromArray(SPECIES, c, row + j, lanes).add(v);
        } else if (bias != null) {
          v = FloatVector.broadcast(SPECIES, base).add(v);
        }
        if (relu) {
          v = zero.blend(v, v.compare(VectorOperators.GT, zero));
        }
        v.intoArray(c, row + j, lanes);
      }
    }
  }

  /**
   * The first vector of each of the tile's MR rows into {@code tile} (rows NR apart): the same
   * fma per element and step as {@link #tile}, so the same bits, at a third of the work.
   */
  private static void narrowTile(float[] ap, int aIdx, float[] b, int bIdx, int ldb, int kc,
      float[] tile) {
    FloatVector c0 = FloatVector.zero(SPECIES);
    FloatVector c1 = c0;
    FloatVector c2 = c0;
    FloatVector c3 = c0;
    FloatVector c4 = c0;
    FloatVector c5 = c0;
    FloatVector c6 = c0;
    FloatVector c7 = c0;
    for (int p = 0; p < kc; p++, aIdx += MR, bIdx += ldb) {
      FloatVector b0 = FloatVector.fromArray(SPECIES, b, bIdx);
      c0 = b0.fma(FloatVector.broadcast(SPECIES, ap[aIdx]), c0);
      c1 = b0.fma(FloatVector.broadcast(SPECIES, ap[aIdx + 1]), c1);
      c2 = b0.fma(FloatVector.broadcast(SPECIES, ap[aIdx + 2]), c2);
      c3 = b0.fma(FloatVector.broadcast(SPECIES, ap[aIdx + 3]), c3);
      if (MR > HALF) {
        c4 = b0.fma(FloatVector.broadcast(SPECIES, ap[aIdx + 4]), c4);
        c5 = b0.fma(FloatVector.broadcast(SPECIES, ap[aIdx + 5]), c5);
        c6 = b0.fma(FloatVector.broadcast(SPECIES, ap[aIdx + 6]), c6);
        c7 = b0.fma(FloatVector.broadcast(SPECIES, ap[aIdx + 7]), c7);
      }
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, NR);
    c2.intoArray(tile, 2 * NR);
    c3.intoArray(tile, 3 * NR);
    if (MR > HALF) {
      c4.intoArray(tile, 4 * NR);
      c5.intoArray(tile, 5 * NR);
      c6.intoArray(tile, 6 * NR);
      c7.intoArray(tile, 7 * NR);
    }
  }

  /**
   * The first two vectors of columns of the tile into {@code tile} (rows NR apart): the same fma
   * per element and step as {@link #tile}, so the same bits, for a ragged last panel of at most
   * 2·L columns.
   */
  private static void pairTile(float[] ap, int aIdx, float[] b, int bIdx, int ldb, int kc,
      float[] tile) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    FloatVector c60 = c00;
    FloatVector c61 = c00;
    FloatVector c70 = c00;
    FloatVector c71 = c00;
    for (int p = 0; p < kc; p++, aIdx += MR, bIdx += ldb) {
      FloatVector b0 = FloatVector.fromArray(SPECIES, b, bIdx);
      FloatVector b1 = FloatVector.fromArray(SPECIES, b, bIdx + L);
      FloatVector a0 = FloatVector.broadcast(SPECIES, ap[aIdx]);
      c00 = b0.fma(a0, c00);
      c01 = b1.fma(a0, c01);
      FloatVector a1 = FloatVector.broadcast(SPECIES, ap[aIdx + 1]);
      c10 = b0.fma(a1, c10);
      c11 = b1.fma(a1, c11);
      FloatVector a2 = FloatVector.broadcast(SPECIES, ap[aIdx + 2]);
      c20 = b0.fma(a2, c20);
      c21 = b1.fma(a2, c21);
      FloatVector a3 = FloatVector.broadcast(SPECIES, ap[aIdx + 3]);
      c30 = b0.fma(a3, c30);
      c31 = b1.fma(a3, c31);
      if (MR > HALF) {
        FloatVector a4 = FloatVector.broadcast(SPECIES, ap[aIdx + 4]);
        c40 = b0.fma(a4, c40);
        c41 = b1.fma(a4, c41);
        FloatVector a5 = FloatVector.broadcast(SPECIES, ap[aIdx + 5]);
        c50 = b0.fma(a5, c50);
        c51 = b1.fma(a5, c51);
        FloatVector a6 = FloatVector.broadcast(SPECIES, ap[aIdx + 6]);
        c60 = b0.fma(a6, c60);
        c61 = b1.fma(a6, c61);
        FloatVector a7 = FloatVector.broadcast(SPECIES, ap[aIdx + 7]);
        c70 = b0.fma(a7, c70);
        c71 = b1.fma(a7, c71);
      }
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, L);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + L);
    c20.intoArray(tile, 2 * NR);
    c21.intoArray(tile, 2 * NR + L);
    c30.intoArray(tile, 3 * NR);
    c31.intoArray(tile, 3 * NR + L);
    if (MR > HALF) {
      c40.intoArray(tile, 4 * NR);
      c41.intoArray(tile, 4 * NR + L);
      c50.intoArray(tile, 5 * NR);
      c51.intoArray(tile, 5 * NR + L);
      c60.intoArray(tile, 6 * NR);
      c61.intoArray(tile, 6 * NR + L);
      c70.intoArray(tile, 7 * NR);
      c71.intoArray(tile, 7 * NR + L);
    }
  }

  /**
   * The first {@value #THIN} rows of the tile into {@code tile} (rows NR apart): the same fma
   * per element and step as {@link #tile}, so the same bits. A last panel of one or two rows
   * took the four-row tile, four broadcasts and twelve fmas per step for three or six useful.
   */
  private static void thinTile(float[] ap, int aIdx, float[] b, int bIdx, int ldb, int kc,
      float[] tile) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00;
    FloatVector c02 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c12 = c00;
    for (int p = 0; p < kc; p++, aIdx += MR, bIdx += ldb) {
      FloatVector b0 = FloatVector.fromArray(SPECIES, b, bIdx);
      FloatVector b1 = FloatVector.fromArray(SPECIES, b, bIdx + L);
      FloatVector b2 = FloatVector.fromArray(SPECIES, b, bIdx + 2 * L);
      FloatVector av = FloatVector.broadcast(SPECIES, ap[aIdx]);
      c00 = b0.fma(av, c00);
      c01 = b1.fma(av, c01);
      c02 = b2.fma(av, c02);
      av = FloatVector.broadcast(SPECIES, ap[aIdx + 1]);
      c10 = b0.fma(av, c10);
      c11 = b1.fma(av, c11);
      c12 = b2.fma(av, c12);
    }
    c00.intoArray(tile, 0);
    c01.intoArray(tile, L);
    c02.intoArray(tile, 2 * L);
    c10.intoArray(tile, NR);
    c11.intoArray(tile, NR + L);
    c12.intoArray(tile, NR + 2 * L);
  }

  /**
   * One full tile into c at cIdx (rows ldc apart): overwritten (plus {@code bias[biasIdx + r]}
   * on row r where bias is non-null), or added to; then max(·, 0) where {@code relu}.
   */
  private static void tile(float[] ap, int aIdx, float[] b, int bIdx, int ldb, int kc, float[] c,
      int cIdx, int ldc, boolean overwrite, float[] bias, int biasIdx, boolean relu) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00;
    FloatVector c02 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c12 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c22 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c32 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c42 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    FloatVector c52 = c00;
    FloatVector c60 = c00;
    FloatVector c61 = c00;
    FloatVector c62 = c00;
    FloatVector c70 = c00;
    FloatVector c71 = c00;
    FloatVector c72 = c00;
    for (int p = 0; p < kc; p++, aIdx += MR, bIdx += ldb) {
      FloatVector b0 = FloatVector.fromArray(SPECIES, b, bIdx);
      FloatVector b1 = FloatVector.fromArray(SPECIES, b, bIdx + L);
      FloatVector b2 = FloatVector.fromArray(SPECIES, b, bIdx + 2 * L);
      FloatVector av = FloatVector.broadcast(SPECIES, ap[aIdx]);
      c00 = b0.fma(av, c00);
      c01 = b1.fma(av, c01);
      c02 = b2.fma(av, c02);
      av = FloatVector.broadcast(SPECIES, ap[aIdx + 1]);
      c10 = b0.fma(av, c10);
      c11 = b1.fma(av, c11);
      c12 = b2.fma(av, c12);
      av = FloatVector.broadcast(SPECIES, ap[aIdx + 2]);
      c20 = b0.fma(av, c20);
      c21 = b1.fma(av, c21);
      c22 = b2.fma(av, c22);
      av = FloatVector.broadcast(SPECIES, ap[aIdx + 3]);
      c30 = b0.fma(av, c30);
      c31 = b1.fma(av, c31);
      c32 = b2.fma(av, c32);
      av = FloatVector.broadcast(SPECIES, ap[aIdx + 4]);
      c40 = b0.fma(av, c40);
      c41 = b1.fma(av, c41);
      c42 = b2.fma(av, c42);
      av = FloatVector.broadcast(SPECIES, ap[aIdx + 5]);
      c50 = b0.fma(av, c50);
      c51 = b1.fma(av, c51);
      c52 = b2.fma(av, c52);
      av = FloatVector.broadcast(SPECIES, ap[aIdx + 6]);
      c60 = b0.fma(av, c60);
      c61 = b1.fma(av, c61);
      c62 = b2.fma(av, c62);
      av = FloatVector.broadcast(SPECIES, ap[aIdx + 7]);
      c70 = b0.fma(av, c70);
      c71 = b1.fma(av, c71);
      c72 = b2.fma(av, c72);
    }
    // the stores are written out here, not in a helper taking the accumulators: where the JIT
    // declined to inline such a helper at one call site (it depends on what was compiled
    // first), it boxed the accumulators inside the loop, allocating on every fma (a tenth of
    // the speed, seen in about half of the bench runs)
    int r0 = cIdx;
    int r1 = r0 + ldc;
    int r2 = r1 + ldc;
    int r3 = r2 + ldc;
    int r4 = r3 + ldc;
    int r5 = r4 + ldc;
    int r6 = r5 + ldc;
    int r7 = r6 + ldc;
    if (!overwrite) {
      c00 = FloatVector.fromArray(SPECIES, c, r0).add(c00);
      c01 = FloatVector.fromArray(SPECIES, c, r0 + L).add(c01);
      c02 = FloatVector.fromArray(SPECIES, c, r0 + 2 * L).add(c02);
      c10 = FloatVector.fromArray(SPECIES, c, r1).add(c10);
      c11 = FloatVector.fromArray(SPECIES, c, r1 + L).add(c11);
      c12 = FloatVector.fromArray(SPECIES, c, r1 + 2 * L).add(c12);
      c20 = FloatVector.fromArray(SPECIES, c, r2).add(c20);
      c21 = FloatVector.fromArray(SPECIES, c, r2 + L).add(c21);
      c22 = FloatVector.fromArray(SPECIES, c, r2 + 2 * L).add(c22);
      c30 = FloatVector.fromArray(SPECIES, c, r3).add(c30);
      c31 = FloatVector.fromArray(SPECIES, c, r3 + L).add(c31);
      c32 = FloatVector.fromArray(SPECIES, c, r3 + 2 * L).add(c32);
      c40 = FloatVector.fromArray(SPECIES, c, r4).add(c40);
      c41 = FloatVector.fromArray(SPECIES, c, r4 + L).add(c41);
      c42 = FloatVector.fromArray(SPECIES, c, r4 + 2 * L).add(c42);
      c50 = FloatVector.fromArray(SPECIES, c, r5).add(c50);
      c51 = FloatVector.fromArray(SPECIES, c, r5 + L).add(c51);
      c52 = FloatVector.fromArray(SPECIES, c, r5 + 2 * L).add(c52);
      c60 = FloatVector.fromArray(SPECIES, c, r6).add(c60);
      c61 = FloatVector.fromArray(SPECIES, c, r6 + L).add(c61);
      c62 = FloatVector.fromArray(SPECIES, c, r6 + 2 * L).add(c62);
      c70 = FloatVector.fromArray(SPECIES, c, r7).add(c70);
      c71 = FloatVector.fromArray(SPECIES, c, r7 + L).add(c71);
      c72 = FloatVector.fromArray(SPECIES, c, r7 + 2 * L).add(c72);
    } else if (bias != null) {
      // the value C held when it was filled with the bias first, then added to: bias + sum
      FloatVector bv = FloatVector.broadcast(SPECIES, bias[biasIdx]);
      c00 = bv.add(c00);
      c01 = bv.add(c01);
      c02 = bv.add(c02);
      bv = FloatVector.broadcast(SPECIES, bias[biasIdx + 1]);
      c10 = bv.add(c10);
      c11 = bv.add(c11);
      c12 = bv.add(c12);
      bv = FloatVector.broadcast(SPECIES, bias[biasIdx + 2]);
      c20 = bv.add(c20);
      c21 = bv.add(c21);
      c22 = bv.add(c22);
      bv = FloatVector.broadcast(SPECIES, bias[biasIdx + 3]);
      c30 = bv.add(c30);
      c31 = bv.add(c31);
      c32 = bv.add(c32);
      bv = FloatVector.broadcast(SPECIES, bias[biasIdx + 4]);
      c40 = bv.add(c40);
      c41 = bv.add(c41);
      c42 = bv.add(c42);
      bv = FloatVector.broadcast(SPECIES, bias[biasIdx + 5]);
      c50 = bv.add(c50);
      c51 = bv.add(c51);
      c52 = bv.add(c52);
      bv = FloatVector.broadcast(SPECIES, bias[biasIdx + 6]);
      c60 = bv.add(c60);
      c61 = bv.add(c61);
      c62 = bv.add(c62);
      bv = FloatVector.broadcast(SPECIES, bias[biasIdx + 7]);
      c70 = bv.add(c70);
      c71 = bv.add(c71);
      c72 = bv.add(c72);
    }
    if (relu) {
      // Elementwise' ReLU: the element where it is > 0, else +0 (NaN too)
      FloatVector z = FloatVector.zero(SPECIES);
      c00 = z.blend(c00, c00.compare(VectorOperators.GT, z));
      c01 = z.blend(c01, c01.compare(VectorOperators.GT, z));
      c02 = z.blend(c02, c02.compare(VectorOperators.GT, z));
      c10 = z.blend(c10, c10.compare(VectorOperators.GT, z));
      c11 = z.blend(c11, c11.compare(VectorOperators.GT, z));
      c12 = z.blend(c12, c12.compare(VectorOperators.GT, z));
      c20 = z.blend(c20, c20.compare(VectorOperators.GT, z));
      c21 = z.blend(c21, c21.compare(VectorOperators.GT, z));
      c22 = z.blend(c22, c22.compare(VectorOperators.GT, z));
      c30 = z.blend(c30, c30.compare(VectorOperators.GT, z));
      c31 = z.blend(c31, c31.compare(VectorOperators.GT, z));
      c32 = z.blend(c32, c32.compare(VectorOperators.GT, z));
      c40 = z.blend(c40, c40.compare(VectorOperators.GT, z));
      c41 = z.blend(c41, c41.compare(VectorOperators.GT, z));
      c42 = z.blend(c42, c42.compare(VectorOperators.GT, z));
      c50 = z.blend(c50, c50.compare(VectorOperators.GT, z));
      c51 = z.blend(c51, c51.compare(VectorOperators.GT, z));
      c52 = z.blend(c52, c52.compare(VectorOperators.GT, z));
      c60 = z.blend(c60, c60.compare(VectorOperators.GT, z));
      c61 = z.blend(c61, c61.compare(VectorOperators.GT, z));
      c62 = z.blend(c62, c62.compare(VectorOperators.GT, z));
      c70 = z.blend(c70, c70.compare(VectorOperators.GT, z));
      c71 = z.blend(c71, c71.compare(VectorOperators.GT, z));
      c72 = z.blend(c72, c72.compare(VectorOperators.GT, z));
    }
    c00.intoArray(c, r0);
    c01.intoArray(c, r0 + L);
    c02.intoArray(c, r0 + 2 * L);
    c10.intoArray(c, r1);
    c11.intoArray(c, r1 + L);
    c12.intoArray(c, r1 + 2 * L);
    c20.intoArray(c, r2);
    c21.intoArray(c, r2 + L);
    c22.intoArray(c, r2 + 2 * L);
    c30.intoArray(c, r3);
    c31.intoArray(c, r3 + L);
    c32.intoArray(c, r3 + 2 * L);
    c40.intoArray(c, r4);
    c41.intoArray(c, r4 + L);
    c42.intoArray(c, r4 + 2 * L);
    c50.intoArray(c, r5);
    c51.intoArray(c, r5 + L);
    c52.intoArray(c, r5 + 2 * L);
    c60.intoArray(c, r6);
    c61.intoArray(c, r6 + L);
    c62.intoArray(c, r6 + 2 * L);
    c70.intoArray(c, r7);
    c71.intoArray(c, r7 + L);
    c72.intoArray(c, r7 + 2 * L);
  }
  /**
   * The first {@value #HALF} rows of an MR-row panel's tile, as {@link #tile} computes them (the
   * same fma per element and step, so the same bits): the whole tile where MR is four; where it
   * is eight, a last panel of at most HALF rows, at half the work of the whole tile.
   */
  private static void halfTile(float[] ap, int aIdx, float[] b, int bIdx, int ldb, int kc, float[] c,
      int cIdx, int ldc, boolean overwrite, float[] bias, int biasIdx, boolean relu) {
    FloatVector c00 = FloatVector.zero(SPECIES);
    FloatVector c01 = c00;
    FloatVector c02 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c12 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c22 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c32 = c00;
    for (int p = 0; p < kc; p++, aIdx += MR, bIdx += ldb) {
      FloatVector b0 = FloatVector.fromArray(SPECIES, b, bIdx);
      FloatVector b1 = FloatVector.fromArray(SPECIES, b, bIdx + L);
      FloatVector b2 = FloatVector.fromArray(SPECIES, b, bIdx + 2 * L);
      FloatVector av = FloatVector.broadcast(SPECIES, ap[aIdx]);
      c00 = b0.fma(av, c00);
      c01 = b1.fma(av, c01);
      c02 = b2.fma(av, c02);
      av = FloatVector.broadcast(SPECIES, ap[aIdx + 1]);
      c10 = b0.fma(av, c10);
      c11 = b1.fma(av, c11);
      c12 = b2.fma(av, c12);
      av = FloatVector.broadcast(SPECIES, ap[aIdx + 2]);
      c20 = b0.fma(av, c20);
      c21 = b1.fma(av, c21);
      c22 = b2.fma(av, c22);
      av = FloatVector.broadcast(SPECIES, ap[aIdx + 3]);
      c30 = b0.fma(av, c30);
      c31 = b1.fma(av, c31);
      c32 = b2.fma(av, c32);
    }
    // the stores are written out here, not in a helper taking the accumulators: where the JIT
    // declined to inline such a helper at one call site (it depends on what was compiled
    // first), it boxed the accumulators inside the loop, allocating on every fma (a tenth of
    // the speed, seen in about half of the bench runs)
    int r0 = cIdx;
    int r1 = r0 + ldc;
    int r2 = r1 + ldc;
    int r3 = r2 + ldc;
    if (!overwrite) {
      c00 = FloatVector.fromArray(SPECIES, c, r0).add(c00);
      c01 = FloatVector.fromArray(SPECIES, c, r0 + L).add(c01);
      c02 = FloatVector.fromArray(SPECIES, c, r0 + 2 * L).add(c02);
      c10 = FloatVector.fromArray(SPECIES, c, r1).add(c10);
      c11 = FloatVector.fromArray(SPECIES, c, r1 + L).add(c11);
      c12 = FloatVector.fromArray(SPECIES, c, r1 + 2 * L).add(c12);
      c20 = FloatVector.fromArray(SPECIES, c, r2).add(c20);
      c21 = FloatVector.fromArray(SPECIES, c, r2 + L).add(c21);
      c22 = FloatVector.fromArray(SPECIES, c, r2 + 2 * L).add(c22);
      c30 = FloatVector.fromArray(SPECIES, c, r3).add(c30);
      c31 = FloatVector.fromArray(SPECIES, c, r3 + L).add(c31);
      c32 = FloatVector.fromArray(SPECIES, c, r3 + 2 * L).add(c32);
    } else if (bias != null) {
      // the value C held when it was filled with the bias first, then added to: bias + sum
      FloatVector bv = FloatVector.broadcast(SPECIES, bias[biasIdx]);
      c00 = bv.add(c00);
      c01 = bv.add(c01);
      c02 = bv.add(c02);
      bv = FloatVector.broadcast(SPECIES, bias[biasIdx + 1]);
      c10 = bv.add(c10);
      c11 = bv.add(c11);
      c12 = bv.add(c12);
      bv = FloatVector.broadcast(SPECIES, bias[biasIdx + 2]);
      c20 = bv.add(c20);
      c21 = bv.add(c21);
      c22 = bv.add(c22);
      bv = FloatVector.broadcast(SPECIES, bias[biasIdx + 3]);
      c30 = bv.add(c30);
      c31 = bv.add(c31);
      c32 = bv.add(c32);
    }
    if (relu) {
      // Elementwise' ReLU: the element where it is > 0, else +0 (NaN too)
      FloatVector z = FloatVector.zero(SPECIES);
      c00 = z.blend(c00, c00.compare(VectorOperators.GT, z));
      c01 = z.blend(c01, c01.compare(VectorOperators.GT, z));
      c02 = z.blend(c02, c02.compare(VectorOperators.GT, z));
      c10 = z.blend(c10, c10.compare(VectorOperators.GT, z));
      c11 = z.blend(c11, c11.compare(VectorOperators.GT, z));
      c12 = z.blend(c12, c12.compare(VectorOperators.GT, z));
      c20 = z.blend(c20, c20.compare(VectorOperators.GT, z));
      c21 = z.blend(c21, c21.compare(VectorOperators.GT, z));
      c22 = z.blend(c22, c22.compare(VectorOperators.GT, z));
      c30 = z.blend(c30, c30.compare(VectorOperators.GT, z));
      c31 = z.blend(c31, c31.compare(VectorOperators.GT, z));
      c32 = z.blend(c32, c32.compare(VectorOperators.GT, z));
    }
    c00.intoArray(c, r0);
    c01.intoArray(c, r0 + L);
    c02.intoArray(c, r0 + 2 * L);
    c10.intoArray(c, r1);
    c11.intoArray(c, r1 + L);
    c12.intoArray(c, r1 + 2 * L);
    c20.intoArray(c, r2);
    c21.intoArray(c, r2 + L);
    c22.intoArray(c, r2 + 2 * L);
    c30.intoArray(c, r3);
    c31.intoArray(c, r3 + L);
    c32.intoArray(c, r3 + 2 * L);
  }
}
