package dev.jattr.kernels.cpu;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.Arithmetic;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float elementwise kernels on the Vector API: activations with their vector-Jacobian products,
 * arithmetic between a full operand and one broadcast along a [outer, mid, inner] view, and the
 * adjoint reduction of such a broadcast.
 *
 * <p>The broadcast view covers the common patterns: same shape (outer = inner = 1), a scalar
 * (mid = 1), a per-channel operand such as [1, C, 1, 1] against [N, C, H, W] (outer = N, mid =
 * C, inner = H·W) and a trailing row (inner = 1). Every kernel takes a {@code vector} switch; the
 * scalar path has the same semantics so that tests can compare both. Large calls split over the
 * common pool.
 */
public final class Elementwise {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Elements above which a call runs in parallel chunks. */
  private static final int PARALLEL_ELEMENTS = 1 << 17;

  private Elementwise() {}

  private static void split(int n, Par.RangeBody body) {
    int chunk = 1 << 14;
    Par.forRange((n + chunk - 1) / chunk, n >= PARALLEL_ELEMENTS && Par.threads() >= 2,
        (from, to) -> body.run(from * chunk, Math.min(n, to * chunk)));
  }

  // ------------------------------------------------------------------ activations

  /**
   * out[i] = f(x[i]) for i in [0, n).
   *
   * @param f the function
   * @param x input
   * @param a HardSigmoid's alpha (ignored otherwise)
   * @param b HardSigmoid's beta (ignored otherwise)
   * @param out output (may alias x)
   * @param n element count
   * @param vector whether to take the Vector API path
   */
  public static void activation(Activation f, float[] x, float a, float b, float[] out, int n,
      boolean vector) {
    split(n, (from, to) -> activation(f, x, a, b, out, from, to, vector));
  }

  /**
   * {@link #activation} over {@code [from, to)} on the calling thread (a fused epilogue's pass).
   * Each function has a loop of its own: with one loop switching on the function per vector, C2
   * left the vector operations unintrinsified (the Vector API's Java fallback, lane by lane), which
   * cost a fused convolution more than its product.
   */
  static void activation(Activation f, float[] x, float a, float b, float[] out, int from, int to,
      boolean vector) {
    int i = from;
    if (vector) {
      int bound = from + S.loopBound(to - from);
      switch (f) {
        case RELU -> relu(x, out, from, bound);
        case SIGMOID -> sigmoid(x, out, from, bound);
        case TANH -> tanh(x, out, from, bound);
        case HARD_SIGMOID -> hardSigmoid(x, a, b, out, from, bound);
        case HARD_SWISH -> hardSwish(x, a, b, out, from, bound);
        case SILU -> silu(x, out, from, bound);
        case CLIP -> clip(x, a, b, out, from, bound);
      }
      i = bound;
    }
    for (; i < to; i++) {
      out[i] = activationScalar(f, x[i], a, b);
    }
  }

