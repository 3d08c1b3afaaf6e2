package dev.jattr.kernels.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Phase-plane layout of a padded input plane for windows of rank at most two, which turns a
 * strided, dilated, padded window scan into one-dimensional, unit-stride and bounds-free vector
 * loops. Package-private helper of {@link DepthwisePlanes} and {@link Pool}.
 *
 * <p>For strides (sH, sW) the padded plane is split into sH·sW phase planes, phase (a, b)
 * holding the padded elements at rows {@code r·sH + a} and columns {@code c·sW + b}, each stored
 * row-major with row length {@link #wh} ≥ outW. Tap (kh, kw) at padded offset
 * {@code (kh·dH, kw·dW)} reads phase {@code (kh·dH mod sH, kw·dW mod sW)} shifted by
 * {@code (kh·dH div sH, kw·dW div sW)}; so for output {@code (oh, ow)}, at flat index
 * {@code j = oh·wh + ow}, tap t reads {@code buffer[j + shift[t]]}: contiguous in j for any
 * stride and dilation. Whole vectors run over j in {@code [0, span)}, crossing rows; the
 * {@code wh − outW} columns per row past the output are computed and dropped by {@link #extract}.
 */
final class PhasePlanes {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** The window and extents. */
  final Window3 win;
  /** Rows of a phase plane. */
  final int hh;
  /** Row length of a phase plane (and of the computed output rows). */
  final int wh;
  /** Stride between phase planes in the buffer, with slack for the last vector's reads. */
  final int phaseLen;
  /** Flat outputs computed: outH·wh rounded up to whole vectors. */
  final int span;
  /** Buffer offset of tap (kh, kw), at index kh·kW + kw, for output j = 0. */
  final int[] shift;

  /** The layout for a window of rank at most two ({@link #applies}). */
  PhasePlanes(Window3 v) {
    win = v;
    hh = v.outH + (v.kH - 1) * v.dH / v.sH;
    wh = v.outW + (v.kW - 1) * v.dW / v.sW;
    // the last vector reads up to L − 1 past the span, a row's shift up to wh − outW past a row
    phaseLen = hh * wh + wh + L;
    span = (v.outH * wh + L - 1) / L * L;
    shift = new int[v.kH * v.kW];
    for (int kh = 0; kh < v.kH; kh++) {
      for (int kw = 0; kw < v.kW; kw++) {
        int th = kh * v.dH;
        int tw = kw * v.dW;
        int phase = (th % v.sH) * v.sW + tw % v.sW;
        shift[kh * v.kW + kw] = phase * phaseLen + th / v.sH * wh + tw / v.sW;
      }
    }
  }

  /** Whether the window is at most two-dimensional (the only case this layout covers). */
  static boolean applies(Window3 v) {
    return v.inD == 1 && v.outD == 1 && v.kD == 1;
  }

  /**
   * A buffer for the {@link #span} computed outputs, with a vector of slack for {@link #extract}:
   * a thread's {@link Scratch} buffer, its contents unspecified; hand it back with
   * {@link Scratch#give}.
   */
  float[] newOutput() {
    return Scratch.take(span + L);
  }

  /**
   * A buffer for the phase planes with every element {@code pad}: the padding never changes from
   * one plane to the next, so {@link #fill} then writes only the elements inside the input. A
   * thread's {@link Scratch} buffer: hand it back with {@link Scratch#give}.
   */
  float[] newBuffer(float pad) {
    int n = win.sH * win.sW * phaseLen;
    float[] ph = Scratch.take(n);
    Arrays.fill(ph, 0, n, pad);
    return ph;
  }

  /**
   * Writes the phase planes of the input plane at {@code xOff} into a buffer from
   * {@link #newBuffer(float)}: element (r, c) of phase (a, b) is x[r·sH + a − pH][c·sW + b − pW];
   * the elements outside the input keep the buffer's padding. Rows are copied a vector at a time
   * (stride 2 picks the even lanes of two vectors), the last part of a row with a masked store so
   * that the padding after it stays; long rows by {@link System#arraycopy}; other strides, and
   * the last elements of x, element by element.
   */
  void fill(float[] x, int xOff, float[] ph) {
    fill(x, xOff, ph, 0);
  }

  /**
   * As {@link #fill(float[], int, float[])}, the phase planes written from {@code ph[at]} on
   * (one of several channels' planes in one buffer).
   */
  void fill(float[] x, int xOff, float[] ph, int at) {
    Window3 v = win;
    if (v.sW == 2) {
      fillPairs(x, xOff, ph, at);
      return;
    }
    for (int a = 0; a < v.sH; a++) {
      // rows r with 0 <= r·sH + a − pH < inH
      int rLo = Math.min(hh, Math.max(0, ceilDiv(v.pH - a, v.sH)));
      int rHi = Math.max(rLo, Math.min(hh, ceilDiv(v.inH + v.pH - a, v.sH)));
      for (int b = 0; b < v.sW; b++) {
        int base = at + (a * v.sW + b) * phaseLen;
        // columns c with 0 <= c·sW + b − pW < inW
        int cLo = Math.min(wh, Math.max(0, ceilDiv(v.pW - b, v.sW)));
        int cHi = Math.max(cLo, Math.min(wh, ceilDiv(v.inW + v.pW - b, v.sW)));
        int n = cHi - cLo;
        if (n == 0) {
          continue;
        }
        VectorMask<Float> tail = tailMask(n);
        for (int r = rLo; r < rHi; r++) {
          int row = base + r * wh + cLo;
          int src = xOff + (r * v.sH + a - v.pH) * v.inW + b - v.pW + cLo * v.sW;
          copyStrided(x, src, v.sW, ph, row, n, tail);
        }
      }
    }
  }

  /**
   * {@link #fill} for column stride 2: each input row is read once, a pair of vectors at a time,
   * and split into its even and odd elements (two lane selections), which go to the rows of the
   * row's two column phases; the last vectors of each under masks from the table. A row's even
   * and odd elements were two strided copies, each reading the whole row (the fill was two thirds
   * of a stride-2 depthwise convolution). Rows whose vectors would read past x take the strided
   * copies.
   */
  private void fillPairs(float[] x, int xOff, float[] ph, int at) {
    Window3 v = win;
    // input column iw is padded column iw + pW: phase (iw + pW) mod 2, phase column (iw + pW) / 2
    int bEven = v.pW % 2;
    int cEven = v.pW / 2;
    int bOdd = (1 + v.pW) % 2;
    int cOdd = (1 + v.pW) / 2;
    int nEven = Math.max(0, Math.min((v.inW + 1) / 2, wh - cEven));
    int nOdd = Math.max(0, Math.min(v.inW / 2, wh - cOdd));
    int pairs = (Math.max(nEven, nOdd) + L - 1) / L;
    for (int ih = 0; ih < v.inH; ih++) {
      int a = (ih + v.pH) % v.sH;
      int r = (ih + v.pH) / v.sH;
      if (r >= hh) {
        continue;
      }
      int src = xOff + ih * v.inW;
      int even = at + (a * v.sW + bEven) * phaseLen + r * wh + cEven;
      int odd = at + (a * v.sW + bOdd) * phaseLen + r * wh + cOdd;
      if (src + 2 * L * pairs > x.length) {
        if (nEven > 0) {
          copyScalar(x, src, 2, ph, even, nEven);
        }
        if (nOdd > 0) {
          copyScalar(x, src + 1, 2, ph, odd, nOdd);
        }
        continue;
      }
      // whole vectors stored plainly, the last of each row under its mask: masked stores cost
      // several times a plain one
      int whole = Math.min(nEven, nOdd) / L;
      for (int i = 0; i < whole; i++) {
        FloatVector v0 = FloatVector.fromArray(S, x, src + 2 * L * i);
        FloatVector v1 = FloatVector.fromArray(S, x, src + 2 * L * i + L);
        IntVector i0 = v0.reinterpretAsInts();
        IntVector i1 = v1.reinterpretAsInts();
        EVENS.selectFrom(i0, i1).reinterpretAsFloats().intoArray(ph, even + L * i);
        ODDS.selectFrom(i0, i1).reinterpretAsFloats().intoArray(ph, odd + L * i);
      }
      for (int i = whole; i < pairs; i++) {
        FloatVector v0 = FloatVector.fromArray(S, x, src + 2 * L * i);
        FloatVector v1 = FloatVector.fromArray(S, x, src + 2 * L * i + L);
        IntVector i0 = v0.reinterpretAsInts();
        IntVector i1 = v1.reinterpretAsInts();
        EVENS.selectFrom(i0, i1).reinterpretAsFloats()
            .intoArray(ph, even + L * i, lanes(Math.max(0, Math.min(L, nEven - L * i))));
        ODDS.selectFrom(i0, i1).reinterpretAsFloats()
            .intoArray(ph, odd + L * i, lanes(Math.max(0, Math.min(L, nOdd - L * i))));
      }
    }
  }

  /**
   * dst[d + c] = x[src + c·stride] for c in [0, n), n ≥ 1: the row copy of {@link #fill}, for
   * callers with one row.
   */
  static void copyStrided(float[] x, int src, int stride, float[] dst, int d, int n) {
    copyStrided(x, src, stride, dst, d, n, tailMask(n));
  }

  /** The first k lanes (0 ≤ k ≤ L), from the table built once. */
  static VectorMask<Float> lanes(int k) {
    return TAILS[k];
  }

  /** The lanes of the last vector of an n-element row (n ≥ 1). */
  private static VectorMask<Float> tailMask(int n) {
    return lanes(n - (n - 1) / L * L);
  }

  /**
   * TAILS[k] holds lanes [0, k), built once: a mask made per row and passed between methods is
   * boxed, and C2 boxes one by allocating it and its lanes (about 1 GB/s under SqueezeNet's
   * forward at batch 50).
   */
  private static final VectorMask<Float>[] TAILS = tails();

  @SuppressWarnings("unchecked")
  private static VectorMask<Float>[] tails() {
    VectorMask<Float>[] t = new VectorMask[L + 1];
    for (int k = 0; k <= L; k++) {
      t[k] = S.indexInRange(0, k);
    }
    return t;
  }

  /** {@link #copyStrided(float[], int, int, float[], int, int)} with the row's {@link #tailMask}. */
  private static void copyStrided(float[] x, int src, int stride, float[] dst, int d, int n,
      VectorMask<Float> tail) {
    switch (stride) {
      case 1 -> copyRow(x, src, dst, d, n, tail);
      case 2 -> copyEvens(x, src, dst, d, n, tail);
      default -> copyScalar(x, src, stride, dst, d, n);
    }
  }

  /** Rows at least this long are copied by {@link System#arraycopy}. */
  private static final int COPY_CALL = 64;

  /**
   * dst[d + c] = x[src + c] for c in [0, n); the last vector's lanes under {@code tail}. Near
   * the end of either array it takes {@link System#arraycopy}: a masked store whose vector
   * reaches past the array checks lane by lane, outside the intrinsic.
   */
  private static void copyRow(float[] x, int src, float[] dst, int d, int n, VectorMask<Float> tail) {
    int last = (n - 1) / L * L;
    if (n >= COPY_CALL || src + last + L > x.length || d + last + L > dst.length) {
      System.arraycopy(x, src, dst, d, n);
      return;
    }
    for (int c = 0; c < last; c += L) {
      FloatVector.fromArray(S, x, src + c).intoArray(dst, d + c);
    }
    FloatVector.fromArray(S, x, src + last).intoArray(dst, d + last, tail);
  }

  /** dst[d + c] = x[src + 2c] for c in [0, n); the last vector's lanes under {@code tail}. */
  private static void copyEvens(float[] x, int src, float[] dst, int d, int n,
      VectorMask<Float> tail) {
    int last = (n - 1) / L * L;
    if (src + 2 * (last + L) > x.length) {
      copyScalar(x, src, 2, dst, d, n);
      return;
    }
    for (int c = 0; c < last; c += L) {
      int i = src + 2 * c;
      EVENS.selectFrom(FloatVector.fromArray(S, x, i).reinterpretAsInts(),
          FloatVector.fromArray(S, x, i + L).reinterpretAsInts()).reinterpretAsFloats().intoArray(dst, d + c);
    }
    int i = src + 2 * last;
    EVENS.selectFrom(FloatVector.fromArray(S, x, i).reinterpretAsInts(),
        FloatVector.fromArray(S, x, i + L).reinterpretAsInts()).reinterpretAsFloats().intoArray(dst, d + last, tail);
  }

  /** dst[d + c] = x[src + c·stride] for c in [0, n), element by element. */
  private static void copyScalar(float[] x, int src, int stride, float[] dst, int d, int n) {
    for (int c = 0, q = src; c < n; c++, q += stride) {
      dst[d + c] = x[q];
    }
  }

  /**
   * Lane indices 0, 2, …, 2(L − 1) into the concatenation of two vectors: {@code
   * EVENS.selectFrom(v at i, v at i + L)} is x[i], x[i + 2], …, x[i + 2(L − 1)]. Written out at
   * each use rather than in a helper returning the vector, which the JIT boxed once a second
   * caller used it (an allocation per vector, found by KernelAllocationTest). The selection runs
   * on the lanes' bits as ints ({@code reinterpretAsInts}, free): with float indices each
   * selection also converted them (see {@link LaneTranspose}).
   */
  static final IntVector EVENS = IntVector.zero(IntVector.SPECIES_PREFERRED).addIndex(2);

  /** Lane indices 1, 3, …, 2L − 1: {@link #EVENS}' counterpart for the odd elements. */
  static final IntVector ODDS = IntVector.broadcast(IntVector.SPECIES_PREFERRED, 1).addIndex(2);

  /**
   * Copies the outH × outW outputs out of the computed rows into y at {@code yOff}, a vector at a
   * time with the end of each row under a mask.
   */
  void extract(float[] out, float[] y, int yOff) {
    Window3 v = win;
    if (wh == v.outW) {
      System.arraycopy(out, 0, y, yOff, v.outH * v.outW);
      return;
    }
    int n = v.outW;
    VectorMask<Float> tail = tailMask(n);
    for (int oh = 0; oh < v.outH; oh++) {
      copyRow(out, oh * wh, y, yOff + oh * n, n, tail);
    }
  }

  private static int ceilDiv(int a, int b) {
    return Math.floorDiv(a + b - 1, b);
  }
}
