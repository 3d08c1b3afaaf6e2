package dev.jattr.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * Compares a candidate {@link Backend} with a reference one, method by method: every method of
 * every kernel family runs on both backends with the same random inputs (drawn from a
 * {@link SplittableRandom} with a fixed seed), and their outputs are compared element by element.
 * It is meant for a new backend (a GPU one, say) checked against the CPU backend in one short
 * run; each case is small, and the whole comparison takes about a second on the CPU.
 *
 * <p>How a case is judged:
 *
 * <ul>
 *   <li>Each backend gets its own copies of the case's arrays. Outputs of methods that overwrite
 *       start as NaN (int outputs as {@link Integer#MIN_VALUE}), so an element left unwritten
 *       shows; outputs of methods that add into them (an accumulating product, the max-pool
 *       gradient, scatter-add) start as the same non-trivial values in both runs. Output arrays
 *       are longer than the region written, and offsets leave gaps, so that a write outside the
 *       region shows as well.
 *   <li>Two elements agree when they are equal (infinities of the same sign, and zeros of either
 *       sign, included) or both NaN; otherwise the error is their absolute difference, infinite
 *       when only one is finite. A case passes when no element's error exceeds the tolerance:
 *       {@code rel · (1 + max |reference output|)}, where {@code rel} grows with the square root
 *       of the number of terms k summed into an output element: {@code 1e-5·√k} for float sums
 *       (products, convolutions, average pooling, sums along an axis), {@code 1e-12·√k} for
 *       double ones, {@code 2e-6} for one float function evaluation (activations, arithmetic,
 *       affine; times √(axis length) for softmax, √(repeats) for scatter-add and the max-pool
 *       gradient). Selections and data movement (max pooling, argmax, gather, copy, cast) and int
 *       outputs must match exactly.
 *   <li>A case also fails when either backend throws (the exception is the detail), or changes
 *       an array it was only given to read.
 * </ul>
 *
 * <p>The reference backend is trusted; it is called the same way as the candidate, and a few
 * inputs (the winners the max-pool gradient scatters by) are taken from it.
 */
public final class BackendComparison {
  /** Relative error of a float sum, per square root of its number of terms. */
  private static final double FLOAT_SUM = 1e-5;
  /** Relative error of a double sum, per square root of its number of terms. */
  private static final double DOUBLE_SUM = 1e-12;
  /** Relative error of one float function evaluation (a few ulps of a transcendental). */
  private static final double FLOAT_ELEMENT = 2e-6;
  /** Relative error of one double function evaluation. */
  private static final double DOUBLE_ELEMENT = 1e-13;
  /** Elements past the end of every output region, to catch writes beyond it. */
  private static final int TAIL = 3;
  /** What an unwritten int output holds. */
  private static final int UNWRITTEN = Integer.MIN_VALUE;

  private final Backend reference;
  private final Backend candidate;
  private final SplittableRandom random;
  private final List<Check> checks = new ArrayList<>();

  private BackendComparison(Backend reference, Backend candidate, long seed) {
    this.reference = reference;
    this.candidate = candidate;
    this.random = new SplittableRandom(seed);
  }

  /**
   * The outcome of one case: one call of one kernel method on both backends.
   *
   * @param family the kernel family, named like its {@link Backend} accessor ({@code gemm},
   *     {@code conv}, {@code pool}, {@code elementwise}, {@code reduce}, {@code index},
   *     {@code copy})
   * @param method the Java name of the method called (overloads share it; the case starts with
   *     the precision, {@code float} or {@code double})
   * @param kase the case: precision, shapes and options
   * @param maxAbsError the largest elementwise error over the outputs; infinite where one
   *     backend wrote a non-finite value the other did not, or threw
   * @param tolerance the largest error allowed for the float and double outputs (int outputs
   *     must match exactly)
   * @param passed whether every element is within the tolerance, nothing threw and no input
   *     changed
   * @param detail the worst element (or {@code exact}), how many elements are off, or what went
   *     wrong
   */
  public record Check(String family, String method, String kase, double maxAbsError, double tolerance,
      boolean passed, String detail) {}

  /**
   * Runs every method of every kernel family of both backends on the same inputs and compares
   * the outputs.
   *
   * @param reference the trusted backend
   * @param candidate the backend under test
   * @param seed the seed of the random inputs
   * @return one check per case, in the order run: gemm, conv, pool, elementwise, reduce, index,
   *     copy
   */
  public static List<Check> run(Backend reference, Backend candidate, long seed) {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(candidate, "candidate");
    BackendComparison c = new BackendComparison(reference, candidate, seed);
    c.gemm();
    c.conv();
    c.pool();
    c.elementwise();
    c.reduce();
    c.index();
    c.copy();
    return List.copyOf(c.checks);
  }

  /**
   * The checks as a table for people: one line per check (family, method, case, max error,
   * tolerance, PASS or FAIL, and for a failure its detail) and a final count line.
   *
   * @param checks the checks, as {@link #run} returned them
   * @return the table, lines ending in a newline
   */
  public static String table(List<Check> checks) {
    int wf = "family".length();
    int wm = "method".length();
    int wk = "case".length();
    for (Check c : checks) {
      wf = Math.max(wf, c.family().length());
      wm = Math.max(wm, c.method().length());
      wk = Math.max(wk, c.kase().length());
    }
    String row = "%-" + wf + "s  %-" + wm + "s  %-" + wk + "s  %10s  %10s  %s%n";
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, row, "family", "method", "case", "max error", "tolerance", "result"));
    int failed = 0;
    for (Check c : checks) {
      String result = c.passed() ? "PASS" : "FAIL  " + c.detail();
      if (!c.passed()) {
        failed++;
      }
      sb.append(String.format(Locale.ROOT, row, c.family(), c.method(), c.kase(), number(c.maxAbsError()),
          number(c.tolerance()), result));
    }
    sb.append(String.format(Locale.ROOT, "%d checks: %d passed, %d failed%n", checks.size(),
        checks.size() - failed, failed));
    return sb.toString();
  }

  private static String number(double v) {
    if (v == 0) {
      return "0";
    }
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3e", v) : Double.toString(v);
  }

  // ================================================================== gemm

  private void gemm() {
    // (50, 1024, 10: a classifier's last layer at batch 50, few outputs over a long k)
    int[][] sizes = {{1, 1, 1}, {7, 65, 1}, {1, 7, 130}, {65, 130, 7}, {130, 7, 65}, {7, 1, 7}, {50, 1024, 10}};
    int variant = 0;
    for (int[] s : sizes) {
      for (int t = 0; t < 4; t++) {
        for (boolean acc : new boolean[] {false, true}) {
          for (boolean dbl : new boolean[] {false, true}) {
            gemmCase(dbl, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, acc, variant++ % 3 != 0);
          }
        }
      }
    }
    for (boolean acc : new boolean[] {false, true}) {
      for (boolean dbl : new boolean[] {false, true}) {
        gemmCase(dbl, 3, 0, 5, false, false, acc, true);
      }
    }
    for (boolean dbl : new boolean[] {false, true}) {
      // Distinct outputs with gaps between them, one B shared by every product.
      gemmBatch(dbl, 5, 33, 7, false, true, false, new int[] {0, 1, 2, 3}, new int[] {0, 0, 0, 0},
          new int[] {0, 1, 2, 3}, "distinct outputs, shared B");
      // Several products summing into one output (the gradient of a broadcast operand).
      gemmBatch(dbl, 7, 20, 9, true, false, true, new int[] {0, 1, 2, 3, 4, 5}, new int[] {5, 4, 3, 2, 1, 0},
          new int[] {0, 1, 0, 1, 0, 2}, "outputs 0,1,0,1,0,2 shared");
      gemmBatch(dbl, 1, 130, 65, true, true, true, new int[] {2, 0, 1}, new int[] {0, 1, 2}, new int[] {1, 2, 0},
          "distinct outputs");
    }
  }

  private static String product(boolean ta, boolean tb) {
    return (ta ? "A^T" : "A") + "*" + (tb ? "B^T" : "B");
  }

  private void gemmCase(boolean dbl, int m, int k, int n, boolean ta, boolean tb, boolean acc, boolean offsets) {
    int aOff = offsets ? 1 + random.nextInt(7) : 0;
    int bOff = offsets ? 1 + random.nextInt(7) : 0;
    int cOff = offsets ? 1 + random.nextInt(7) : 0;
    String kase = String.format(Locale.ROOT, "%s m=%d k=%d n=%d %s %s off a%d b%d c%d", prec(dbl), m, k, n,
        product(ta, tb), acc ? "accumulate" : "overwrite", aOff, bOff, cOff);
    int cLength = cOff + m * n + TAIL;
    compare("gemm", "multiply", kase)
        .in("a", uniform(dbl, aOff + m * k + TAIL, -1, 1))
        .in("b", uniform(dbl, bOff + k * n + TAIL, -1, 1))
        .out("c", acc ? garbage(dbl, cLength) : unwritten(dbl, cLength))
        .tol(sum(dbl, k))
        .run((b, x) -> {
          if (dbl) {
            b.gemm().multiply(x.d("a"), aOff, ta, x.d("b"), bOff, tb, x.d("c"), cOff, m, k, n, acc);
          } else {
            b.gemm().multiply(x.f("a"), aOff, ta, x.f("b"), bOff, tb, x.f("c"), cOff, m, k, n, acc);
          }
        });
  }

  /** A batch; slots say which matrix of a packed run (with gaps) each product reads or writes. */
  private void gemmBatch(boolean dbl, int m, int k, int n, boolean ta, boolean tb, boolean acc, int[] aSlots,
      int[] bSlots, int[] cSlots, String what) {
    int[] aOffsets = slots(aSlots, m * k, 2, 1);
    int[] bOffsets = slots(bSlots, k * n, 1, 3);
    int[] cOffsets = slots(cSlots, m * n, 2, 2);
    int maxShare = 0;
    for (int s : cSlots) {
      int share = 0;
      for (int t : cSlots) {
        share += t == s ? 1 : 0;
      }
      maxShare = Math.max(maxShare, share);
    }
    int cLength = end(cOffsets, m * n) + TAIL;
    String kase = String.format(Locale.ROOT, "%s batch %d m=%d k=%d n=%d %s %s %s", prec(dbl), cSlots.length, m, k,
        n, product(ta, tb), acc ? "accumulate" : "overwrite", what);
    compare("gemm", "multiplyBatched", kase)
        .in("a", uniform(dbl, end(aOffsets, m * k) + TAIL, -1, 1))
        .in("b", uniform(dbl, end(bOffsets, k * n) + TAIL, -1, 1))
        .out("c", acc ? garbage(dbl, cLength) : unwritten(dbl, cLength))
        .tol(sum(dbl, k * maxShare))
        .run((b, x) -> {
          if (dbl) {
            b.gemm().multiplyBatched(x.d("a"), aOffsets, ta, x.d("b"), bOffsets, tb, x.d("c"), cOffsets, m, k, n,
                acc);
          } else {
            b.gemm().multiplyBatched(x.f("a"), aOffsets, ta, x.f("b"), bOffsets, tb, x.f("c"), cOffsets, m, k, n,
                acc);
          }
        });
  }

  private static int[] slots(int[] slots, int size, int gap, int first) {
    int[] offsets = new int[slots.length];
    for (int i = 0; i < slots.length; i++) {
      offsets[i] = first + slots[i] * (size + gap);
    }
    return offsets;
  }

  private static int end(int[] offsets, int size) {
    int e = 0;
    for (int o : offsets) {
      e = Math.max(e, o + size);
    }
    return e;
  }

  // ================================================================== conv

  /** A convolution: input and weight shapes, groups, window, and whether a bias is added. */
  private record ConvShape(int[] x, int[] w, int group, WindowGeometry g, boolean bias) {
    int[] y() {
      int r = g.rank();
      int[] y = new int[r + 2];
      y[0] = x[0];
      y[1] = w[0];
      for (int d = 0; d < r; d++) {
        y[d + 2] = g.outputSize(d, x[d + 2], false);
        if (y[d + 2] < 1) {
          throw new IllegalStateException("empty convolution output " + Arrays.toString(y));
        }
      }
      return y;
    }

    /** Terms summed into one output: input channels per group times the window. */
    int forwardTerms() {
      return w[1] * prod(g.kernel());
    }

    /** Terms summed into one input gradient element, at most. */
    int dataTerms() {
      return (w[0] / group) * prod(g.kernel());
    }

    /** Terms summed into one weight gradient element. */
    int weightTerms() {
      int[] y = y();
      return y[0] * prod(Arrays.copyOfRange(y, 2, y.length));
    }

    String describe() {
      String s = g.rank() + "d x" + dims(x) + " w" + dims(w) + " group " + group + (group == x[1] && group > 1
          ? " (depthwise)" : "") + " " + window(g);
      return bias ? s + " +bias" : s;
    }
  }

  private static ConvShape convShape(int[] x, int[] w, int group, int[] strides, int[] pads, int[] dilations,
      boolean bias) {
    int r = x.length - 2;
    return new ConvShape(x, w, group, new WindowGeometry(Arrays.copyOfRange(w, 2, 2 + r), strides, pads, dilations),
        bias);
  }

  private static List<ConvShape> convShapes() {
    return List.of(
        convShape(new int[] {2, 3, 11}, new int[] {4, 3, 3}, 1, new int[] {2}, new int[] {1, 2}, null, true),
        convShape(new int[] {1, 4, 13}, new int[] {4, 2, 2}, 2, null, new int[] {0, 1}, new int[] {3}, false),
        convShape(new int[] {2, 6, 9, 7}, new int[] {4, 3, 3, 3}, 2, new int[] {2, 2}, new int[] {1, 0, 1, 1},
            null, true),
        convShape(new int[] {1, 3, 8, 8}, new int[] {5, 3, 3, 3}, 1, null, new int[] {1, 1, 1, 1}, null, false),
        convShape(new int[] {2, 5, 7, 9}, new int[] {5, 1, 3, 3}, 5, new int[] {1, 2}, new int[] {1, 1, 2, 0},
            new int[] {2, 1}, true),
        convShape(new int[] {1, 4, 6, 6}, new int[] {8, 1, 3, 3}, 4, new int[] {2, 2}, new int[] {1, 1, 1, 1},
            null, false),
        convShape(new int[] {2, 8, 5, 6}, new int[] {6, 8, 1, 1}, 1, null, null, null, true),
        convShape(new int[] {1, 2, 3, 3}, new int[] {3, 2, 3, 3}, 1, null, new int[] {2, 2, 2, 2},
            new int[] {2, 2}, true),
        convShape(new int[] {1, 2, 9, 9}, new int[] {2, 2, 2, 2}, 1, new int[] {3, 3}, new int[] {0, 0, 1, 1},
            null, false),
        convShape(new int[] {1, 4, 5, 6, 7}, new int[] {6, 2, 3, 2, 3}, 2, new int[] {1, 2, 1},
            new int[] {1, 0, 0, 1, 1, 2}, new int[] {1, 1, 2}, true),
        convShape(new int[] {2, 3, 4, 5, 5}, new int[] {3, 1, 2, 3, 3}, 3, new int[] {2, 2, 2},
            new int[] {0, 1, 1, 1, 1, 0}, null, false),
        // products of several tiles (a GPU's implicit GEMM: 64 rows and columns, k in slabs of 16),
        // with padding, strides, dilations, groups, and 1-d and 3-d windows
        convShape(new int[] {2, 20, 13, 11}, new int[] {70, 20, 3, 3}, 1, new int[] {1, 2}, new int[] {1, 0, 2, 1},
            new int[] {2, 1}, true),
        convShape(new int[] {3, 12, 9, 10}, new int[] {24, 4, 2, 3}, 3, new int[] {2, 1}, new int[] {0, 1, 1, 0},
            null, false),
        convShape(new int[] {1, 6, 5, 6, 7}, new int[] {9, 6, 2, 3, 2}, 1, new int[] {1, 1, 2},
            new int[] {1, 0, 1, 0, 1, 1}, new int[] {1, 2, 1}, true),
        convShape(new int[] {3, 40, 9, 9}, new int[] {33, 40, 1, 1}, 1, null, null, null, true),
        convShape(new int[] {2, 5, 30}, new int[] {12, 5, 4}, 1, new int[] {3}, new int[] {2, 1}, new int[] {2},
            false));
  }

  /** An activation with the α and β it is tested with. */
  private record Act(Activation f, float alpha, float beta) {
    String describe() {
      String name = f.name().toLowerCase(Locale.ROOT);
      return switch (f) {
        case HARD_SIGMOID, HARD_SWISH, CLIP -> name + "(" + alpha + "," + beta + ")";
        default -> name;
      };
    }
  }

  private static List<Act> convActivations() {
    return List.of(new Act(Activation.RELU, 0, 0), new Act(Activation.SIGMOID, 0, 0),
        new Act(Activation.TANH, 0, 0), new Act(Activation.HARD_SIGMOID, 0.2f, 0.5f),
        new Act(Activation.HARD_SWISH, 1f / 6, 0.5f), new Act(Activation.SILU, 0, 0),
        new Act(Activation.CLIP, -0.5f, 0.5f));
  }

  private void conv() {
    convForwardMaxPooled();
    for (ConvShape s : convShapes()) {
      for (boolean dbl : new boolean[] {false, true}) {
        convForward(s, dbl, null);
      }
      for (Act a : convActivations()) {
        convForward(s, false, a);
      }
      convForwardInto(s, null);
      convForwardInto(s, convActivations().getFirst());
      for (boolean dbl : new boolean[] {false, true}) {
        convBackwardData(s, dbl);
        convBackwardWeight(s, dbl);
      }
    }
  }

  private void convForward(ConvShape s, boolean dbl, Act act) {
    int[] y = s.y();
    String kase = prec(dbl) + " " + s.describe() + (act == null ? "" : " fused " + act.describe());
    compare("conv", "forward", kase)
        .in("x", uniform(dbl, size(s.x()), -1, 1))
        .in("w", uniform(dbl, size(s.w()), -1, 1))
        .in("bias", s.bias() ? uniform(dbl, s.w()[0], -1, 1) : null)
        .out("y", unwritten(dbl, size(y) + TAIL))
        .tol(sum(dbl, s.forwardTerms() + 1))
        .run((b, x) -> {
          if (dbl) {
            b.conv().forward(x.d("x"), s.x(), x.d("w"), s.w(), x.d("bias"), s.g(), s.group(), x.d("y"), y);
          } else if (act == null) {
            b.conv().forward(x.f("x"), s.x(), x.f("w"), s.w(), x.f("bias"), s.g(), s.group(), x.f("y"), y);
          } else {
            b.conv().forward(x.f("x"), s.x(), x.f("w"), s.w(), x.f("bias"), s.g(), s.group(), act.f(), act.alpha(),
                act.beta(), x.f("y"), y);
          }
        });
  }

  /**
   * The forward into channels [2, 2 + M) of an output of M + 3 channels: the output starts as
   * the same values in both runs, so a write outside the convolution's channels shows.
   */
  /**
   * The convolution with its ReLU pooled as it is made, on a stem (which the CPU pools sample by
   * sample) and on a convolution a backend may decline (then, as the graph does, the convolution
   * and the pooling one after the other).
   */
  private void convForwardMaxPooled() {
    WindowGeometry pool = new WindowGeometry(new int[] {3, 3}, new int[] {2, 2}, new int[] {0, 0, 0, 0}, null);
    Act relu = convActivations().getFirst();
    for (ConvShape s : List.of(
        convShape(new int[] {2, 3, 40, 40}, new int[] {16, 3, 3, 3}, 1, new int[] {2, 2}, new int[] {1, 1, 1, 1}, null, true),
        convShape(new int[] {1, 3, 8, 8}, new int[] {5, 3, 3, 3}, 1, null, new int[] {1, 1, 1, 1}, null, false))) {
      int[] y = s.y();
      int[] pooled = {y[0], y[1], (y[2] - 3) / 2 + 1, (y[3] - 3) / 2 + 1};
      compare("conv", "forwardMaxPooled", "f32 " + s.describe() + " fused relu, 3×3 max pooling stride 2")
          .in("x", uniform(false, size(s.x()), -1, 1))
          .in("w", uniform(false, size(s.w()), -1, 1))
          .in("bias", s.bias() ? uniform(false, s.w()[0], -1, 1) : null)
          .out("y", garbage(false, size(pooled) + TAIL))
          .tol(sum(false, s.forwardTerms() + 1))
          .run((b, x) -> {
            if (!b.conv().forwardMaxPooled(x.f("x"), s.x(), x.f("w"), s.w(), x.f("bias"), s.g(), s.group(), relu.f(),
                relu.alpha(), relu.beta(), y, pool, x.f("y"), pooled)) {
              float[] c = new float[size(y)];
              b.conv().forward(x.f("x"), s.x(), x.f("w"), s.w(), x.f("bias"), s.g(), s.group(), relu.f(), relu.alpha(),
                  relu.beta(), c, y);
              b.pool().maxForward(c, y, pool, x.f("y"), pooled, null);
            }
          });
    }
  }

  private void convForwardInto(ConvShape s, Act act) {
    int[] wide = s.y().clone();
    wide[1] += 3;
    String kase = "f32 " + s.describe() + (act == null ? "" : " fused " + act.describe()) + " into channels from 2 of "
        + wide[1];
    compare("conv", "forwardInto", kase)
        .in("x", uniform(false, size(s.x()), -1, 1))
        .in("w", uniform(false, size(s.w()), -1, 1))
        .in("bias", s.bias() ? uniform(false, s.w()[0], -1, 1) : null)
        .out("y", garbage(false, size(wide) + TAIL))
        .tol(sum(false, s.forwardTerms() + 1))
        .run((b, x) -> b.conv().forwardInto(x.f("x"), s.x(), x.f("w"), s.w(), x.f("bias"), s.g(), s.group(),
            act == null ? null : act.f(), act == null ? 0 : act.alpha(), act == null ? 0 : act.beta(), x.f("y"), wide,
            2));
  }

  private void convBackwardData(ConvShape s, boolean dbl) {
    int[] y = s.y();
    compare("conv", "backwardData", prec(dbl) + " " + s.describe().replace(" +bias", ""))
        .in("gy", uniform(dbl, size(y), -1, 1))
        .in("w", uniform(dbl, size(s.w()), -1, 1))
        .out("gx", unwritten(dbl, size(s.x()) + TAIL))
        .tol(sum(dbl, s.dataTerms()))
        .run((b, x) -> {
          if (dbl) {
            b.conv().backwardData(x.d("gy"), y, x.d("w"), s.w(), s.g(), s.group(), x.d("gx"), s.x());
          } else {
            b.conv().backwardData(x.f("gy"), y, x.f("w"), s.w(), s.g(), s.group(), x.f("gx"), s.x());
          }
        });
  }

  private void convBackwardWeight(ConvShape s, boolean dbl) {
    int[] y = s.y();
    compare("conv", "backwardWeight", prec(dbl) + " " + s.describe().replace(" +bias", ""))
        .in("gy", uniform(dbl, size(y), -1, 1))
        .in("x", uniform(dbl, size(s.x()), -1, 1))
        .out("gw", unwritten(dbl, size(s.w()) + TAIL))
        .tol(sum(dbl, s.weightTerms()))
        .run((b, x) -> {
          if (dbl) {
            b.conv().backwardWeight(x.d("gy"), y, x.d("x"), s.x(), s.g(), s.group(), x.d("gw"), s.w());
          } else {
            b.conv().backwardWeight(x.f("gy"), y, x.f("x"), s.x(), s.g(), s.group(), x.f("gw"), s.w());
          }
        });
  }

  // ================================================================== pool

  /** A pooling: input shape, window, and whether the output extents are rounded up (ceil mode). */
  private record PoolShape(int[] x, WindowGeometry g, boolean ceil) {
    int[] y() {
      int[] y = x.clone();
      for (int d = 0; d < g.rank(); d++) {
        y[d + 2] = g.outputSize(d, x[d + 2], ceil);
        if (y[d + 2] < 1) {
          throw new IllegalStateException("empty pooling output " + Arrays.toString(y));
        }
      }
      return y;
    }

    String describe() {
      return g.rank() + "d x" + dims(x) + " kernel " + csv(g.kernel()) + " " + window(g) + (ceil ? " ceil" : "");
    }
  }

  private static PoolShape poolShape(int[] x, int[] kernel, int[] strides, int[] pads, int[] dilations,
      boolean ceil) {
    return new PoolShape(x, new WindowGeometry(kernel, strides, pads, dilations), ceil);
  }

  private void pool() {
    // Max pooling: shape, ties (few distinct values, ±0 among them), NaNs planted, overlapping
    // windows (then the gradient is checked too), and a note for the case's name.
    record MaxCase(PoolShape s, boolean ties, int nans, boolean overlapping, String note) {}
    List<MaxCase> maxCases = List.of(
        new MaxCase(poolShape(new int[] {2, 3, 7, 8}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1, 1, 1},
            null, false), true, 3, true, ""),
        new MaxCase(poolShape(new int[] {2, 2, 8, 8}, new int[] {2, 2}, new int[] {2, 2}, null, null, false), false,
            1, false, ""),
        new MaxCase(poolShape(new int[] {2, 3, 10}, new int[] {3}, null, new int[] {2, 1}, new int[] {2}, false),
            true, 1, true, ""),
        new MaxCase(poolShape(new int[] {1, 2, 4, 5, 6}, new int[] {2, 3, 2}, new int[] {1, 2, 2},
            new int[] {0, 1, 1, 1, 0, 1}, new int[] {1, 1, 2}, false), false, 1, true, ""),
        new MaxCase(poolShape(new int[] {1, 2, 5}, new int[] {2}, null, new int[] {2, 0}, null, false), false, 0,
            false, " first window padding only"),
        new MaxCase(poolShape(new int[] {1, 2, 6, 6}, new int[] {3, 3}, new int[] {2, 2}, null, null, true), true, 1,
            true, " last windows past the input"),
        new MaxCase(poolShape(new int[] {1, 2, 5, 6}, new int[] {2, 3}, null, new int[] {1, 0, 0, 1}, null, false),
            true, 1, true, ""));
    for (MaxCase c : maxCases) {
      for (boolean dbl : new boolean[] {false, true}) {
        Object x = c.ties() ? ties(dbl, size(c.s().x())) : uniform(dbl, size(c.s().x()), -1, 1);
        plantNaNs(x, c.nans());
        String kase = prec(dbl) + " " + c.s().describe() + (c.ties() ? " ties" : "")
            + (c.nans() > 0 ? " " + c.nans() + " NaN" : "") + c.note();
        maxForward(c.s(), dbl, x, kase, true);
        maxForward(c.s(), dbl, x, kase + " argmax null", false);
        if (c.overlapping()) {
          maxBackward(c.s(), dbl, x, kase + " (winners of the reference)");
        }
      }
    }
    for (boolean dbl : new boolean[] {false, true}) {
      maxBackwardCrowded(dbl);
    }
    List<PoolShape> averageCases = List.of(
        poolShape(new int[] {2, 3, 7, 8}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 0, 2, 1}, null, false),
        poolShape(new int[] {2, 2, 9}, new int[] {4}, new int[] {3}, new int[] {2, 1}, null, false),
        poolShape(new int[] {1, 2, 5, 4, 6}, new int[] {2, 2, 3}, new int[] {2, 1, 2}, new int[] {1, 0, 1, 0, 1, 1},
            null, false),
        poolShape(new int[] {1, 2, 6, 7}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1, 1, 1}, null, true),
        poolShape(new int[] {1, 2, 8, 8}, new int[] {2, 2}, null, new int[] {1, 1, 0, 0}, new int[] {2, 2}, false));
    for (PoolShape s : averageCases) {
      for (boolean includePad : new boolean[] {true, false}) {
        for (boolean dbl : new boolean[] {false, true}) {
          averageForward(s, includePad, dbl);
          averageBackward(s, includePad, dbl);
        }
      }
    }
  }

  /** Values from a few levels (−1, −0, 0, ½, 1), so that windows hold ties. */
  private Object ties(boolean dbl, int n) {
    double[] levels = {-1, -0.0, 0, 0.5, 1};
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = levels[random.nextInt(levels.length)];
    }
    return precision(dbl, v);
  }

  /** NaNs at random positions, the first two of them adjacent (so that one window may hold both). */
  private void plantNaNs(Object x, int count) {
    int n = java.lang.reflect.Array.getLength(x);
    int first = random.nextInt(n - 1);
    for (int i = 0; i < count; i++) {
      int at = i == 0 ? first : i == 1 ? first + 1 : random.nextInt(n);
      if (x instanceof float[] f) {
        f[at] = Float.NaN;
      } else {
        ((double[]) x)[at] = Double.NaN;
      }
    }
  }

  private void maxForward(PoolShape s, boolean dbl, Object x, String kase, boolean winners) {
    int[] y = s.y();
    compare("pool", "maxForward", kase)
        .in("x", x)
        .out("y", unwritten(dbl, size(y) + TAIL))
        .out("argmax", winners ? unwrittenInts(size(y) + TAIL) : null)
        .tol(0)
        .run((b, a) -> {
          if (dbl) {
            b.pool().maxForward(a.d("x"), s.x(), s.g(), a.d("y"), y, a.i("argmax"));
          } else {
            b.pool().maxForward(a.f("x"), s.x(), s.g(), a.f("y"), y, a.i("argmax"));
          }
        });
  }

  private void maxBackward(PoolShape s, boolean dbl, Object x, String kase) {
    int[] y = s.y();
    int[] argmax = new int[size(y)];
    String failure = attempt(() -> {
      if (dbl) {
        reference.pool().maxForward(((double[]) x).clone(), s.x(), s.g(), new double[size(y)], y, argmax);
      } else {
        reference.pool().maxForward(((float[]) x).clone(), s.x(), s.g(), new float[size(y)], y, argmax);
      }
    });
    if (failure != null) {
      checks.add(new Check("pool", "maxBackward", kase, Double.POSITIVE_INFINITY, 0, false,
          "reference maxForward threw " + failure));
      return;
    }
    maxBackward(dbl, argmax, size(s.x()), kase);
  }

  /** Many outputs scattering into a few inputs, and windows without a winner (−1). */
  private void maxBackwardCrowded(boolean dbl) {
    int[] argmax = new int[64];
    int[] targets = {-1, 0, 3, 3, 3, 7, 9, 9};
    for (int i = 0; i < argmax.length; i++) {
      argmax[i] = targets[random.nextInt(targets.length)];
    }
    maxBackward(dbl, argmax, 10, prec(dbl) + " 64 winners into 10 inputs, repeats and -1");
  }

  private void maxBackward(boolean dbl, int[] argmax, int xSize, String kase) {
    int[] hits = new int[xSize];
    int maxHits = 1;
    for (int i : argmax) {
      if (i >= 0) {
        maxHits = Math.max(maxHits, ++hits[i]);
      }
    }
    compare("pool", "maxBackward", kase)
        .in("gy", uniform(dbl, argmax.length, -1, 1))
        .in("argmax", argmax)
        .out("gx", garbage(dbl, xSize + TAIL))
        .tol((dbl ? DOUBLE_ELEMENT : FLOAT_ELEMENT) * Math.sqrt(maxHits))
        .run((b, a) -> {
          if (dbl) {
            b.pool().maxBackward(a.d("gy"), a.i("argmax"), a.d("gx"));
          } else {
            b.pool().maxBackward(a.f("gy"), a.i("argmax"), a.f("gx"));
          }
        });
  }

  private void averageForward(PoolShape s, boolean includePad, boolean dbl) {
    int[] y = s.y();
    String kase = prec(dbl) + " " + s.describe() + (includePad ? " countIncludePad" : " excludePad");
    compare("pool", "averageForward", kase)
        .in("x", uniform(dbl, size(s.x()), -1, 1))
        .out("y", unwritten(dbl, size(y) + TAIL))
        .tol(sum(dbl, prod(s.g().kernel())))
        .run((b, a) -> {
          if (dbl) {
            b.pool().averageForward(a.d("x"), s.x(), s.g(), includePad, a.d("y"), y);
          } else {
            b.pool().averageForward(a.f("x"), s.x(), s.g(), includePad, a.f("y"), y);
          }
        });
  }

  private void averageBackward(PoolShape s, boolean includePad, boolean dbl) {
    int[] y = s.y();
    String kase = prec(dbl) + " " + s.describe() + (includePad ? " countIncludePad" : " excludePad");
    compare("pool", "averageBackward", kase)
        .in("gy", uniform(dbl, size(y), -1, 1))
        .out("gx", unwritten(dbl, size(s.x()) + TAIL))
        .tol(sum(dbl, prod(s.g().kernel())))
        .run((b, a) -> {
          if (dbl) {
            b.pool().averageBackward(a.d("gy"), y, s.g(), includePad, a.d("gx"), s.x());
          } else {
            b.pool().averageBackward(a.f("gy"), y, s.g(), includePad, a.f("gx"), s.x());
          }
        });
  }

  // ================================================================== elementwise

  private void elementwise() {
    List<Act> acts = List.of(new Act(Activation.RELU, 0, 0), new Act(Activation.SIGMOID, 0, 0),
        new Act(Activation.TANH, 0, 0), new Act(Activation.HARD_SIGMOID, 1f / 6, 0.5f),
        new Act(Activation.HARD_SIGMOID, 0.2f, 0.5f), new Act(Activation.HARD_SWISH, 1f / 6, 0.5f),
        new Act(Activation.SILU, 0, 0), new Act(Activation.CLIP, -1f, 1.5f), new Act(Activation.CLIP, 0f, 6f));
    int n = 1031;
    for (Act a : acts) {
      float[] x = activationInput(a, n);
      float[] y = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        y[i] = (float) a.f().apply(x[i], a.alpha(), a.beta());
      }
      String what = "float " + a.describe() + " n=" + n;
      compare("elementwise", "unary", what)
          .in("x", x)
          .out("out", unwritten(false, n + TAIL))
          .tol(FLOAT_ELEMENT)
          .run((b, v) -> b.elementwise().unary(a.f(), v.f("x"), a.alpha(), a.beta(), v.f("out"), n));
      compare("elementwise", "unary", what + " in place")
          .out("x", x)
          .tol(FLOAT_ELEMENT)
          .run((b, v) -> b.elementwise().unary(a.f(), v.f("x"), a.alpha(), a.beta(), v.f("x"), n));
      float[] gy = (float[]) uniform(false, x.length, -2, 2);
      compare("elementwise", "unaryBackward", what)
          .in("x", x)
          .in("y", y)
          .in("gy", gy)
          .out("gx", unwritten(false, n + TAIL))
          .tol(FLOAT_ELEMENT)
          .run((b, v) -> b.elementwise().unaryBackward(a.f(), v.f("x"), v.f("y"), v.f("gy"), a.alpha(), a.beta(),
              v.f("gx"), n));
      compare("elementwise", "unaryBackward", what + " in place (gx = gy)")
          .in("x", x)
          .in("y", y)
          .out("gy", gy)
          .tol(FLOAT_ELEMENT)
          .run((b, v) -> b.elementwise().unaryBackward(a.f(), v.f("x"), v.f("y"), v.f("gy"), a.alpha(), a.beta(),
              v.f("gy"), n));
    }
    List<AxisView> views = List.of(new AxisView(103, 1, 1), new AxisView(2, 5, 13), new AxisView(6, 17, 1),
        new AxisView(1, 101, 1), new AxisView(3, 1, 40));
    List<String> names = List.of("scalar", "per-channel", "trailing row", "same shape", "scalar over planes");
    for (Arithmetic op : Arithmetic.values()) {
      for (int i = 0; i < views.size(); i++) {
        for (boolean smallFirst : new boolean[] {false, true}) {
          binary(op, views.get(i), names.get(i), smallFirst, false);
        }
      }
      binary(op, views.get(1), names.get(1), false, true);
      binary(op, views.get(1), names.get(1), true, true);
    }
    for (int i = 0; i < views.size(); i++) {
      affine(views.get(i), names.get(i), false);
    }
    affine(views.get(1), names.get(1), true);
  }

  /**
   * Random values in [−8, 8] and, at the front and in the last elements (the vector body and the
   * scalar tail of a SIMD loop), the edge cases: ±0, the corners of HardSigmoid (where αx + β is 0
   * or 1), the bounds of Clip, and values where sigmoid and tanh saturate. Past n, a few more.
   */
  private float[] activationInput(Act a, int n) {
    float[] specials = {0f, -0f, 3f, -3f, 2.5f, -2.5f, a.alpha(), a.beta(), 1e-3f, -1e-3f, 0.5f, -0.5f, 6f, -6f,
        20f, -20f, 100f, -100f, Math.nextUp(a.beta()), Math.nextDown(a.alpha()), 0f, 0f};
    if (a.alpha() != 0 && (a.f() == Activation.HARD_SIGMOID || a.f() == Activation.HARD_SWISH)) {
      specials[20] = -a.beta() / a.alpha();
      specials[21] = (1 - a.beta()) / a.alpha();
    }
    float[] x = (float[]) uniform(false, n + TAIL, -8, 8);
    System.arraycopy(specials, 0, x, 0, specials.length);
    System.arraycopy(specials, 0, x, n - specials.length, specials.length);
    return x;
  }

  /** Values of magnitude in [¼, 4] with random signs: no division by (nearly) zero. */
  private Object awayFromZero(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      double m = Math.pow(2, random.nextDouble(-2, 2));
      v[i] = random.nextBoolean() ? m : -m;
    }
    return precision(false, v);
  }

  private void binary(Arithmetic op, AxisView v, String name, boolean smallFirst, boolean inPlace) {
    String kase = String.format(Locale.ROOT, "float %s %s [%d,%d,%d]%s%s", op.name().toLowerCase(Locale.ROOT),
        name, v.outer(), v.mid(), v.inner(), smallFirst ? " small first" : "", inPlace ? " in place" : "");
    Case c = compare("elementwise", "binary", kase).in("small", awayFromZero(v.mid())).tol(FLOAT_ELEMENT);
    if (inPlace) {
      c.out("full", awayFromZero(v.size()))
          .run((b, x) -> b.elementwise().binary(op, x.f("full"), x.f("small"), smallFirst, v, x.f("full")));
    } else {
      c.in("full", awayFromZero(v.size()))
          .out("out", unwritten(false, v.size() + TAIL))
          .run((b, x) -> b.elementwise().binary(op, x.f("full"), x.f("small"), smallFirst, v, x.f("out")));
    }
  }

  private void affine(AxisView v, String name, boolean inPlace) {
    String kase = String.format(Locale.ROOT, "float %s [%d,%d,%d]%s", name, v.outer(), v.mid(), v.inner(),
        inPlace ? " in place" : "");
    Case c = compare("elementwise", "affine", kase)
        .in("scale", uniform(false, v.mid(), -2, 2))
        .in("shift", uniform(false, v.mid(), -2, 2))
        .tol(FLOAT_ELEMENT);
    if (inPlace) {
      c.out("full", uniform(false, v.size(), -2, 2))
          .run((b, x) -> b.elementwise().affine(x.f("full"), x.f("scale"), x.f("shift"), v, x.f("full")));
    } else {
      c.in("full", uniform(false, v.size(), -2, 2))
          .out("out", unwritten(false, v.size() + TAIL))
          .run((b, x) -> b.elementwise().affine(x.f("full"), x.f("scale"), x.f("shift"), v, x.f("out")));
    }
  }

  // ================================================================== reduce

  private void reduce() {
    for (AxisView v : List.of(new AxisView(3, 50, 7), new AxisView(4, 130, 1), new AxisView(1, 1000, 1),
        new AxisView(5, 1, 3), new AxisView(2, 0, 3))) {
      for (boolean dbl : new boolean[] {false, true}) {
        compare("reduce", "sumOverAxis", prec(dbl) + " " + view(v))
            .in("x", uniform(dbl, v.size(), -1, 1))
            .out("out", unwritten(dbl, v.outer() * v.inner() + TAIL))
            .tol(sum(dbl, v.mid()))
            .run((b, x) -> {
              if (dbl) {
                b.reduce().sumOverAxis(x.d("x"), v, x.d("out"));
              } else {
                b.reduce().sumOverAxis(x.f("x"), v, x.f("out"));
              }
            });
      }
    }
    for (AxisView v : List.of(new AxisView(8, 5, 33), new AxisView(1, 7, 200), new AxisView(40, 3, 1),
        new AxisView(2, 1, 100))) {
      for (boolean dbl : new boolean[] {false, true}) {
        compare("reduce", "sumToAxis", prec(dbl) + " " + view(v))
            .in("x", uniform(dbl, v.size(), -1, 1))
            .out("out", unwritten(dbl, v.mid() + TAIL))
            .tol(sum(dbl, v.outer() * v.inner()))
            .run((b, x) -> {
              if (dbl) {
                b.reduce().sumToAxis(x.d("x"), v, x.d("out"));
              } else {
                b.reduce().sumToAxis(x.f("x"), v, x.f("out"));
              }
            });
      }
    }
    for (AxisView v : List.of(new AxisView(1, 40, 49), new AxisView(6, 5, 33), new AxisView(40, 3, 1),
        new AxisView(2, 1, 100))) {
      compare("reduce", "productToAxis", "float " + view(v))
          .in("x", uniform(false, v.size(), -1, 1))
          .in("y", uniform(false, v.size(), -2, 2))
          .out("out", unwritten(false, v.mid() + TAIL))
          .tol(sum(false, v.outer() * v.inner()))
          .run((b, x) -> b.reduce().productToAxis(x.f("x"), x.f("y"), v, x.f("out")));
    }
    for (boolean log : new boolean[] {false, true}) {
      for (boolean dbl : new boolean[] {false, true}) {
        softmax(new AxisView(3, 10, 1), dbl, log, -3, 3, false, false, "");
        softmax(new AxisView(2, 7, 5), dbl, log, -3, 3, false, false, "");
        softmax(new AxisView(1, 1, 4), dbl, log, -3, 3, false, false, "");
        softmax(new AxisView(2, 200, 3), dbl, log, -3, 3, false, false, "");
        softmax(new AxisView(4, 9, 1), dbl, log, 1000, 1030, false, false, " large logits in [1000,1030]");
        softmax(new AxisView(3, 6, 2), dbl, log, -3, 3, true, false, " some -inf");
        softmax(new AxisView(2, 7, 5), dbl, log, -3, 3, false, true, " in place");
      }
    }
  }

  private void softmax(AxisView v, boolean dbl, boolean log, double lo, double hi, boolean negativeInfinity,
      boolean inPlace, String what) {
    Object x = uniform(dbl, v.size(), lo, hi);
    if (negativeInfinity) {
      // One −∞ in each slice but the last, none of them all −∞.
      for (int o = 0; o < v.outer(); o++) {
        for (int i = 0; i < v.inner() - 1; i++) {
          int at = (o * v.mid() + random.nextInt(v.mid())) * v.inner() + i;
          if (dbl) {
            ((double[]) x)[at] = Double.NEGATIVE_INFINITY;
          } else {
            ((float[]) x)[at] = Float.NEGATIVE_INFINITY;
          }
        }
      }
    }
    String kase = prec(dbl) + (log ? " log " : " ") + view(v) + what;
    Case c = compare("reduce", "softmax", kase).tol((dbl ? DOUBLE_SUM : FLOAT_ELEMENT) * Math.sqrt(v.mid()));
    if (inPlace) {
      c.out("x", x).run((b, a) -> {
        if (dbl) {
          b.reduce().softmax(a.d("x"), v, log, a.d("x"));
        } else {
          b.reduce().softmax(a.f("x"), v, log, a.f("x"));
        }
      });
    } else {
      c.in("x", x).out("out", unwritten(dbl, v.size() + TAIL)).run((b, a) -> {
        if (dbl) {
          b.reduce().softmax(a.d("x"), v, log, a.d("out"));
        } else {
          b.reduce().softmax(a.f("x"), v, log, a.f("out"));
        }
      });
    }
  }

  // ================================================================== index

  private void index() {
    record IndexCase(AxisView v, int[] indices) {}
    List<IndexCase> cases = List.of(new IndexCase(new AxisView(3, 10, 4), new int[] {9, 0, 0, 3, 9, 5, 9}),
        new IndexCase(new AxisView(1, 7, 1), new int[] {6, 6, 6, 0}),
        new IndexCase(new AxisView(4, 6, 33), new int[] {2, 5, 0, 2}),
        new IndexCase(new AxisView(2, 5, 3), new int[0]));
    for (IndexCase c : cases) {
      AxisView v = c.v();
      int[] indices = c.indices();
      AxisView picked = v.withMid(indices.length);
      int repeats = 1;
      for (int j : indices) {
        int r = 0;
        for (int k : indices) {
          r += j == k ? 1 : 0;
        }
        repeats = Math.max(repeats, r);
      }
      String what = view(v) + " indices " + csv(indices) + (indices.length == 0 ? " (empty)" : "");
      for (boolean dbl : new boolean[] {false, true}) {
        compare("index", "gather", prec(dbl) + " " + what)
            .in("src", uniform(dbl, v.size(), -1, 1))
            .in("indices", indices)
            .out("out", unwritten(dbl, picked.size() + TAIL))
            .tol(0)
            .run((b, x) -> {
              if (dbl) {
                b.index().gather(x.d("src"), v, x.i("indices"), x.d("out"));
              } else {
                b.index().gather(x.f("src"), v, x.i("indices"), x.f("out"));
              }
            });
        if (indices.length == 0) {
          continue;
        }
        compare("index", "scatterAdd", prec(dbl) + " " + what)
            .in("src", uniform(dbl, picked.size(), -1, 1))
            .in("indices", indices)
            .out("out", garbage(dbl, v.size() + TAIL))
            .tol((dbl ? DOUBLE_ELEMENT : FLOAT_ELEMENT) * Math.sqrt(repeats))
            .run((b, x) -> {
              if (dbl) {
                b.index().scatterAdd(x.d("src"), x.i("indices"), v, x.d("out"));
              } else {
                b.index().scatterAdd(x.f("src"), x.i("indices"), v, x.f("out"));
              }
            });
      }
    }
  }

  // ================================================================== copy

  private void copy() {
    int[][][] cases = {
        {{}, {}},
        {{17}, {1}},
        {{9}, {-1}},
        {{6}, {0}},
        {{7, 5}, {1, 7}},
        {{4, 6}, {0, 1}},
        {{5, 3, 4}, {1, 20, 5}},
        {{2, 3, 4}, {30, -10, 2}},
        {{2, 3, 4, 5}, {60, 20, 5, 1}},
        {{2, 4, 5, 3}, {60, 5, 1, 20}},
        {{3, 2, 4, 5}, {0, -20, 5, -1}},
        {{3, 0, 2}, {2, 2, 1}}};
    String[] names = {"scalar", "contiguous", "reversed", "broadcast", "transpose", "broadcast rows", "permute",
        "step 2, middle reversed", "contiguous", "NCHW to NHWC", "broadcast, reversed, strided", "empty"};
    for (int i = 0; i < cases.length; i++) {
      for (boolean dbl : new boolean[] {false, true}) {
        stridedCopy(dbl, cases[i][0], cases[i][1], names[i]);
      }
    }
    // rows, length, source and destination row distance: into a Concat's slot, out of a Split's
    // part, rows longer than one thread's piece, and none
    int[][] blocks = {{3, 5, 7, 9}, {4, 6, 6, 15}, {5, 4, 12, 4}, {1, 40000, 40000, 40000}, {6, 20000, 20000, 41000},
        {0, 8, 8, 8}};
    for (int[] blk : blocks) {
      copyRows(blk[0], blk[1], blk[2], blk[3]);
    }
    cast();
  }

  private void copyRows(int rows, int len, int srcRow, int dstRow) {
    int srcOff = 1 + random.nextInt(4);
    int dstOff = 3 + random.nextInt(4);
    int srcLength = srcOff + Math.max(0, rows - 1) * srcRow + len + TAIL;
    int dstLength = dstOff + Math.max(0, rows - 1) * dstRow + len + TAIL;
    String kase = String.format(Locale.ROOT, "float %d rows of %d, src rows %d apart from %d, dst rows %d apart from %d",
        rows, len, srcRow, srcOff, dstRow, dstOff);
    compare("copy", "copyRows", kase)
        .in("src", uniform(false, srcLength, -1, 1))
        .out("dst", unwritten(false, dstLength))
        .tol(0)
        .run((b, x) -> b.copy().copyRows(x.f("src"), srcOff, srcRow, x.f("dst"), dstOff, dstRow, rows, len));
  }

  private void stridedCopy(boolean dbl, int[] shape, int[] strides, String name) {
    int count = size(shape);
    long low = 0;
    long high = 0;
    if (count > 0) {
      for (int d = 0; d < shape.length; d++) {
        long reach = (long) (shape[d] - 1) * strides[d];
        low += Math.min(0, reach);
        high += Math.max(0, reach);
      }
    }
    int srcOff = (int) (2 + random.nextInt(4) - low);
    int dstOff = random.nextInt(4);
    int srcLength = (int) (srcOff + high + 1 + TAIL);
    String kase = String.format(Locale.ROOT, "%s rank %d shape %s strides %s off src%d dst%d (%s)", prec(dbl),
        shape.length, dims(shape), dims(strides), srcOff, dstOff, name);
    compare("copy", "copy", kase)
        .in("src", uniform(dbl, srcLength, -1, 1))
        .out("dst", unwritten(dbl, dstOff + count + TAIL))
        .tol(0)
        .run((b, x) -> {
          if (dbl) {
            b.copy().copy(x.d("src"), srcOff, strides, shape, x.d("dst"), dstOff);
          } else {
            b.copy().copy(x.f("src"), srcOff, strides, shape, x.f("dst"), dstOff);
          }
        });
  }

  private void cast() {
    int n = 77;
    float[] floats = (float[]) uniform(false, n + TAIL, -100, 100);
    float[] floatSpecials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
        -Float.MIN_VALUE * 7, Float.MIN_NORMAL / 3, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f,
        Math.nextUp(1f), -Math.nextDown(1f)};
    compare("copy", "cast", "float->double n=" + n + " values in [-100,100]")
        .in("src", floats)
        .out("dst", unwritten(true, n + TAIL))
        .tol(0)
        .run((b, x) -> b.copy().cast(x.f("src"), x.d("dst"), n));
    compare("copy", "cast", "float->double n=" + floatSpecials.length + " subnormals, +-0, +-inf, NaN, extremes")
        .in("src", floatSpecials)
        .out("dst", unwritten(true, floatSpecials.length + TAIL))
        .tol(0)
        .run((b, x) -> b.copy().cast(x.f("src"), x.d("dst"), floatSpecials.length));
    double[] doubles = (double[]) uniform(true, n + TAIL, -100, 100);
    double tie = 1 + Math.scalb(1.0, -24);
    double overflowTie = Math.scalb(2 - Math.scalb(1.0, -24), 127);
    double[] doubleSpecials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, tie,
        1 + 3 * Math.scalb(1.0, -24), -tie, 1e39, -1e39, overflowTie, Math.nextDown(overflowTie), 1e-40, -1e-40,
        1e-45, 1e-46, Double.MIN_VALUE, Double.MAX_VALUE, 0.1, 1.0 / 3};
    compare("copy", "cast", "double->float n=" + n + " values in [-100,100]")
        .in("src", doubles)
        .out("dst", unwritten(false, n + TAIL))
        .tol(0)
        .run((b, x) -> b.copy().cast(x.d("src"), x.f("dst"), n));
    compare("copy", "cast", "double->float n=" + doubleSpecials.length
        + " rounding ties, overflow, float subnormals, underflow, +-0, +-inf, NaN")
        .in("src", doubleSpecials)
        .out("dst", unwritten(false, doubleSpecials.length + TAIL))
        .tol(0)
        .run((b, x) -> b.copy().cast(x.d("src"), x.f("dst"), doubleSpecials.length));
  }

  // ================================================================== inputs

  private static String prec(boolean dbl) {
    return dbl ? "double" : "float";
  }

  /** Relative tolerance of a sum of {@code terms} terms. */
  private static double sum(boolean dbl, int terms) {
    return (dbl ? DOUBLE_SUM : FLOAT_SUM) * Math.sqrt(Math.max(1, terms));
  }

  private static Object precision(boolean dbl, double[] v) {
    if (dbl) {
      return v;
    }
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private Object uniform(boolean dbl, int n, double lo, double hi) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextDouble(lo, hi);
    }
    return precision(dbl, v);
  }

  /** The start of an accumulated output: the same arbitrary values in both runs. */
  private Object garbage(boolean dbl, int n) {
    return uniform(dbl, n, -3, 3);
  }

  /** The start of an overwritten output: NaN, so that an element left unwritten shows. */
  private static Object unwritten(boolean dbl, int n) {
    double[] v = new double[n];
    Arrays.fill(v, Double.NaN);
    return precision(dbl, v);
  }

  private static int[] unwrittenInts(int n) {
    int[] v = new int[n];
    Arrays.fill(v, UNWRITTEN);
    return v;
  }

  private static int size(int[] shape) {
    return prod(shape);
  }

  private static int prod(int[] a) {
    int p = 1;
    for (int e : a) {
      p *= e;
    }
    return p;
  }

  private static String csv(int[] a) {
    StringJoiner j = new StringJoiner(",");
    for (int e : a) {
      j.add(Integer.toString(e));
    }
    return j.toString();
  }

  private static String dims(int[] a) {
    return "[" + csv(a) + "]";
  }

  private static String view(AxisView v) {
    return "[" + v.outer() + "," + v.mid() + "," + v.inner() + "]";
  }

  private static String window(WindowGeometry g) {
    return "stride " + csv(g.strides()) + " pad " + csv(g.pads()) + " dil " + csv(g.dilations());
  }

  // ================================================================== running and comparing

  /** A kernel call on one backend, with that backend's copies of the case's arrays. */
  @FunctionalInterface
  private interface Call {
    void run(Backend backend, Bound arrays);
  }

  /** One backend's copies of a case's arrays, by name. */
  private static final class Bound {
    private final List<String> names;
    private final Object[] arrays;

    Bound(List<String> names, Object[] arrays) {
      this.names = names;
      this.arrays = arrays;
    }

    private Object get(String name) {
      int i = names.indexOf(name);
      if (i < 0) {
        throw new IllegalStateException("no array " + name);
      }
      return arrays[i];
    }

    float[] f(String name) {
      return (float[]) get(name);
    }

    double[] d(String name) {
      return (double[]) get(name);
    }

    int[] i(String name) {
      return (int[]) get(name);
    }
  }

  private Case compare(String family, String method, String kase) {
    return new Case(family, method, kase);
  }

  /** A case being assembled: named input and output arrays, a tolerance, then the call. */
  private final class Case {
    private final String family;
    private final String method;
    private final String kase;
    private final List<String> names = new ArrayList<>();
    private final List<Object> arrays = new ArrayList<>();
    private final List<Boolean> outputs = new ArrayList<>();
    private double rel;

    Case(String family, String method, String kase) {
      this.family = family;
      this.method = method;
      this.kase = kase;
    }

    /** An array the method only reads (null stands for an absent optional argument). */
    Case in(String name, Object array) {
      names.add(name);
      arrays.add(array);
      outputs.add(false);
      return this;
    }

    /** An array the method writes (and may read: an accumulated or in-place output); null for none. */
    Case out(String name, Object array) {
      names.add(name);
      arrays.add(array);
      outputs.add(true);
      return this;
    }

    Case tol(double relative) {
      this.rel = relative;
      return this;
    }

    void run(Call call) {
      checks.add(execute(call));
    }

    private Check execute(Call call) {
      Object[] ref = copies();
      String thrown = attempt(() -> call.run(reference, new Bound(names, ref)));
      if (thrown != null) {
        return fail(Double.POSITIVE_INFINITY, 0, "reference threw " + thrown);
      }
      double maxRef = 0;
      for (int i = 0; i < ref.length; i++) {
        if (outputs.get(i)) {
          maxRef = Math.max(maxRef, maxAbsFinite(ref[i]));
        }
      }
      double tolerance = rel * (1 + maxRef);
      Object[] cand = copies();
      thrown = attempt(() -> call.run(candidate, new Bound(names, cand)));
      if (thrown != null) {
        return fail(Double.POSITIVE_INFINITY, tolerance, "candidate threw " + thrown);
      }
      for (int i = 0; i < ref.length; i++) {
        if (!outputs.get(i)) {
          String who = changed(arrays.get(i), ref[i]) ? "reference" : changed(arrays.get(i), cand[i]) ? "candidate"
              : null;
          if (who != null) {
            return fail(Double.POSITIVE_INFINITY, tolerance, who + " changed its input " + names.get(i));
          }
        }
      }
      double maxError = 0;
      long off = 0;
      long total = 0;
      String worst = "exact";
      for (int i = 0; i < ref.length; i++) {
        if (!outputs.get(i) || ref[i] == null) {
          continue;
        }
        Object r = ref[i];
        Object c = cand[i];
        boolean exact = r instanceof int[];
        int n = java.lang.reflect.Array.getLength(r);
        total += n;
        for (int k = 0; k < n; k++) {
          double rv = element(r, k);
          double cv = element(c, k);
          double e = error(rv, cv);
          if (exact ? e != 0 : e > tolerance) {
            off++;
          }
          if (e > maxError) {
            maxError = e;
            worst = names.get(i) + "[" + k + "] reference " + show(r, k) + " candidate " + show(c, k);
          }
        }
      }
      if (off > 0) {
        return fail(maxError, tolerance, off + " of " + total + " elements off; worst " + worst);
      }
      return new Check(family, method, kase, maxError, tolerance, true, maxError == 0 ? "exact" : "worst " + worst);
    }

    private Check fail(double maxError, double tolerance, String detail) {
      return new Check(family, method, kase, maxError, tolerance, false, detail);
    }

    private Object[] copies() {
      Object[] c = new Object[arrays.size()];
      for (int i = 0; i < c.length; i++) {
        Object a = arrays.get(i);
        c[i] = switch (a) {
          case null -> null;
          case float[] f -> f.clone();
          case double[] d -> d.clone();
          case int[] n -> n.clone();
          default -> throw new IllegalStateException("not an array: " + a);
        };
      }
      return c;
    }
  }

  /** Runs the call, returning null, or what it threw (errors of the virtual machine propagate). */
  private static String attempt(Runnable call) {
    try {
      call.run();
      return null;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (RuntimeException | Error e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
  }

  private static boolean changed(Object original, Object after) {
    return switch (original) {
      case null -> after != null;
      case float[] f -> !Arrays.equals(f, (float[]) after);
      case double[] d -> !Arrays.equals(d, (double[]) after);
      case int[] n -> !Arrays.equals(n, (int[]) after);
      default -> throw new IllegalStateException("not an array: " + original);
    };
  }

  private static double maxAbsFinite(Object a) {
    double m = 0;
    if (a instanceof float[] f) {
      for (float v : f) {
        m = Float.isFinite(v) ? Math.max(m, Math.abs(v)) : m;
      }
    } else if (a instanceof double[] d) {
      for (double v : d) {
        m = Double.isFinite(v) ? Math.max(m, Math.abs(v)) : m;
      }
    }
    return m;
  }

  private static double element(Object a, int k) {
    return switch (a) {
      case float[] f -> f[k];
      case double[] d -> d[k];
      case int[] n -> n[k];
      default -> throw new IllegalStateException("not an array: " + a);
    };
  }

  private static String show(Object a, int k) {
    return switch (a) {
      case float[] f -> Float.toString(f[k]);
      case double[] d -> Double.toString(d[k]);
      case int[] n -> n[k] == UNWRITTEN ? "unwritten" : Integer.toString(n[k]);
      default -> throw new IllegalStateException("not an array: " + a);
    };
  }

  /** 0 when equal or both NaN, infinite when only one is finite, else the absolute difference. */
  private static double error(double r, double c) {
    if (r == c || (Double.isNaN(r) && Double.isNaN(c))) {
      return 0;
    }
    if (!Double.isFinite(r) || !Double.isFinite(c)) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.abs(r - c);
  }
}