  private static void relu(float[] x, float[] out, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      FloatVector.zero(S).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, i);
    }
  }

  private static void sigmoid(float[] x, float[] out, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      FloatVector e = v.abs().neg().lanewise(VectorOperators.EXP);
      FloatVector r = FloatVector.broadcast(S, 1f).div(e.add(1f));
      FloatVector sg = r.blend(e.mul(r), v.compare(VectorOperators.LT, 0f));
      sg.intoArray(out, i);
    }
  }

  private static void tanh(float[] x, float[] out, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector.fromArray(S, x, i).lanewise(VectorOperators.TANH).intoArray(out, i);
    }
  }

  private static void hardSigmoid(float[] x, float a, float b, float[] out, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector.fromArray(S, x, i).fma(a, b).max(0f).min(1f).intoArray(out, i);
    }
  }

  private static void hardSwish(float[] x, float a, float b, float[] out, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      v.mul(v.fma(a, b).max(0f).min(1f)).intoArray(out, i);
    }
  }

  private static void silu(float[] x, float[] out, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      FloatVector e = v.abs().neg().lanewise(VectorOperators.EXP);
      FloatVector r = FloatVector.broadcast(S, 1f).div(e.add(1f));
      FloatVector sg = r.blend(e.mul(r), v.compare(VectorOperators.LT, 0f));
      v.mul(sg).intoArray(out, i);
    }
  }

  private static void clip(float[] x, float a, float b, float[] out, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector.fromArray(S, x, i).max(a).min(b).intoArray(out, i);
    }
  }

  /**
   * σ(x) from e^−|x|, so that nothing overflows. The vector loops compute it the same way, written
   * out in each loop rather than in a helper taking and returning vectors: where the JIT declines
   * to inline such a helper, every vector crossing the call is allocated (see PackedGemm.tile).
   */
  private static float sigmoid(float x) {
    float e = (float) Math.exp(-Math.abs(x));
    float s = 1f / (1f + e);
    return x < 0 ? e * s : s;
  }

  private static float activationScalar(Activation f, float x, float a, float b) {
    return switch (f) {
      case RELU -> x > 0 ? x : 0f;
      case SIGMOID -> sigmoid(x);
      case TANH -> (float) Math.tanh(x);
      case HARD_SIGMOID -> Math.min(1f, Math.max(0f, Math.fma(x, a, b)));
      case HARD_SWISH -> x * Math.min(1f, Math.max(0f, Math.fma(x, a, b)));
      case SILU -> x * sigmoid(x);
      case CLIP -> Math.min(Math.max(x, a), b);
    };
  }

  /**
   * gx[i] = gy[i]·f′(x[i]) for i in [0, n), the derivative written with the input x or the
   * output y = f(x) as convenient (Sigmoid and Tanh read y, the others x). Clip passes the
   * gradient where α ≤ x ≤ β, bounds included.
   *
   * @param f the function
   * @param x input of the forward pass
   * @param y output of the forward pass
   * @param gy output gradient
   * @param a HardSigmoid's alpha (ignored otherwise)
   * @param b HardSigmoid's beta (ignored otherwise)
   * @param gx input gradient (may alias gy)
   * @param n element count
   * @param vector whether to take the Vector API path
   */
  public static void activationBackward(Activation f, float[] x, float[] y, float[] gy, float a,
      float b, float[] gx, int n, boolean vector) {
    split(n, (from, to) -> {
      int i = from;
      if (vector) {
        int bound = from + S.loopBound(to - from);
        switch (f) {
          case RELU -> reluBackward(x, gy, gx, from, bound);
          case SIGMOID -> sigmoidBackward(y, gy, gx, from, bound);
          case TANH -> tanhBackward(y, gy, gx, from, bound);
          case HARD_SIGMOID -> hardSigmoidBackward(x, gy, a, b, gx, from, bound);
          case HARD_SWISH -> hardSwishBackward(x, gy, a, b, gx, from, bound);
          case SILU -> siluBackward(x, gy, gx, from, bound);
          case CLIP -> clipBackward(x, gy, a, b, gx, from, bound);
        }
        i = bound;
      }
      for (; i < to; i++) {
        gx[i] = switch (f) {
          case RELU -> x[i] > 0 ? gy[i] : 0f;
          case SIGMOID -> gy[i] * (y[i] * (1f - y[i]));
          case TANH -> gy[i] * (1f - y[i] * y[i]);
          case HARD_SIGMOID -> {
            float z = Math.fma(x[i], a, b);
            yield z > 0 && z < 1 ? gy[i] * a : 0f;
          }
          case HARD_SWISH -> {
            float z = Math.fma(x[i], a, b);
            float slope = z > 0 && z < 1 ? x[i] * a : 0f;
            yield gy[i] * (Math.min(1f, Math.max(0f, z)) + slope);
          }
          case SILU -> {
            float sg = sigmoid(x[i]);
            yield gy[i] * (sg * (x[i] * (1f - sg) + 1f));
          }
          case CLIP -> x[i] >= a && x[i] <= b ? gy[i] : 0f;
        };
      }
    });
  }
  // one loop per function, as for the forward pass (a shared switch left C2 on the Java fallback)

  private static void reluBackward(float[] x, float[] gy, float[] gx, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector g = FloatVector.fromArray(S, gy, i);
      FloatVector.zero(S).blend(g, FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f)).intoArray(gx, i);
    }
  }

  private static void sigmoidBackward(float[] y, float[] gy, float[] gx, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, y, i);
      FloatVector.fromArray(S, gy, i).mul(v.mul(v.neg().add(1f))).intoArray(gx, i);
    }
  }

  private static void tanhBackward(float[] y, float[] gy, float[] gx, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, y, i);
      FloatVector.fromArray(S, gy, i).mul(v.mul(v).neg().add(1f)).intoArray(gx, i);
    }
  }

  private static void hardSigmoidBackward(float[] x, float[] gy, float a, float b, float[] gx, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector z = FloatVector.fromArray(S, x, i).fma(a, b);
      VectorMask<Float> inside = z.compare(VectorOperators.GT, 0f).and(z.compare(VectorOperators.LT, 1f));
      FloatVector.zero(S).blend(FloatVector.fromArray(S, gy, i).mul(a), inside).intoArray(gx, i);
    }
  }

  private static void hardSwishBackward(float[] x, float[] gy, float a, float b, float[] gx, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      FloatVector z = v.fma(a, b);
      VectorMask<Float> inside = z.compare(VectorOperators.GT, 0f).and(z.compare(VectorOperators.LT, 1f));
      FloatVector slope = FloatVector.zero(S).blend(v.mul(a), inside);
      FloatVector.fromArray(S, gy, i).mul(z.max(0f).min(1f).add(slope)).intoArray(gx, i);
    }
  }

  private static void siluBackward(float[] x, float[] gy, float[] gx, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      FloatVector e = v.abs().neg().lanewise(VectorOperators.EXP);
      FloatVector r = FloatVector.broadcast(S, 1f).div(e.add(1f));
      FloatVector sg = r.blend(e.mul(r), v.compare(VectorOperators.LT, 0f));
      FloatVector.fromArray(S, gy, i).mul(sg.mul(v.mul(sg.neg().add(1f)).add(1f))).intoArray(gx, i);
    }
  }

  private static void clipBackward(float[] x, float[] gy, float a, float b, float[] gx, int from, int bound) {
    for (int i = from; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      VectorMask<Float> inside = v.compare(VectorOperators.GE, a).and(v.compare(VectorOperators.LE, b));
      FloatVector.zero(S).blend(FloatVector.fromArray(S, gy, i), inside).intoArray(gx, i);
    }
  }


  // ------------------------------------------------------------------ broadcast arithmetic

  /**
   * out = op(full, small) (or op(small, full) when {@code smallFirst}), where {@code full} has
   * outer·mid·inner elements and {@code small} has mid, indexed by the middle coordinate.
   *
   * @param op the operation
   * @param full the operand of the output's shape
   * @param small the broadcast operand
   * @param smallFirst whether {@code small} is the left operand
   * @param outer outer extent
   * @param mid middle extent (the small operand's size)
   * @param inner inner extent
   * @param out output (may alias full)
   * @param vector whether to take the Vector API path
   */
  public static void arith(Arithmetic op, float[] full, float[] small, boolean smallFirst, int outer,
      int mid, int inner, float[] out, boolean vector) {
    int n = outer * mid * inner;
    if (full.length < n || small.length < mid || out.length < n) {
      throw new IllegalArgumentException("arrays shorter than the broadcast view " + outer + "×"
          + mid + "×" + inner);
    }
    if (mid == 1) {
      // a scalar operand: one pass over the whole array, in parallel chunks (as rows of one
      // element, a division of 51,200 channel sums by their count was 51,200 calls)
      split(n, (from, to) -> scalarOp(op, full, from, small[0], smallFirst, out, to - from, vector));
      return;
    }
    if (inner == 1 && outer == 1) {
      // operands of one shape: one pass in parallel chunks (as one row, it ran on one thread)
      split(n, (from, to) -> rowOp(op, full, from, small, from, smallFirst, out, to - from, vector));
      return;
    }
    if (inner == 1) {
      // rows of mid elements against the small row
      Par.forRange(outer, n >= PARALLEL_ELEMENTS && Par.threads() >= 2, (from, to) -> {
        for (int o = from; o < to; o++) {
          rowOp(op, full, o * mid, small, 0, smallFirst, out, mid, vector);
        }
      });
      return;
    }
    int planes = outer * mid;
    boolean commutes = op == Arithmetic.MUL || op == Arithmetic.ADD;
    Par.forRange(planes, n >= PARALLEL_ELEMENTS && Par.threads() >= 2, (from, to) -> {
      if (vector && commutes) {
        planes(op == Arithmetic.MUL, full, small, mid, inner, out, from, to);
        return;
      }
      for (int p = from; p < to; p++) {
        scalarOp(op, full, p * inner, small[p % mid], smallFirst, out, inner, vector);
      }
    });
  }

  /**
   * out = a·s or a + s on planes [from, to) of {@code inner} elements, s = small[p % mid] for
   * plane p (a per-channel scale or shift), each plane's last part in one masked vector rather
   * than a scalar loop: for planes of 49 elements (a squeeze-and-excitation scale on 7×7) the
   * scalar tail and its per-element dispatch took as long as the vectors.
   */
  private static void planes(boolean mul, float[] a, float[] small, int mid, int inner, float[] out, int from,
      int to) {
    int bound = S.loopBound(inner);
    VectorMask<Float> tail = PhasePlanes.lanes(inner - bound);
    for (int p = from; p < to; p++) {
      int off = p * inner;
      FloatVector s = FloatVector.broadcast(S, small[p % mid]);
      int i = 0;
      if (mul) {
        for (; i < bound; i += L) {
          FloatVector.fromArray(S, a, off + i).mul(s).intoArray(out, off + i);
        }
      } else {
        for (; i < bound; i += L) {
          FloatVector.fromArray(S, a, off + i).add(s).intoArray(out, off + i);
        }
      }
      if (i == inner) {
        continue;
      }
      if (off + i + L <= a.length && off + i + L <= out.length) {
        FloatVector v = FloatVector.fromArray(S, a, off + i, tail);
        (mul ? v.mul(s) : v.add(s)).intoArray(out, off + i, tail);
      } else {
        // a masked access reaching past the array checks lane by lane, outside the intrinsic
        float sv = small[p % mid];
        for (; i < inner; i++) {
          out[off + i] = mul ? a[off + i] * sv : a[off + i] + sv;
        }
      }
    }
  }

  /**
   * out = op(a, b) on n elements from {@code off} of a and out and from {@code bOff} of b ({@code swap}:
   * op(b, a)). The vector loop is chosen once per call, one per operation and order: a loop that
   * switched per vector ran the Vector API's Java fallback under C2.
   */
  private static void rowOp(Arithmetic op, float[] a, int off, float[] b, int bOff, boolean swap,
      float[] out, int n, boolean vector) {
    int i = 0;
    if (vector) {
      int bound = S.loopBound(n);
      switch (op) {
        case ADD -> {
          for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, off + i).add(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, off + i);
          }
        }
        case MUL -> {
          for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, off + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, off + i);
          }
        }
        case SUB -> {
          for (; i < bound; i += L) {
            FloatVector u = FloatVector.fromArray(S, a, off + i), v = FloatVector.fromArray(S, b, bOff + i);
            (swap ? v.sub(u) : u.sub(v)).intoArray(out, off + i);
          }
        }
        case DIV -> {
          for (; i < bound; i += L) {
            FloatVector u = FloatVector.fromArray(S, a, off + i), v = FloatVector.fromArray(S, b, bOff + i);
            (swap ? v.div(u) : u.div(v)).intoArray(out, off + i);
          }
        }
      }
    }
    for (; i < n; i++) {
      out[off + i] = swap ? apply(op, b[bOff + i], a[off + i]) : apply(op, a[off + i], b[bOff + i]);
    }
  }

  /** out = op(a, s) on n elements from {@code off} ({@code swap}: op(s, a)); one vector loop per operation, as {@link #rowOp}. */
  private static void scalarOp(Arithmetic op, float[] a, int off, float s, boolean swap, float[] out,
      int n, boolean vector) {
    int i = 0;
    if (vector) {
      int bound = S.loopBound(n);
      FloatVector v = FloatVector.broadcast(S, s);
      switch (op) {
        case ADD -> {
          for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, off + i).add(v).intoArray(out, off + i);
          }
        }
        case MUL -> {
          for (; i < bound; i += L) {
            FloatVector.fromArray(S, a, off + i).mul(v).intoArray(out, off + i);
          }
        }
        case SUB -> {
          for (; i < bound; i += L) {
            FloatVector u = FloatVector.fromArray(S, a, off + i);
            (swap ? v.sub(u) : u.sub(v)).intoArray(out, off + i);
          }
        }
        case DIV -> {
          for (; i < bound; i += L) {
            FloatVector u = FloatVector.fromArray(S, a, off + i);
            (swap ? v.div(u) : u.div(v)).intoArray(out, off + i);
          }
        }
      }
    }
    for (; i < n; i++) {
      out[off + i] = swap ? apply(op, s, a[off + i]) : apply(op, a[off + i], s);
    }
  }

  /**
   * out = full·scale[m] + shift[m] along the [outer, mid, inner] view (a per-channel affine map
   * such as inference-mode batch normalisation).
   *
   * @param full input of outer·mid·inner elements
   * @param scale mid multipliers
   * @param shift mid offsets
   * @param outer outer extent
   * @param mid middle extent
   * @param inner inner extent
   * @param out output (may alias full)
   * @param vector whether to take the Vector API path
   */
  public static void affine(float[] full, float[] scale, float[] shift, int outer, int mid,
      int inner, float[] out, boolean vector) {
    int n = outer * mid * inner;
    if (full.length < n || scale.length < mid || shift.length < mid || out.length < n) {
      throw new IllegalArgumentException("arrays shorter than the broadcast view " + outer + "×"
          + mid + "×" + inner);
    }
    int planes = outer * mid;
    Par.forRange(planes, n >= PARALLEL_ELEMENTS && Par.threads() >= 2, (from, to) -> {
      for (int p = from; p < to; p++) {
        float a = scale[p % mid];
        float b = shift[p % mid];
        int off = p * inner;
        int i = 0;
        if (vector) {
          int bound = S.loopBound(inner);
          for (; i < bound; i += L) {
            FloatVector.fromArray(S, full, off + i).fma(a, b).intoArray(out, off + i);
          }
        }
        for (; i < inner; i++) {
          out[off + i] = Math.fma(full[off + i], a, b);
        }
      }
    });
  }

  private static float apply(Arithmetic op, float u, float v) {
    return switch (op) {
      case ADD -> u + v;
      case SUB -> u - v;
      case MUL -> u * v;
      case DIV -> u / v;
    };
  }

  /**
   * out[m] = Σ over o and j of g[(o·mid + m)·inner + j]: the adjoint of broadcasting an operand
   * of mid elements along the [outer, mid, inner] view. Sums are accumulated in double.
   *
   * @param g the gradient of the broadcast shape
   * @param outer outer extent
   * @param mid middle extent
   * @param inner inner extent
   * @param out the reduced gradient (mid elements), overwritten
   * @param vector whether to take the Vector API path
   */
  public static void sumToMid(float[] g, int outer, int mid, int inner, float[] out,
      boolean vector) {
    toMid(g, null, outer, mid, inner, out, vector);
  }

  /**
   * out[m] = Σ over o and j of g[k]·y[k], k = (o·mid + m)·inner + j: the adjoint, with respect to
   * an operand of mid elements broadcast along the [outer, mid, inner] view, of its product with
   * y. Each run of inner products is summed as {@link VectorOps#dot} does, the runs in double.
   *
   * @param g the gradient of the broadcast shape
   * @param y the other factor, of the broadcast shape
   * @param outer outer extent
   * @param mid middle extent
   * @param inner inner extent
   * @param out the reduced gradient (mid elements), overwritten
   */
  static void productToMid(float[] g, float[] y, int outer, int mid, int inner, float[] out) {
    if (y.length < outer * mid * inner) {
      throw new IllegalArgumentException("second factor shorter than the broadcast view " + outer + "×"
          + mid + "×" + inner);
    }
    toMid(g, y, outer, mid, inner, out, true);
  }

  /** Sums of g (or of g·y where y is not null) onto the mid axis, in parallel over ranges of it. */
  private static void toMid(float[] g, float[] y, int outer, int mid, int inner, float[] out, boolean vector) {
    if (g.length < outer * mid * inner || out.length < mid) {
      throw new IllegalArgumentException("arrays shorter than the broadcast view " + outer + "×"
          + mid + "×" + inner);
    }
    // each output is one task's whole sum, so the threads do not change it
    Par.forRange(mid, Par.worthIt(mid, (long) outer * mid * inner), (from, to) -> {
      for (int m = from; m < to; m++) {
        double acc = 0.0;
        for (int o = 0; o < outer; o++) {
          int off = (o * mid + m) * inner;
          if (y != null) {
            acc += inner == 1 ? (double) g[off] * y[off] : VectorOps.dot(g, off, y, off, inner);
          } else if (inner == 1) {
            acc += g[off];
          } else {
            acc += vector ? VectorOps.sum(g, off, inner) : VectorOps.sumScalar(g, off, inner);
          }
        }
        out[m] = (float) acc;
      }
    });
  }
}
