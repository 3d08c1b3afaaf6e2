package dev.jattr.kernels.cpu;

import dev.jattr.kernels.WindowGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max and average pooling (ONNX {@code MaxPool} / {@code AveragePool}) with spatial rank 1, 2 or
 * 3, strides, asymmetric pads and dilations.
 *
 * <p>Layouts: {@code x[N, C, in...]}, {@code y[N, C, out...]}, row-major; output extents are
 * taken from {@code yShape} as given (so ceil mode is expressed by the caller's larger output
 * shape). Window taps outside {@code [0, in)} are padding. Planes (sample, channel) run in
 * parallel on the common pool when the work is large. The float and double versions share the
 * same semantics; the double versions are the scalar references. All methods are stateless and
 * thread-safe for distinct output arrays.
 */
public final class Pool {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private Pool() {}

  /** Per-plane kernel body. */
  @FunctionalInterface
  private interface PlaneBody {
    void run(int plane);
  }

  private static void forPlanes(PoolDims d, PlaneBody body) {
    Par.forRange(d.planes, Par.worthIt(d.planes, d.work()), (from, to) -> {
      for (int p = from; p < to; p++) {
        body.run(p);
      }
    });
  }

  /**
   * Taps from which {@link MaxPlanes} split their planes over the threads: a tap costs these
   * kernels some twenty times a multiply-add of the products {@link Par#MIN_WORK} was measured
   * on. At batch 1 SqueezeNet's poolings of 128 planes of 23×23 and 256 of 11×11 (139 and 58
   * thousand taps) had run on one thread, in 43 and 27 µs.
   */
  static final long PLANES_SPLIT_WORK = Par.MIN_WORK / 32;

  /** Outputs per plane from which {@link Stride2} pools rather than {@link PoolChannels}. */
  private static final int STRIDE2_LEAST = 16;

  private static void checkLengths(int xLen, int[] xShape, int yLen, int[] yShape) {
    Window3.checkLength(xLen, xShape, "x");
    Window3.checkLength(yLen, yShape, "y");
  }

  // ---------------------------------------------------------------- float

  /**
   * Max pooling; argmax[i] receives the flat index into x (over the whole tensor) of the max of
   * y[i], or -1 if the window holds only padding. Padding never wins (treated as -inf). Ties:
   * first index in window scan order. A NaN in the window wins (the first NaN). A window with
   * only padding yields {@code -Infinity}.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param y output, overwritten
   * @param yShape output shape [N, C, out...]
   * @param argmax flat input index per output element, overwritten; may be null
   */
  public static void maxForward(float[] x, int[] xShape, WindowGeometry g, float[] y,
      int[] yShape, int[] argmax) {
    PoolDims d = new PoolDims(xShape, yShape, g);
    checkLengths(x.length, xShape, y.length, yShape);
    if (argmax != null) {
      Window3.checkLength(argmax.length, yShape, "argmax");
    }
    Window3 v = d.win;
    if (MaxPlanes.applies(v)) {
      int[] rows = tapRanges(v.outH, v.sH, v.pH, v.dH, v.inH, v.kH);
      int[] cols = tapRanges(v.outW, v.sW, v.pW, v.dW, v.inW, v.kW);
      int[] gather = new int[L];
      for (int i = 0; i < L; i++) {
        gather[i] = i * v.sW;
      }
      // Stride2 pools SqueezeNet's 11×11 planes to 5×5 faster than the channels' transposes (at
      // batch 1 in half the time, 14 against 28 µs for 256 channels; at batch 50 0.39 against
      // 0.45 ms); on 5×5 planes pooled to 2×2 the transposes are faster (0.42 against 0.61 ms)
      boolean byRows = Stride2.applies(v) && d.outS >= STRIDE2_LEAST;
      if (argmax == null && !byRows && PoolChannels.applies(d, xShape[1])) {
        PoolChannels.forward(x, d, xShape[1], y,
            p -> maxPlane2d(x, p * d.inS, v, rows, cols, gather, y, p * d.outS, null));
        return;
      }
      // (every window Stride2 pools, Separable pools too, so it needs no test of its own here)
      if (argmax == null && (Separable.applies(v) || PhasePlanes.applies(v))) {
        MaxPlanes planes = new MaxPlanes(d);
        Par.forRange(d.planes, Par.worthIt(d.planes, d.work(), PLANES_SPLIT_WORK), (from, to) ->
            planes.pool(x, 0, from, to, y, 0));
        return;
      }
      forPlanes(d, plane -> maxPlane2d(x, plane * d.inS, v, rows, cols, gather, y, plane * d.outS,
          argmax));
      return;
    }
    forPlanes(d, plane -> {
      int xBase = plane * d.inS;
      int yi = plane * d.outS;
      for (int od = 0; od < v.outD; od++) {
        for (int oh = 0; oh < v.outH; oh++) {
          for (int ow = 0; ow < v.outW; ow++, yi++) {
            float best = Float.NEGATIVE_INFINITY;
            int bi = -1;
            for (int kd = 0; kd < v.kD; kd++) {
              int id = od * v.sD - v.pD + kd * v.dD;
              if (id < 0 || id >= v.inD) {
                continue;
              }
              for (int kh = 0; kh < v.kH; kh++) {
                int ih = oh * v.sH - v.pH + kh * v.dH;
                if (ih < 0 || ih >= v.inH) {
                  continue;
                }
                int rowBase = xBase + (id * v.inH + ih) * v.inW;
                for (int kw = 0; kw < v.kW; kw++) {
                  int iw = ow * v.sW - v.pW + kw * v.dW;
                  if (iw < 0 || iw >= v.inW) {
                    continue;
                  }
                  float val = x[rowBase + iw];
                  if (bi < 0 || val > best || (val != val && best == best)) {
                    best = val;
                    bi = rowBase + iw;
                  }
                }
              }
            }
            y[yi] = best;
            if (argmax != null) {
              argmax[yi] = bi;
            }
          }
        }
      }
    });
  }

