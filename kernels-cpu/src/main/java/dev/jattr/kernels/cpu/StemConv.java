package dev.jattr.kernels.cpu;

import dev.jattr.kernels.Activation;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A direct 2-d convolution for windows with few taps in all (C·kH·kW at most {@link #MAX_TAPS}):
 * the stems of image models, three input channels under a 3×3 window of stride 2.
 *
 * <p>An unfold would copy each input element kH·kW times to feed a product only C·kH·kW deep,
 * and for strided windows gather every copy (it cost twice the product). Instead each input
 * channel is split once into its sH·sW phase planes (rows ≡ a mod sH, columns ≡ b mod sW of the
 * zero-padded input), Hs × Wp each with Wp ≥ outW + ((kW − 1)·dW)/sW. A tap (c, kh, kw) then reads
 * phase ((kh·dH) mod sH, (kw·dW) mod sW) of channel c at a fixed shift of ((kh·dH)/sH,
 * (kw·dW)/sW) rows and columns, and consecutive outputs of a row read consecutive elements. The
 * kernel keeps a tile of 4 output channels × 3 vectors of one output row in registers, sums the
 * taps in order into it (one fma per channel, vector and tap) and adds the bias last, as the
 * unfolded product does, before storing the tile straight into y (a ReLU applied on the way).
 */
final class StemConv {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Output channels of a tile. */
  private static final int MR = 4;
  /** Output columns of a tile: three vectors. */
  private static final int NR = 3 * L;
  /** Most taps (C·kH·kW) a convolution may have to take this path. */
  static final int MAX_TAPS = 32;

  private StemConv() {}

  /** Whether the convolution takes this path: group 1, 2-d, few taps, rows at least a vector wide. */
  static boolean applies(ConvDims d) {
    Window3 v = d.win;
    return d.group == 1 && v.inD == 1 && v.kD == 1 && v.outD == 1 && !v.isPointwise()
        && d.kRows <= MAX_TAPS && v.outW >= L && d.outChannels >= MR;
  }

  /**
   * A sample's phase planes, one channel's {@link PhasePlanes} after another ({@code channel}
   * floats apart), with a tile of slack after the last: a row's last tile reads past outW. Tap t
   * (c, kh, kw) of output 0 is at {@code taps[t]}; rows are {@code pp.wh} apart.
   */
  private record Layout(PhasePlanes pp, int channel, int size, int[] taps) {
    static Layout of(ConvDims d) {
      Window3 v = d.win;
      PhasePlanes pp = new PhasePlanes(v);
      int channel = v.sH * v.sW * pp.phaseLen;
      int window = v.kH * v.kW;
      int[] taps = new int[d.kRows];
      for (int t = 0; t < d.kRows; t++) {
        taps[t] = t / window * channel + pp.shift[t % window];
      }
      return new Layout(pp, channel, d.cg * channel + NR, taps);
    }
  }

  /** y = f(conv(x, w) + bias) for a convolution that {@link #applies}; bias and f may be null. */
  static void forward(float[] x, float[] w, float[] bias, ConvDims d, Activation f, float alpha,
      float beta, float[] y) {
    forward(x, w, bias, d, f, alpha, beta, null, y);
  }

  /**
   * y = maxpool(f(conv(x, w) + bias)) for a convolution that {@link #applies}, pool's planes being
   * the convolution's output planes: each sample's output is computed into a scratch buffer
   * (SqueezeNet's 64 planes of 47×47: 565 KB, within L2) and pooled from there into y, so the
   * unpooled output (28 MB at batch 50) is never written to memory and read back. The same bits
   * as the convolution and then {@link Pool#maxForward}.
   */
  static void forwardMaxPooled(float[] x, float[] w, float[] bias, ConvDims d, Activation f,
      float alpha, float beta, PoolDims pool, float[] y) {
    forward(x, w, bias, d, f, alpha, beta, pool, y);
  }

  /** Either of the above: the convolution straight into y when pool is null. */
  private static void forward(float[] x, float[] w, float[] bias, ConvDims d, Activation f,
      float alpha, float beta, PoolDims pool, float[] y) {
    Window3 v = d.win;
    Layout lay = Layout.of(d);
    float[] packed = pack(w, d);
    // a ReLU is applied to the tile in registers; any other activation in a pass per sample
    boolean relu = f == Activation.RELU;
    Activation after = relu ? null : f;
    int sample = d.outChannels * d.outS;
    int pooled = pool == null ? 0 : d.outChannels * pool.outS;
    Pool.MaxPlanes pooling = pool == null ? null : new Pool.MaxPlanes(pool);
    boolean outer = d.batch >= Par.threads() && Par.worthIt(d.batch, d.work());
    if (outer) {
      Par.forRange(d.batch, true, (from, to) -> {
        float[] planes = zeroed(lay.size);
        // a vector to spare: a tile's masked stores at the end of the buffer stay intrinsics
        float[] conv = pool == null ? y : Scratch.take(sample + L);
        for (int n = from; n < to; n++) {
          int at = pool == null ? n : 0;
          phasePlanes(x, n * d.inChannels * d.inS, d, lay, planes);
          rows(planes, packed, bias, relu, d, lay, conv, at, 0, v.outH);
          activate(after, alpha, beta, conv, d, at, 0, v.outH);
          if (pool != null) {
            pooling.pool(conv, 0, 0, d.outChannels, y, n * pooled, relu);
          }
        }
        if (pool != null) {
          Scratch.give(conv);
        }
        Scratch.give(planes);
      });
    } else {
      float[] planes = zeroed(lay.size);
      float[] conv = pool == null ? y : Scratch.take(sample + L);
      for (int n = 0; n < d.batch; n++) {
        int at = pool == null ? n : 0;
        phasePlanes(x, n * d.inChannels * d.inS, d, lay, planes);
        if (pool != null && after == null) {
          // blocks of channels in parallel, each thread pooling the planes it has just made:
          // split by rows for the convolution and by channels for the pooling, each thread
          // pooled rows the other had written, from the other core's cache
          int yOff = n * pooled;
          int blocks = (d.outChannels + MR - 1) / MR;
          Par.forRange(blocks, Par.worthIt(blocks, d.work() / d.batch), (b0, b1) -> {
            int c0 = b0 * MR;
            int c1 = Math.min(d.outChannels, b1 * MR);
            rows(planes, packed, bias, relu, d, lay, conv, at, 0, v.outH, c0, c1);
            pooling.pool(conv, 0, c0, c1, y, yOff, relu);
          });
          continue;
        }
        Par.forRange(v.outH, Par.worthIt(v.outH, d.work() / d.batch), (from, to) -> {
          rows(planes, packed, bias, relu, d, lay, conv, at, from, to);
          activate(after, alpha, beta, conv, d, at, from, to);
        });
        if (pool != null) {
          int yOff = n * pooled;
          Par.forRange(d.outChannels, Par.worthIt(d.outChannels, (long) sample * POOL_STEPS), (p0, p1) ->
              pooling.pool(conv, 0, p0, p1, y, yOff, relu));
        }
      }
      if (pool != null) {
        Scratch.give(conv);
      }
      Scratch.give(planes);
    }
    Scratch.give(packed);
  }

  /** Steps of the pooling per element of the convolution's output, for {@link Par#worthIt}. */
  private static final int POOL_STEPS = 4;

  /** The weights as blocks of MR output channels, tap-major within a block, zero-padded. */
  private static float[] pack(float[] w, ConvDims d) {
    int m = d.outChannels;
    int k = d.kRows;
    int blocks = (m + MR - 1) / MR;
    float[] p = Scratch.take(blocks * k * MR);
    for (int b = 0; b < blocks; b++) {
      for (int t = 0; t < k; t++) {
        for (int r = 0; r < MR; r++) {
          int o = b * MR + r;
          p[(b * k + t) * MR + r] = o < m ? w[o * k + t] : 0f;
        }
      }
    }
    return p;
  }

  /** f over output rows [r0, r1) of every channel of sample n. */
  private static void activate(Activation f, float alpha, float beta, float[] y, ConvDims d, int n,
      int r0, int r1) {
    if (f == null) {
      return;
    }
    int outW = d.win.outW;
    for (int o = 0; o < d.outChannels; o++) {
      int row = (n * d.outChannels + o) * d.outS;
      Elementwise.activation(f, y, alpha, beta, y, row + r0 * outW, row + r1 * outW, true);
    }
  }

  /** Output rows [r0, r1) of sample n, every channel, from the sample's phase planes. */
  private static void rows(float[] planes, float[] packed, float[] bias, boolean relu, ConvDims d,
      Layout lay, float[] y, int n, int r0, int r1) {
    rows(planes, packed, bias, relu, d, lay, y, n, r0, r1, 0, d.outChannels);
  }

  /**
   * Output rows [r0, r1) of channels [c0, c1) of sample n (c0 a multiple of {@value #MR}), from
   * the sample's phase planes.
   */
  private static void rows(float[] planes, float[] packed, float[] bias, boolean relu, ConvDims d,
      Layout lay, float[] y, int n, int r0, int r1, int c0, int c1) {
    int m = d.outChannels;
    int k = d.kRows;
    int outW = d.win.outW;
    int[] taps = lay.taps;
    // a block of channels over all rows, then the next: each pass writes four planes in order
    for (int m0 = c0; m0 < c1; m0 += MR) {
      for (int oh = r0; oh < r1; oh++) {
        int aBase = m0 * k;
        float b0 = bias == null ? 0f : bias[m0];
        float b1 = bias == null || m0 + 1 >= m ? 0f : bias[m0 + 1];
        float b2 = bias == null || m0 + 2 >= m ? 0f : bias[m0 + 2];
        float b3 = bias == null || m0 + 3 >= m ? 0f : bias[m0 + 3];
        // rows past the last channel go to row 0 of this tile's first channel and are written
        // first, so the real row 0 overwrites them
        int y0 = ((n * m + m0) * d.outS) + oh * outW;
        int y1 = m0 + 1 < m ? y0 + d.outS : y0;
        int y2 = m0 + 2 < m ? y0 + 2 * d.outS : y0;
        int y3 = m0 + 3 < m ? y0 + 3 * d.outS : y0;
        for (int ow = 0; ow < outW; ow += NR) {
          int base = oh * lay.pp().wh + ow;
          FloatVector c00 = FloatVector.zero(S);
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
          for (int t = 0, a = aBase; t < k; t++, a += MR) {
            int bi = base + taps[t];
            FloatVector v0 = FloatVector.fromArray(S, planes, bi);
            FloatVector v1 = FloatVector.fromArray(S, planes, bi + L);
            FloatVector v2 = FloatVector.fromArray(S, planes, bi + 2 * L);
            FloatVector av = FloatVector.broadcast(S, packed[a]);
            c00 = v0.fma(av, c00);
            c01 = v1.fma(av, c01);
            c02 = v2.fma(av, c02);
            av = FloatVector.broadcast(S, packed[a + 1]);
            c10 = v0.fma(av, c10);
            c11 = v1.fma(av, c11);
            c12 = v2.fma(av, c12);
            av = FloatVector.broadcast(S, packed[a + 2]);
            c20 = v0.fma(av, c20);
            c21 = v1.fma(av, c21);
            c22 = v2.fma(av, c22);
            av = FloatVector.broadcast(S, packed[a + 3]);
            c30 = v0.fma(av, c30);
            c31 = v1.fma(av, c31);
            c32 = v2.fma(av, c32);
          }
          // the bias last, as the unfolded product adds its sum to it; a ReLU in registers,
          // before the tile leaves them. The stores are written out here (a helper taking the
          // accumulators is what the JIT boxed); the tile's last vectors are masked to the row,
          // with masks from the table.
          c00 = c00.add(b0);
          c01 = c01.add(b0);
          c02 = c02.add(b0);
          c10 = c10.add(b1);
          c11 = c11.add(b1);
          c12 = c12.add(b1);
          c20 = c20.add(b2);
          c21 = c21.add(b2);
          c22 = c22.add(b2);
          c30 = c30.add(b3);
          c31 = c31.add(b3);
          c32 = c32.add(b3);
          if (relu) {
            FloatVector z = FloatVector.zero(S);
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
          VectorMask<Float> k0 = PhasePlanes.lanes(Math.max(0, Math.min(L, outW - ow)));
          VectorMask<Float> k1 = PhasePlanes.lanes(Math.max(0, Math.min(L, outW - ow - L)));
          VectorMask<Float> k2 = PhasePlanes.lanes(Math.max(0, Math.min(L, outW - ow - 2 * L)));
          c30.intoArray(y, y3 + ow, k0);
          c31.intoArray(y, y3 + ow + L, k1);
          c32.intoArray(y, y3 + ow + 2 * L, k2);
          c20.intoArray(y, y2 + ow, k0);
          c21.intoArray(y, y2 + ow + L, k1);
          c22.intoArray(y, y2 + ow + 2 * L, k2);
          c10.intoArray(y, y1 + ow, k0);
          c11.intoArray(y, y1 + ow + L, k1);
          c12.intoArray(y, y1 + ow + 2 * L, k2);
          c00.intoArray(y, y0 + ow, k0);
          c01.intoArray(y, y0 + ow + L, k1);
          c02.intoArray(y, y0 + ow + 2 * L, k2);
        }
      }
    }
  }

  /**
   * The phase planes of the channels of the sample whose input starts at xOff, into a buffer from
   * {@link #zeroed}: each channel writes only the elements inside its input, so the padding
   * stays zero from one sample to the next.
   */
  private static void phasePlanes(float[] x, int xOff, ConvDims d, Layout lay, float[] planes) {
    for (int c = 0; c < d.cg; c++) {
      lay.pp().fill(x, xOff + c * d.inS, planes, c * lay.channel());
    }
  }

  /** A thread's {@link Scratch} buffer of n zeros. */
  private static float[] zeroed(int n) {
    float[] b = Scratch.take(n);
    Arrays.fill(b, 0, n, 0f);
    return b;
  }
}