  /**
   * {@link #maxForward} over one plane of a 1-d or 2-d pooling. The in-bounds taps of each output
   * come from precomputed ranges, so the scan has no per-tap bounds test; taps are visited in the
   * general loop's order with its comparisons, so results and argmax are the same. Without
   * argmax, the outputs whose windows lie inside the row run {@link #S}.length() at a time on
   * the Vector API (a strided gather when the stride is not 1), with the same strict comparison;
   * a block that meets a NaN is redone by the scalar scan.
   */
  /**
   * Max pooling of 2-d planes without indices on the calling thread, by {@link #maxForward}'s
   * paths: separable rows, phase planes, or the scan (for the planes the others leave to it).
   * Set up once per geometry; a fused kernel pools the planes it has just computed with it
   * ({@link StemConv#forwardMaxPooled}).
   */
  static final class MaxPlanes {
    /** Floats of adjacent planes {@link Stride2} tests for NaN, −0.0 and infinities in one pass. */
    private static final int TESTED_FLOATS = 4096;
    private final PoolDims d;
    private final int[] rows;
    private final int[] cols;
    private final int[] gather = new int[L];
    private final Stride2 stride2;
    private final Separable separable;
    private final PhasePlanes phases;

    /** Whether the window is one this pools: 2-d, without depth padding. */
    static boolean applies(Window3 v) {
      return v.inD == 1 && v.outD == 1 && v.kD == 1 && v.pD == 0;
    }

    MaxPlanes(PoolDims d) {
      Window3 v = d.win;
      if (!applies(v)) {
        throw new IllegalArgumentException("not a 2-d window");
      }
      this.d = d;
      rows = tapRanges(v.outH, v.sH, v.pH, v.dH, v.inH, v.kH);
      cols = tapRanges(v.outW, v.sW, v.pW, v.dW, v.inW, v.kW);
      for (int i = 0; i < L; i++) {
        gather[i] = i * v.sW;
      }
      stride2 = Stride2.applies(v) ? new Stride2(v) : null;
      separable = Separable.applies(v) ? new Separable(v, rows) : null;
      phases = separable == null && PhasePlanes.applies(v) ? new PhasePlanes(v) : null;
    }

    /** Planes [from, to) of x (plane p at {@code xOff + p·inS}) into y (plane p at {@code yOff + p·outS}). */
    void pool(float[] x, int xOff, int from, int to, float[] y, int yOff) {
      pool(x, xOff, from, to, y, yOff, false);
    }

    /**
     * As above; {@code afterRelu}: the planes are a ReLU's output as jattr's kernels make it (+0.0
     * wherever the value is not greater than zero, NaN included), so they hold no NaN or −0.0
     * and {@link Stride2} need not test them.
     */
    void pool(float[] x, int xOff, int from, int to, float[] y, int yOff, boolean afterRelu) {
      Window3 v = d.win;
      if (stride2 != null) {
        // adjacent planes are tested together, about 16 KiB at a time so that they are pooled
        // from L1 after (a plane of 11×11 had a third of its time in the scalar end of a test of
        // its own); where a group's test fails, each of its planes tests itself
        int group = Math.max(1, TESTED_FLOATS / d.inS);
        for (int g0 = from; g0 < to; g0 += group) {
          int g1 = Math.min(to, g0 + group);
          boolean clean = afterRelu || Stride2.ordinary(x, xOff + g0 * d.inS, (g1 - g0) * d.inS);
          for (int p = g0; p < g1; p++) {
            if (!stride2.max(x, xOff + p * d.inS, y, yOff + p * d.outS, clean)) {
              pool2d(x, xOff, p, y, yOff);
            }
          }
        }
        return;
      }
      if (separable != null) {
        float[] rp = separable.newRow();
        for (int p = from; p < to; p++) {
          if (!separable.max(x, xOff + p * d.inS, rp, y, yOff + p * d.outS)) {
            maxPlane2d(x, xOff + p * d.inS, v, rows, cols, gather, y, yOff + p * d.outS, null);
          }
        }
        Scratch.give(rp);
      } else if (phases != null) {
        float[] ph = phases.newBuffer(Float.NEGATIVE_INFINITY);
        float[] best = phases.newOutput();
        for (int p = from; p < to; p++) {
          phases.fill(x, xOff + p * d.inS, ph);
          if (maxPhases(ph, phases, best)) {
            phases.extract(best, y, yOff + p * d.outS);
          } else {
            maxPlane2d(x, xOff + p * d.inS, v, rows, cols, gather, y, yOff + p * d.outS, null);
          }
        }
        Scratch.give(best);
        Scratch.give(ph);
      } else {
        for (int p = from; p < to; p++) {
          maxPlane2d(x, xOff + p * d.inS, v, rows, cols, gather, y, yOff + p * d.outS, null);
        }
      }
    }

    /** Plane p by the separable passes, or the scan where they decline it. */
    private void pool2d(float[] x, int xOff, int p, float[] y, int yOff) {
      if (separable != null) {
        float[] rp = separable.newRow();
        boolean done = separable.max(x, xOff + p * d.inS, rp, y, yOff + p * d.outS);
        Scratch.give(rp);
        if (done) {
          return;
        }
      }
      maxPlane2d(x, xOff + p * d.inS, d.win, rows, cols, gather, y, yOff + p * d.outS, null);
    }
  }

  private static void maxPlane2d(float[] x, int xBase, Window3 v, int[] rows, int[] cols,
      int[] gather, float[] y, int yBase, int[] argmax) {
    int inW = v.inW;
    int outW = v.outW;
    // the outputs whose whole window row is in bounds form one run [owA, owB)
    int owA = 0;
    while (owA < outW && (cols[2 * owA] != 0 || cols[2 * owA + 1] != v.kW)) {
      owA++;
    }
    int owB = owA;
    while (owB < outW && cols[2 * owB] == 0 && cols[2 * owB + 1] == v.kW) {
      owB++;
    }
    // vector blocks of L outputs; the last one is moved back to end at owB (recomputing a few)
    int vectorEnd = argmax == null && owB - owA >= L ? owB : owA;
    int yi = yBase;
    for (int oh = 0; oh < v.outH; oh++, yi += outW) {
      int ih0 = oh * v.sH - v.pH;
      int khLo = rows[2 * oh];
      int khHi = rows[2 * oh + 1];
      int ow = 0;
      for (; ow < owA; ow++) {
        maxWindow(x, xBase, v, ih0, khLo, khHi, ow, cols, y, yi + ow, argmax);
      }
      for (; ow < vectorEnd; ow = nextBlock(ow, vectorEnd)) {
        FloatVector best = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        VectorMask<Float> nan = S.maskAll(false);
        for (int kh = khLo; kh < khHi; kh++) {
          int row = xBase + (ih0 + kh * v.dH) * inW + ow * v.sW - v.pW;
          for (int kw = 0; kw < v.kW; kw++) {
            int at = row + kw * v.dW;
            FloatVector val = v.sW == 1 ? FloatVector.fromArray(S, x, at)
                : FloatVector.fromArray(S, x, at, gather, 0);
            best = best.blend(val, val.compare(VectorOperators.GT, best));
            nan = nan.or(val.test(VectorOperators.IS_NAN));
          }
        }
        if (nan.anyTrue()) {
          for (int o = ow; o < ow + L; o++) {
            maxWindow(x, xBase, v, ih0, khLo, khHi, o, cols, y, yi + o, null);
          }
        } else {
          best.intoArray(y, yi + ow);
        }
      }
      for (; ow < outW; ow++) {
        maxWindow(x, xBase, v, ih0, khLo, khHi, ow, cols, y, yi + ow, argmax);
      }
    }
  }

  /**
   * Max pooling of 3×3 windows at stride 2 without padding or dilation (SqueezeNet's and many
   * stems' poolings), all in registers: for blocks of 15 outputs of an output row, the three
   * input rows' maxima over two vectors of columns, then the even, odd and next-even columns of
   * those picked out by two-vector permutes and their maximum stored. A plane is first tested in
   * one pass for NaN, −0.0 and infinities (val·0 summed is NaN for the first and last, the least
   * int bits are Integer.MIN_VALUE only for −0.0): without them every window's maximum is the
   * same bits in any order, so the result is the scan's; with them the plane goes back to the
   * caller. Per 23×23 plane about a fifth of the separable passes' instructions (no row buffers,
   * no per-row tests).
   */
  private static final class Stride2 {
    /** Outputs per block: 2L columns hold the taps of L − 1 stride-2 windows of width 3. */
    private static final int BLOCK = L - 1;
    /** Lane indices 2j + 2 (wrapped into the two vectors): the third tap of output j. */
    private static final IntVector NEXT_EVENS =
        IntVector.broadcast(IntVector.SPECIES_PREFERRED, 2).addIndex(2).and(2 * L - 1);

    private final Window3 v;

    Stride2(Window3 v) {
      this.v = v;
    }

    static boolean applies(Window3 v) {
      return MaxPlanes.applies(v) && v.kH == 3 && v.kW == 3 && v.sH == 2 && v.sW == 2 && v.pH == 0
          && v.pW == 0 && v.dH == 1 && v.dW == 1 && v.inH >= 3 && v.inW >= 3
          && v.outH == (v.inH - 3) / 2 + 1 && v.outW == (v.inW - 3) / 2 + 1 && L >= 4;
    }

    /**
     * The plane at xOff pooled into y at yOff; false, leaving y's plane undefined, for a plane
     * with a NaN, −0.0 or infinity (tested unless {@code clean}: known to hold none), or one
     * too close to x's end for whole-vector reads.
     */
    boolean max(float[] x, int xOff, float[] y, int yOff, boolean clean) {
      int inW = v.inW;
      int outW = v.outW;
      int lastBlock = (outW - 1) / BLOCK * BLOCK;
      // the last row's last block reads two vectors from column 2·lastBlock on; a ReLU's planes
      // hold no NaN or −0.0 (infinities the test only rules out with NaN), so are not tested
      if ((long) xOff + (long) (2 * v.outH) * inW + 2 * lastBlock + 2 * L > x.length
          || !clean && !ordinary(x, xOff, v.inH * inW)) {
        return false;
      }
      // a block's store runs on past its outputs into the ones after it in the plane, which
      // their own blocks store later (the lanes' mask and the store's bounds test were a third
      // of a 23×23 plane's instructions); the plane's last few stores are masked
      int planeEnd = yOff + v.outH * outW;
      for (int oh = 0; oh < v.outH; oh++) {
        int r0 = xOff + 2 * oh * inW;
        int r1 = r0 + inW;
        int r2 = r1 + inW;
        int yRow = yOff + oh * outW;
        for (int ob = 0; ob < outW; ob += BLOCK) {
          int c = 2 * ob;
          // lanes past the row hold other elements of x: they reach only outputs not kept
          FloatVector a = FloatVector.fromArray(S, x, r0 + c);
          FloatVector b = FloatVector.fromArray(S, x, r1 + c);
          FloatVector m0 = a.blend(b, b.compare(VectorOperators.GT, a));
          b = FloatVector.fromArray(S, x, r2 + c);
          m0 = m0.blend(b, b.compare(VectorOperators.GT, m0));
          a = FloatVector.fromArray(S, x, r0 + c + L);
          b = FloatVector.fromArray(S, x, r1 + c + L);
          FloatVector m1 = a.blend(b, b.compare(VectorOperators.GT, a));
          b = FloatVector.fromArray(S, x, r2 + c + L);
          m1 = m1.blend(b, b.compare(VectorOperators.GT, m1));
          IntVector i0 = m0.reinterpretAsInts();
          IntVector i1 = m1.reinterpretAsInts();
          FloatVector best = PhasePlanes.EVENS.selectFrom(i0, i1).reinterpretAsFloats();
          FloatVector t = PhasePlanes.ODDS.selectFrom(i0, i1).reinterpretAsFloats();
          best = best.blend(t, t.compare(VectorOperators.GT, best));
          t = NEXT_EVENS.selectFrom(i0, i1).reinterpretAsFloats();
          best = best.blend(t, t.compare(VectorOperators.GT, best));
          int at = yRow + ob;
          int count = Math.min(BLOCK, outW - ob);
          if (at + L <= planeEnd) {
            best.intoArray(y, at);
          } else if (at + L <= y.length) {
            best.intoArray(y, at, PhasePlanes.lanes(count));
          } else {
            // a masked store reaching past the array checks lane by lane, outside the intrinsic
            for (int j = 0; j < count; j++) {
              y[at + j] = best.lane(j);
            }
          }
        }
      }
      return true;
    }

    /**
     * Whether x[off, off + n) holds no NaN, −0.0 or infinity: the greatest magnitude's bits
     * (below an infinity's) and the least bits as ints (Integer.MIN_VALUE only for −0.0), each a
     * one-cycle chain; the sum of val·0 it replaced was an fma's latency per vector.
     */
    private static boolean ordinary(float[] x, int off, int n) {
      IntVector most = IntVector.zero(IntVector.SPECIES_PREFERRED);
      IntVector least = most;
      int i = 0;
      for (; i + L <= n; i += L) {
        IntVector bits = FloatVector.fromArray(S, x, off + i).reinterpretAsInts();
        least = least.min(bits);
        most = most.max(bits.and(Integer.MAX_VALUE));
      }
      for (; i < n; i++) {
        float f = x[off + i];
        if (f != f || Float.isInfinite(f) || Float.floatToRawIntBits(f) == Integer.MIN_VALUE) {
          return false;
        }
      }
      return !most.compare(VectorOperators.GE, INFINITY_BITS).anyTrue()
          && !least.compare(VectorOperators.EQ, Integer.MIN_VALUE).anyTrue();
    }

    /** The bits of +∞: magnitudes from these on are infinities and NaNs. */
    private static final int INFINITY_BITS = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);
  }

  /**
   * Two-dimensional max pooling with unit column dilation and column stride 1 or 2, as two
   * one-dimensional passes per output row: the maximum over the window's rows, a vector at a
   * time along the input row, into a row buffer padded with −∞; then the maximum over the
   * window's columns, read from that buffer at the output's stride (stride 2 takes the even lanes
   * of two vectors). Each input row is read once per window row instead of once per tap. Both
   * passes keep the strict comparison of the scalar scan, so for inputs without NaN or −0.0 every
   * window's maximum is the same bits whatever order its taps are visited in; a plane with either
   * returns false, and the caller takes the scalar scan, which decides what wins.
   */
  private static final class Separable {
    private final Window3 v;
    private final int[] rows;
    /** Row buffer: pW of padding, the input row, then padding past every column read. */
    private final int rowLen;
    /** Columns the horizontal pass computes: whole vectors covering outW. */
    private final int outSpan;

    Separable(Window3 v, int[] rows) {
      this.v = v;
      this.rows = rows;
      outSpan = (v.outW + L - 1) / L * L;
      int reads = (outSpan - 1) * v.sW + v.kW + (v.sW == 2 ? 2 * L : L);
      rowLen = Math.max(v.pW + (v.inW + L - 1) / L * L + L, reads) + L;
    }

    static boolean applies(Window3 v) {
      return v.inD == 1 && v.outD == 1 && v.kD == 1 && v.dW == 1 && (v.sW == 1 || v.sW == 2);
    }

    /**
     * Two row buffers, all −∞ (their padding stays so; each row writes only the input's columns),
     * each with a vector of room after it for an output row's last, partial vector.
     */
    float[] newRow() {
      float[] rp = Scratch.take(2 * (rowLen + L));
      Arrays.fill(rp, 0, 2 * (rowLen + L), Float.NEGATIVE_INFINITY);
      return rp;
    }

    /**
     * The plane's maxima into y at yOff; false, with y's plane undefined, for a NaN, −0.0 or infinity.
     * Rows are pipelined through the two buffers: output row oh's horizontal pass reads the
     * buffer its vertical pass filled before row oh + 1's was computed into the other, because
     * loads straddling stores just made wait for them to retire (store forwarding fails), which
     * cost small planes a third of their time.
     */
    boolean max(float[] x, int xOff, float[] rp, float[] y, int yOff) {
      if (!vertical(x, xOff, 0, rp, 0)) {
        return false;
      }
      int second = rowLen + L;
      for (int oh = 0; oh < v.outH; oh++) {
        int cur = (oh & 1) * second;
        if (oh + 1 < v.outH && !vertical(x, xOff, oh + 1, rp, second - cur)) {
          return false;
        }
        horizontal(rp, cur, y, yOff + oh * v.outW);
      }
      return true;
    }

    /**
     * The maxima over output row oh's window rows, column by column, into the row buffer at
     * {@code at}; false for a NaN, −0.0 or an infinity among them, or a window of padding rows
     * only (the scalar scan's cases; an infinity only because the test that finds NaN finds it).
     */
    private boolean vertical(float[] x, int xOff, int oh, float[] rp, int at) {
      int inW = v.inW;
      int khLo = rows[2 * oh];
      int khHi = rows[2 * oh + 1];
      if (khLo >= khHi) {
        return false;
      }
      int fullEnd = inW / L * L;
      int vecEnd = (inW + L - 1) / L * L;
      FloatVector ninf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      FloatVector zero = FloatVector.zero(S);
      // what the taps read is tested by two accumulators rather than per-tap masks: the sum of
      // val·0 (NaN once a NaN or an infinity was read: an infinity only sends the plane to the
      // scan too) and the least of the bits as ints (Integer.MIN_VALUE only for −0.0)
      FloatVector nan = zero;
      IntVector least = IntVector.zero(IntVector.SPECIES_PREFERRED);
      int r0 = xOff + (oh * v.sH - v.pH) * inW;
      // the last vector of a row reads on into the next row where the array allows; its
      // extra lanes are not tested and their columns are reset to padding after
      boolean whole = r0 + (khHi - 1) * v.dH * inW + vecEnd <= x.length;
      int end = whole ? vecEnd : fullEnd;
      int dst = at + v.pW;
      int first = r0 + khLo * v.dH * inW;
      for (int c = 0; c < end; c += L) {
        // a last vector's lanes past the row hold other elements of x: a NaN or −0.0 there
        // only sends the plane to the scalar scan. The first tap is the running maximum as it
        // is (where it is NaN, the plane goes to the scan anyway).
        FloatVector m = FloatVector.fromArray(S, x, first + c);
        nan = m.fma(zero, nan);
        least = least.min(m.reinterpretAsInts());
        for (int kh = khLo + 1; kh < khHi; kh++) {
          FloatVector val = FloatVector.fromArray(S, x, r0 + kh * v.dH * inW + c);
          m = m.blend(val, val.compare(VectorOperators.GT, m));
          nan = val.fma(zero, nan);
          least = least.min(val.reinterpretAsInts());
        }
        // columns past the row back to padding (−∞) before the store, not filled after it: a
        // fill call per row cost a small plane more than its maxima. The mask is loaded from
        // the table for every vector: a phi of a computed mask and a loaded one is boxed.
        ninf.blend(m, PhasePlanes.lanes(Math.min(L, inW - c))).intoArray(rp, dst + c);
      }
      for (int c = end; c < inW; c++) {
        float m = Float.NEGATIVE_INFINITY;
        for (int kh = khLo; kh < khHi; kh++) {
          float val = x[r0 + kh * v.dH * inW + c];
          if (val != val || Float.floatToRawIntBits(val) == Integer.MIN_VALUE) {
            return false;
          }
          if (val > m) {
            m = val;
          }
        }
        rp[dst + c] = m;
      }
      return !nan.test(VectorOperators.IS_NAN).anyTrue()
          && !least.compare(VectorOperators.EQ, Integer.MIN_VALUE).anyTrue();
    }

    /** Output row maxima over the kW columns of each window, from the row buffer at {@code at}. */
    private void horizontal(float[] rp, int at, float[] y, int yRow) {
      FloatVector ninf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      for (int ow = 0; ow < outSpan; ow += L) {
        FloatVector best = ninf;
        for (int kw = 0; kw < v.kW; kw++) {
          int i = at + v.sW * ow + kw;
          FloatVector val = v.sW == 1 ? FloatVector.fromArray(S, rp, i)
              : PhasePlanes.EVENS.selectFrom(FloatVector.fromArray(S, rp, i).reinterpretAsInts(),
                  FloatVector.fromArray(S, rp, i + L).reinterpretAsInts()).reinterpretAsFloats();
          best = best.blend(val, val.compare(VectorOperators.GT, best));
        }
        if (ow + L <= v.outW) {
          best.intoArray(y, yRow + ow);
        } else if (yRow + ow + L <= y.length) {
          // a masked store, not a copy call per row: a masked store whose vector reaches past
          // the array checks lane by lane, outside the intrinsic
          best.intoArray(y, yRow + ow, PhasePlanes.lanes(v.outW - ow));
        } else {
          best.intoArray(rp, at + rowLen);
          System.arraycopy(rp, at + rowLen, y, yRow + ow, v.outW - ow);
        }
      }
    }
  }

  /**
   * The maxima of one plane over its {@link PhasePlanes} (padding −∞), taps in the scalar scan's
   * order with its strict comparison, so the values are the same bit for bit; returns false,
   * leaving {@code best} undefined, when a tap is NaN (the caller then takes the scalar scan,
   * which decides which NaN wins).
   */
  private static boolean maxPhases(float[] ph, PhasePlanes pp, float[] best) {
    int[] shift = pp.shift;
    VectorMask<Float> nan = S.maskAll(false);
    for (int j = 0; j < pp.span; j += L) {
      FloatVector b = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      for (int s : shift) {
        FloatVector val = FloatVector.fromArray(S, ph, s + j);
        b = b.blend(val, val.compare(VectorOperators.GT, b));
        nan = nan.or(val.test(VectorOperators.IS_NAN));
      }
      b.intoArray(best, j);
    }
    return !nan.anyTrue();
  }

  /** Start of the vector block after the one at {@code ow}; the last ends exactly at {@code end}. */
  private static int nextBlock(int ow, int end) {
    int next = ow + L;
    return next >= end ? end : Math.min(next, end - L);
  }

  /** The scalar scan of one 2-d window: y[yi] (and argmax[yi] when asked) as the general loop. */
  private static void maxWindow(float[] x, int xBase, Window3 v, int ih0, int khLo, int khHi,
      int ow, int[] cols, float[] y, int yi, int[] argmax) {
    int iw0 = ow * v.sW - v.pW;
    int kwLo = cols[2 * ow];
    int kwHi = cols[2 * ow + 1];
    float best = Float.NEGATIVE_INFINITY;
    int bi = -1;
    for (int kh = khLo; kh < khHi; kh++) {
      int row = xBase + (ih0 + kh * v.dH) * v.inW + iw0;
      for (int kw = kwLo; kw < kwHi; kw++) {
        int xi = row + kw * v.dW;
        float val = x[xi];
        // the general loop's test, evaluated without branches (selects)
        boolean take = bi < 0 | val > best | (val != val & best == best);
        best = take ? val : best;
        bi = take ? xi : bi;
      }
    }
    y[yi] = best;
    if (argmax != null) {
      argmax[yi] = bi;
    }
  }

  /**
   * For each output position o along one dimension, the in-bounds taps [lo, hi) (at 2o and 2o+1):
   * the k < kernel with {@code 0 <= o*stride - pad + k*dilation < in}. Computed once per call, as
   * the divisions would otherwise dominate a small window's scan.
   */
  private static int[] tapRanges(int out, int stride, int pad, int dilation, int in, int kernel) {
    int[] r = new int[2 * out];
    for (int o = 0; o < out; o++) {
      int start = o * stride - pad;
      r[2 * o] = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
      r[2 * o + 1] = start >= in ? 0 : Math.min(kernel, (in - start + dilation - 1) / dilation);
    }
    return r;
  }

  /**
   * Average pooling (ONNX AveragePool); with countIncludePad false the divisor counts only real
   * (non-pad) elements; windows that run past the padded input (ceil mode) never count those
   * positions. A window with a zero divisor yields 0.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param countIncludePad whether padding positions count in the divisor
   * @param y output, overwritten
   * @param yShape output shape [N, C, out...]
   */
  public static void averageForward(float[] x, int[] xShape, WindowGeometry g,
      boolean countIncludePad, float[] y, int[] yShape) {
    PoolDims d = new PoolDims(xShape, yShape, g);
    checkLengths(x.length, xShape, y.length, yShape);
    int[] div = d.divisors(countIncludePad);
    Window3 v = d.win;
    forPlanes(d, plane -> {
      int xBase = plane * d.inS;
      int yBase = plane * d.outS;
      int o = 0;
      for (int od = 0; od < v.outD; od++) {
        for (int oh = 0; oh < v.outH; oh++) {
          for (int ow = 0; ow < v.outW; ow++, o++) {
            float s = 0f;
            for (int kd = 0; kd < v.kD; kd++) {
              int id = od * v.sD - v.pD + kd * v.dD;
              if (id < 0 || id >= v.inD) {
                continue;
              }
              for (int kh = 0; kh < v.kH; kh++) {
                int ih = oh * v.sH - v.pH + kh * v.dH;
                if (ih < 0 || ih >= v.inH) {
                  continue;
                }
                int rowBase = xBase + (id * v.inH + ih) * v.inW;
                for (int kw = 0; kw < v.kW; kw++) {
                  int iw = ow * v.sW - v.pW + kw * v.dW;
                  if (iw >= 0 && iw < v.inW) {
                    s += x[rowBase + iw];
                  }
                }
              }
            }
            y[yBase + o] = div[o] == 0 ? 0f : s / div[o];
          }
        }
      }
    });
  }

  /**
   * Gradient of {@link #averageForward(float[], int[], WindowGeometry, boolean, float[], int[])}:
   * each real tap of a window receives gy / divisor; gx overwritten.
   *
   * @param gy output gradient
   * @param yShape output shape [N, C, out...]
   * @param g window geometry
   * @param countIncludePad whether padding positions count in the divisor
   * @param gx input gradient, overwritten
   * @param xShape input shape [N, C, in...]
   */
  public static void averageBackward(float[] gy, int[] yShape, WindowGeometry g,
      boolean countIncludePad, float[] gx, int[] xShape) {
    PoolDims d = new PoolDims(xShape, yShape, g);
    checkLengths(gx.length, xShape, gy.length, yShape);
    int[] div = d.divisors(countIncludePad);
    Window3 v = d.win;
    forPlanes(d, plane -> {
      int xBase = plane * d.inS;
      int yBase = plane * d.outS;
      Arrays.fill(gx, xBase, xBase + d.inS, 0f);
      int o = 0;
      for (int od = 0; od < v.outD; od++) {
        for (int oh = 0; oh < v.outH; oh++) {
          for (int ow = 0; ow < v.outW; ow++, o++) {
            if (div[o] == 0) {
              continue;
            }
            float gv = gy[yBase + o] / div[o];
            for (int kd = 0; kd < v.kD; kd++) {
              int id = od * v.sD - v.pD + kd * v.dD;
              if (id < 0 || id >= v.inD) {
                continue;
              }
              for (int kh = 0; kh < v.kH; kh++) {
                int ih = oh * v.sH - v.pH + kh * v.dH;
                if (ih < 0 || ih >= v.inH) {
                  continue;
                }
                int rowBase = xBase + (id * v.inH + ih) * v.inW;
                for (int kw = 0; kw < v.kW; kw++) {
                  int iw = ow * v.sW - v.pW + kw * v.dW;
                  if (iw >= 0 && iw < v.inW) {
                    gx[rowBase + iw] += gv;
                  }
                }
              }
            }
          }
        }
      }
    });
  }

  // ---------------------------------------------------------------- double reference

  /**
   * Double-precision reference of {@link #maxForward(float[], int[], WindowGeometry, float[],
   * int[], int[])} with identical tie, NaN and padding rules.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param y output, overwritten
   * @param yShape output shape [N, C, out...]
   * @param argmax flat input index per output element, overwritten; may be null
   */
  public static void maxForward(double[] x, int[] xShape, WindowGeometry g, double[] y,
      int[] yShape, int[] argmax) {
    PoolDims d = new PoolDims(xShape, yShape, g);
    checkLengths(x.length, xShape, y.length, yShape);
    if (argmax != null) {
      Window3.checkLength(argmax.length, yShape, "argmax");
    }
    Window3 v = d.win;
    for (int plane = 0; plane < d.planes; plane++) {
      int xBase = plane * d.inS;
      int yi = plane * d.outS;
      for (int od = 0; od < v.outD; od++) {
        for (int oh = 0; oh < v.outH; oh++) {
          for (int ow = 0; ow < v.outW; ow++, yi++) {
            double best = Double.NEGATIVE_INFINITY;
            int bi = -1;
            for (int kd = 0; kd < v.kD; kd++) {
              for (int kh = 0; kh < v.kH; kh++) {
                for (int kw = 0; kw < v.kW; kw++) {
                  int id = od * v.sD - v.pD + kd * v.dD;
                  int ih = oh * v.sH - v.pH + kh * v.dH;
                  int iw = ow * v.sW - v.pW + kw * v.dW;
                  if (id < 0 || id >= v.inD || ih < 0 || ih >= v.inH || iw < 0 || iw >= v.inW) {
                    continue;
                  }
                  int xi = xBase + (id * v.inH + ih) * v.inW + iw;
                  double val = x[xi];
                  if (bi < 0 || val > best || (Double.isNaN(val) && !Double.isNaN(best))) {
                    best = val;
                    bi = xi;
                  }
                }
              }
            }
            y[yi] = best;
            if (argmax != null) {
              argmax[yi] = bi;
            }
          }
        }
      }
    }
  }

  /**
   * Double-precision reference of {@link #averageForward(float[], int[], WindowGeometry,
   * boolean, float[], int[])}.
   *
   * @param x input
   * @param xShape input shape [N, C, in...]
   * @param g window geometry
   * @param countIncludePad whether padding positions count in the divisor
   * @param y output, overwritten
   * @param yShape output shape [N, C, out...]
   */
  public static void averageForward(double[] x, int[] xShape, WindowGeometry g,
      boolean countIncludePad, double[] y, int[] yShape) {
    PoolDims d = new PoolDims(xShape, yShape, g);
    checkLengths(x.length, xShape, y.length, yShape);
    averageScalar(x, y, d, countIncludePad, true);
  }

  /**
   * Double-precision reference of {@link #averageBackward(float[], int[], WindowGeometry,
   * boolean, float[], int[])}; gx overwritten.
   *
   * @param gy output gradient
   * @param yShape output shape [N, C, out...]
   * @param g window geometry
   * @param countIncludePad whether padding positions count in the divisor
   * @param gx input gradient, overwritten
   * @param xShape input shape [N, C, in...]
   */
  public static void averageBackward(double[] gy, int[] yShape, WindowGeometry g,
      boolean countIncludePad, double[] gx, int[] xShape) {
    PoolDims d = new PoolDims(xShape, yShape, g);
    checkLengths(gx.length, xShape, gy.length, yShape);
    Arrays.fill(gx, 0, d.planes * d.inS, 0.0);
    averageScalar(gx, gy, d, countIncludePad, false);
  }

  /**
   * Direct average-pool loops; the divisor of each window is counted in place. Forward writes
   * y from x; backward adds gy/divisor into x.
   */
  private static void averageScalar(double[] x, double[] y, PoolDims d, boolean includePad,
      boolean forward) {
    Window3 v = d.win;
    for (int plane = 0; plane < d.planes; plane++) {
      int xBase = plane * d.inS;
      int yi = plane * d.outS;
      for (int od = 0; od < v.outD; od++) {
        for (int oh = 0; oh < v.outH; oh++) {
          for (int ow = 0; ow < v.outW; ow++, yi++) {
            int count = 0;
            for (int kd = 0; kd < v.kD; kd++) {
              for (int kh = 0; kh < v.kH; kh++) {
                for (int kw = 0; kw < v.kW; kw++) {
                  int id = od * v.sD - v.pD + kd * v.dD;
                  int ih = oh * v.sH - v.pH + kh * v.dH;
                  int iw = ow * v.sW - v.pW + kw * v.dW;
                  boolean real = id >= 0 && id < v.inD && ih >= 0 && ih < v.inH
                      && iw >= 0 && iw < v.inW;
                  boolean padded = id >= -v.pD && id < v.inD + v.peD
                      && ih >= -v.pH && ih < v.inH + v.peH
                      && iw >= -v.pW && iw < v.inW + v.peW;
                  if (includePad ? padded : real) {
                    count++;
                  }
                }
              }
            }
            double s = 0.0;
            double gv = count == 0 ? 0.0 : y[yi] / count;
            for (int kd = 0; kd < v.kD; kd++) {
              for (int kh = 0; kh < v.kH; kh++) {
                for (int kw = 0; kw < v.kW; kw++) {
                  int id = od * v.sD - v.pD + kd * v.dD;
                  int ih = oh * v.sH - v.pH + kh * v.dH;
                  int iw = ow * v.sW - v.pW + kw * v.dW;
                  if (id < 0 || id >= v.inD || ih < 0 || ih >= v.inH || iw < 0 || iw >= v.inW) {
                    continue;
                  }
                  int xi = xBase + (id * v.inH + ih) * v.inW + iw;
                  if (forward) {
                    s += x[xi];
                  } else if (count != 0) {
                    x[xi] += gv;
                  }
                }
              }
            }
            if (forward) {
              y[yi] = count == 0 ? 0.0 : s / count;
            }
          }
        }
      }
    }
  }
}
