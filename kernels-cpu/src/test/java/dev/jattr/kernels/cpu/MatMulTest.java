package dev.jattr.kernels.cpu;

import static dev.jattr.kernels.cpu.TestArrays.assertClose;
import static dev.jattr.kernels.cpu.TestArrays.randomFloats;
import static dev.jattr.kernels.cpu.TestArrays.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MatMulTest {

  /** Stores a rows×cols row-major matrix transposed (cols×rows). */
  private static double[] transpose(double[] m, int rows, int cols) {
    double[] t = new double[m.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = m[i * cols + j];
      }
    }
    return t;
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  /** Body run per shape {m, k, n} and transpose/accumulate combination. */
  @FunctionalInterface
  private interface CaseBody {
    void run(int[] s, int m, int k, int n, boolean ta, boolean tb, boolean acc);
  }

  /** Runs {@code body} for each shape in every combination of transA, transB and accumulate. */
  private static void forEachCase(int[][] shapes, CaseBody body) {
    for (int[] s : shapes) {
      for (int combo = 0; combo < 8; combo++) {
        body.run(s, s[0], s[1], s[2], (combo & 1) != 0, (combo & 2) != 0, (combo & 4) != 0);
      }
    }
  }

  @Test
  void handCheckedProductAllTransposeCombos() {
    double[] a = {1, 2, 3, 4}; // 2x2
    double[] b = {5, 6, 7, 8, 9, 10}; // 2x3
    double[] expected = {21, 24, 27, 47, 54, 61};
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        double[] as = ta ? transpose(a, 2, 2) : a;
        double[] bs = tb ? transpose(b, 2, 3) : b;
        double[] c = new double[6];
        Arrays.fill(c, Double.NaN);
        MatMul.multiply(as, 0, ta, bs, 0, tb, c, 0, 2, 2, 3, false);
        assertArrayEquals(expected, c, 0.0, "double ta=" + ta + " tb=" + tb);
        double[] acc = {1, 1, 1, 1, 1, 1};
        MatMul.multiply(as, 0, ta, bs, 0, tb, acc, 0, 2, 2, 3, true);
        assertArrayEquals(new double[] {22, 25, 28, 48, 55, 62}, acc, 0.0);
        float[] cf = new float[6];
        Arrays.fill(cf, Float.NaN);
        MatMul.multiply(toFloat(as), 0, ta, toFloat(bs), 0, tb, cf, 0, 2, 2, 3, false);
        assertArrayEquals(toFloat(expected), cf, 0f, "float ta=" + ta + " tb=" + tb);
      }
    }
  }

  @Test
  void doubleReferenceMatchesNaiveDefinition() {
    Random r = new Random(11);
    int m = 5;
    int k = 4;
    int n = 6;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        double[] a = TestArrays.randomDoubles(r, m * k);
        double[] b = TestArrays.randomDoubles(r, k * n);
        double[] c0 = TestArrays.randomDoubles(r, m * n);
        double[] expected = c0.clone();
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double s = 0;
            for (int p = 0; p < k; p++) {
              double av = ta ? a[p * m + i] : a[i * k + p];
              double bv = tb ? b[j * k + p] : b[p * n + j];
              s += av * bv;
            }
            expected[i * n + j] += s;
          }
        }
        double[] c = c0.clone();
        MatMul.multiply(a, 0, ta, b, 0, tb, c, 0, m, k, n, true);
        assertClose(expected, c, 1e-12, "ta=" + ta + " tb=" + tb);
      }
    }
  }

  @Test
  void floatMatchesDoubleReference() {
    Random r = new Random(42);
    int[][] shapes = {
      {1, 1, 1}, {3, 5, 7}, {4, 1, 33}, {17, 33, 19}, {4, 300, 40}, {37, 9, 70},
      {70, 64, 150}, {5, 20, 2100}, {130, 3, 5}, {2, 70, 300}, {3, 40, 5},
      // above MatMul.PARALLEL_WORK: split by rows, and by columns
      {64, 130, 160}, {8, 128, 1100}
    };
    forEachCase(shapes, (s, m, k, n, ta, tb, acc) -> {
      int aOff = 3;
      int bOff = 5;
      int cOff = 7;
      float[] a = randomFloats(r, aOff + m * k + 2);
      float[] b = randomFloats(r, bOff + k * n + 1);
      float[] c = randomFloats(r, cOff + m * n + 4);
      double[] cd = toDouble(c);
      float[] before = c.clone();
      MatMul.multiply(a, aOff, ta, b, bOff, tb, c, cOff, m, k, n, acc);
      MatMul.multiply(toDouble(a), aOff, ta, toDouble(b), bOff, tb, cd, cOff, m, k, n, acc);
      String what = Arrays.toString(s) + " ta=" + ta + " tb=" + tb + " acc=" + acc;
      assertClose(cd, c, 1e-4, what);
      for (int i = 0; i < cOff; i++) {
        assertEquals(before[i], c[i], what + " prefix untouched");
      }
      for (int i = cOff + m * n; i < c.length; i++) {
        assertEquals(before[i], c[i], what + " suffix untouched");
      }
    });
  }

  /**
   * The dot-product kernel for narrow outputs and the packed panel kernel, each called directly on
   * strided operands (all transpose combinations, ragged row and column tiles, k with and without
   * a vector tail), against the double reference.
   */
  @Test
  void dotAndPackedKernelsMatchDoubleReference() {
    Random r = new Random(5);
    int l = DotGemm.L;
    int[][] shapes = {
      {1, l, 1}, {4, l, 3}, {5, 2 * l + 3, 4}, {13, 3 * l - 1, 7}, {9, 5 * l + 2, 2 * l + 1},
      {48, 72, 9}, {7, 4 * l, 1}
    };
    forEachCase(shapes, (s, m, k, n, ta, tb, acc) -> {
      float[] a = randomFloats(r, 2 + m * k);
      float[] b = randomFloats(r, 1 + k * n);
      float[] c0 = randomFloats(r, 3 + m * n);
      double[] expected = toDouble(c0);
      MatMul.multiply(toDouble(a), 2, ta, toDouble(b), 1, tb, expected, 3, m, k, n, acc);
      int rsA = ta ? 1 : k;
      int csA = ta ? m : 1;
      int rsB = tb ? 1 : n;
      int csB = tb ? k : 1;
      String what = Arrays.toString(s) + " ta=" + ta + " tb=" + tb + " acc=" + acc;
      float[] dot = c0.clone();
      DotGemm.gemm(a, 2, rsA, csA, b, 1, rsB, csB, dot, 3, n, 1, m, k, n, acc);
      assertClose(expected, dot, 1e-4, "dot " + what);
      dot = c0.clone(); // the transposed product, written through C's strides
      DotGemm.gemm(b, 1, csB, rsB, a, 2, csA, rsA, dot, 3, 1, n, n, k, m, acc);
      assertClose(expected, dot, 1e-4, "dot " + what);
      float[] packed = c0.clone();
      PackedGemm.gemm(a, 2, rsA, csA, b, 1, rsB, csB, packed, 3, n, m, k, n, acc);
      assertClose(expected, packed, 1e-4, "packed " + what);
      for (int i = 0; i < 3; i++) {
        assertEquals(c0[i], dot[i], what + " prefix untouched");
      }
    });
  }

  /**
   * The packed kernel across its block edges: k of 1 and past one and two KC blocks, n past the
   * NC block with a ragged last micro-panel, m on both sides of the in-place-B bound and past
   * one MC block, and very tall or very wide shapes; each with every transpose combination.
   */
  @Test
  void packedKernelAcrossBlockEdges() {
    Random r = new Random(17);
    int kc = PackedGemm.KC;
    int nc = PackedGemm.NC;
    int nr = PackedGemm.NR;
    int[][] shapes = {
      {1, 1, 1}, {5, 1, nr + 3}, {PackedGemm.MR + 1, kc + 1, nr - 1}, {3, 2 * kc + 5, nc + nr + 7},
      {PackedGemm.UNPACKED_B_ROWS, 9, 2 * nr + 1}, {PackedGemm.UNPACKED_B_ROWS + 1, 9, 2 * nr + 1},
      {PackedGemm.MC + 5, 33, nr}, {1, 3, 4 * nc + 1}, {700, 2, 3}, {2, 700, 2}
    };
    forEachCase(shapes, (s, m, k, n, ta, tb, acc) -> {
      float[] a = randomFloats(r, 2 + m * k);
      float[] b = randomFloats(r, 1 + k * n);
      float[] c0 = randomFloats(r, 3 + m * n + 2);
      double[] expected = toDouble(c0);
      MatMul.multiply(toDouble(a), 2, ta, toDouble(b), 1, tb, expected, 3, m, k, n, acc);
      float[] c = c0.clone();
      PackedGemm.gemm(a, 2, ta ? 1 : k, ta ? m : 1, b, 1, tb ? 1 : n, tb ? k : 1, c, 3, n, m, k, n,
          acc);
      String what = Arrays.toString(s) + " ta=" + ta + " tb=" + tb + " acc=" + acc;
      assertClose(expected, c, 1e-4, "packed " + what);
      for (int i = 0; i < 3; i++) {
        assertEquals(c0[i], c[i], what + " prefix untouched");
      }
      for (int i = 3 + m * n; i < c.length; i++) {
        assertEquals(c0[i], c[i], what + " suffix untouched");
      }
    });
  }

  /**
   * A packed whole once ({@link PackedGemm#packAll}) gives the same bits as A packed per product,
   * for the whole of A and for a band of its rows starting at a multiple of MR, across KC and MC
   * blocks, with ragged row panels, overwriting and accumulating.
   */
  @Test
  void prepackedAMatchesPackingPerProductBitForBit() {
    Random r = new Random(29);
    int mr = PackedGemm.MR;
    // the last is packed by several threads (row panels in parallel)
    // last row panels: ragged in a single panel, of HALF rows over whole tiles (the half tile
    // stores to C), below HALF (the half tile through its buffer), above HALF (the whole tile)
    int half = PackedGemm.HALF;
    int[][] shapes = {{7, 5, 40}, {PackedGemm.MC + 9, PackedGemm.KC + 17, PackedGemm.NR + 5}, {3 * mr + 2, 300, 70},
      {2 * mr + half, PackedGemm.KC + 3, 2 * PackedGemm.NR}, {mr + half + 1, 40, PackedGemm.NR + 20},
      {2300, 500, 9}};
    for (int[] s : shapes) {
      int m = s[0], k = s[1], n = s[2];
      float[] a = randomFloats(r, m * k);
      float[] b = randomFloats(r, k * n);
      float[] packed = new float[PackedGemm.packedSize(m, k)];
      PackedGemm.packAll(a, 0, k, 1, m, k, packed);
      for (boolean acc : new boolean[] {false, true}) {
        for (int i0 : m > mr ? new int[] {0, mr} : new int[] {0}) {
          int rows = m - i0;
          float[] c0 = randomFloats(r, rows * n);
          float[] want = c0.clone();
          float[] got = c0.clone();
          PackedGemm.gemm(a, i0 * k, k, 1, b, 0, n, 1, want, 0, n, rows, k, n, acc);
          PackedGemm.gemmPacked(packed, m, i0, k, b, 0, n, 1, got, 0, n, rows, n, acc);
          assertArrayEquals(want, got, Arrays.toString(s) + " rows from " + i0 + " acc=" + acc);
        }
      }
    }
  }

  /**
   * B packed whole by columns ({@link PackedGemm#packColumns}, here a transposed operand as a
   * squeeze-and-excitation convolution's weights) gives the bits of B packed per product, across
   * KC and NC blocks, with a ragged last panel and a narrow one, overwriting and accumulating.
   */
  @Test
  void prepackedColumnsMatchPackingPerProductBitForBit() {
    Random r = new Random(33);
    int nr = PackedGemm.NR;
    int[][] shapes = {{1, 144, 576}, {7, PackedGemm.KC + 17, nr + 5}, {50, 40, PackedGemm.NC + 2 * nr + 9}, {30, 300, 3 * nr}};
    for (int[] sh : shapes) {
      int m = sh[0], k = sh[1], n = sh[2];
      float[] a = randomFloats(r, m * k);
      float[] bt = randomFloats(r, n * k); // B stored transposed: element (p, j) at bt[j·k + p]
      float[] bp = PackedGemm.packColumns(bt, 0, 1, k, k, n);
      for (boolean acc : new boolean[] {false, true}) {
        float[] c0 = randomFloats(r, m * n);
        float[] want = c0.clone();
        float[] got = c0.clone();
        PackedGemm.gemm(a, 0, k, 1, bt, 0, 1, k, want, 0, n, m, k, n, acc);
        PackedGemm.gemmPackedB(a, 0, k, 1, bp, got, 0, n, m, k, n, acc);
        assertArrayEquals(want, got, Arrays.toString(sh) + " acc=" + acc);
      }
    }
  }

  /**
   * A product with A packed whole ({@link MatMul#multiplyPacked}: a convolution's kept weights)
   * gives the bits of {@link MatMul#multiply} on the panel kernel, on one thread and split over
   * threads by row bands (tall A) and by column blocks (wide B), overwriting and accumulating.
   */
  @Test
  void productWithPackedAMatchesMultiplyBitForBit() {
    Random r = new Random(31);
    int[][] shapes = {{64, 144, 529}, {256, 300, 40 * PackedGemm.NR + 7}, {1100, 200, 60}, {9, 20, 30}};
    for (int[] sh : shapes) {
      int m = sh[0], k = sh[1], n = sh[2];
      float[] a = randomFloats(r, m * k);
      float[] b = randomFloats(r, k * n + 5);
      float[] ap = new float[PackedGemm.packedSize(m, k)];
      PackedGemm.packAll(a, 0, k, 1, m, k, ap);
      for (boolean acc : new boolean[] {false, true}) {
        for (boolean parallel : new boolean[] {false, true}) {
          float[] c0 = randomFloats(r, m * n + 3);
          float[] want = c0.clone();
          float[] got = c0.clone();
          MatMul.multiply(a, 0, false, b, 5, false, want, 3, m, k, n, acc, parallel);
          MatMul.multiplyPacked(ap, m, k, b, 5, got, 3, n, acc, parallel);
          assertArrayEquals(want, got, Arrays.toString(sh) + " acc=" + acc + " parallel=" + parallel);
        }
      }
    }
  }

  /**
   * The dot kernel reads B's columns contiguously: B given row-major is transposed first (sixteen
   * rows at a time in registers, element by element at the edges and where whole rows would read
   * past the array), and gives the bits of the same B given already transposed.
   */
  @Test
  void dotKernelTransposesRowMajorBLosslessly() {
    Random r = new Random(37);
    int[][] shapes = {{20, 432, 25}, {7, 40, 17}, {5, 64, 33}, {3, 17, 16}};
    for (int[] sh : shapes) {
      int m = sh[0], k = sh[1], n = sh[2];
      float[] a = randomFloats(r, m * k);
      float[] b = randomFloats(r, k * n); // exactly sized: the last rows' blocks take the copy loop
      float[] bt = new float[n * k];
      for (int p = 0; p < k; p++) {
        for (int j = 0; j < n; j++) {
          bt[j * k + p] = b[p * n + j];
        }
      }
      float[] want = new float[m * n];
      float[] got = new float[m * n];
      DotGemm.gemm(a, 0, k, 1, bt, 0, 1, k, want, 0, n, 1, m, k, n, false);
      DotGemm.gemm(a, 0, k, 1, b, 0, n, 1, got, 0, n, 1, m, k, n, false);
      assertArrayEquals(want, got, Arrays.toString(sh));
    }
  }

  /**
   * The dot kernel's tiles (four rows by five, three or one columns) sum each output alike: a
   * column's bits do not depend on how many columns the product has, so on which tile takes it.
   */
  @Test
  void dotKernelTilesSumEachOutputAlike() {
    Random r = new Random(43);
    int m = 9, k = 200, most = 25;
    float[] a = randomFloats(r, m * k);
    float[] bt = randomFloats(r, most * k); // B by columns: column j at bt[j·k]
    float[] all = new float[m * most];
    DotGemm.gemm(a, 0, k, 1, bt, 0, 1, k, all, 0, most, 1, m, k, most, false);
    for (int n : new int[] {1, 3, 4, 5, 8, 13, 24}) {
      float[] c = new float[m * n];
      DotGemm.gemm(a, 0, k, 1, bt, 0, 1, k, c, 0, n, 1, m, k, n, false);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          assertEquals(Float.floatToRawIntBits(all[i * most + j]), Float.floatToRawIntBits(c[i * n + j]),
              n + " columns, output (" + i + ", " + j + ")");
        }
      }
    }
  }

  /**
   * A narrow product split over threads by row bands copies B into columns once for all bands,
   * and gives the bits of the same product on one thread (which copies it itself).
   */
  @Test
  void dotProductSplitByRowsGivesOneThreadsBits() {
    Random r = new Random(41);
    for (int[] sh : new int[][] {{256, 576, 25}, {130, 400, 30}}) {
      int m = sh[0], k = sh[1], n = sh[2];
      float[] a = randomFloats(r, m * k);
      float[] b = randomFloats(r, k * n);
      float[] one = new float[m * n];
      float[] split = new float[m * n];
      MatMul.multiply(a, 0, false, b, 0, false, one, 0, m, k, n, false, false);
      MatMul.multiply(a, 0, false, b, 0, false, split, 0, m, k, n, false, true);
      assertArrayEquals(one, split, Arrays.toString(sh));
    }
  }

  /**
   * A last panel of at most a vector of columns takes a narrow tile that sums each element as the
   * full tile does: the same product with more columns (its last panel wide enough for the full
   * tile) gives the same bits in the shared columns, so results never depend on how many columns
   * (samples) a product has.
   */
  @Test
  void narrowLastPanelGivesTheFullTilesBits() {
    Random r = new Random(37);
    int nr = PackedGemm.NR;
    int l = DotGemm.L;
    for (int[] s : new int[][] {{9, 144, nr + 1}, {4, 300, 2 * nr + l}, {13, 20, nr + 7}}) {
      int m = s[0], k = s[1], n = s[2], wide = n + l + 1;
      float[] a = randomFloats(r, m * k);
      float[] b = randomFloats(r, k * wide);
      float[] narrowB = new float[k * n];
      for (int p = 0; p < k; p++) {
        System.arraycopy(b, p * wide, narrowB, p * n, n);
      }
      for (boolean acc : new boolean[] {false, true}) {
        float[] c0 = randomFloats(r, m * wide);
        float[] cWide = c0.clone();
        float[] cNarrow = new float[m * n];
        for (int i = 0; i < m; i++) {
          System.arraycopy(c0, i * wide, cNarrow, i * n, n);
        }
        PackedGemm.gemm(a, 0, k, 1, b, 0, wide, 1, cWide, 0, wide, m, k, wide, acc);
        PackedGemm.gemm(a, 0, k, 1, narrowB, 0, n, 1, cNarrow, 0, n, m, k, n, acc);
        for (int i = 0; i < m; i++) {
          assertArrayEquals(Arrays.copyOfRange(cWide, i * wide, i * wide + n),
              Arrays.copyOfRange(cNarrow, i * n, (i + 1) * n), Arrays.toString(s) + " row " + i + " acc=" + acc);
        }
      }
    }
  }

  /** Random shapes with edge extents (1, vector tails, K = 1) through the public entry point. */
  @Test
  void randomEdgeShapesMatchDoubleReference() {
    Random r = new Random(23);
    int l = DotGemm.L;
    int[] extents = {1, 2, l - 1, l, l + 1, 2 * l + 3, PackedGemm.NR + 5, 97, 131};
    for (int t = 0; t < 60; t++) {
      int m = extents[r.nextInt(extents.length)];
      int k = t % 7 == 0 ? 1 : extents[r.nextInt(extents.length)];
      int n = extents[r.nextInt(extents.length)];
      boolean ta = r.nextBoolean();
      boolean tb = r.nextBoolean();
      boolean acc = r.nextBoolean();
      float[] a = randomFloats(r, m * k);
      float[] b = randomFloats(r, k * n);
      float[] c = randomFloats(r, m * n);
      double[] expected = toDouble(c);
      MatMul.multiply(toDouble(a), 0, ta, toDouble(b), 0, tb, expected, 0, m, k, n, acc);
      MatMul.multiply(a, 0, ta, b, 0, tb, c, 0, m, k, n, acc);
      assertClose(expected, c, 1e-4, m + "x" + k + "x" + n + " ta=" + ta + " tb=" + tb + " acc=" + acc);
    }
  }

  @Test
  void narrowOutputsTakeTheDotKernel() {
    int l = DotGemm.L;
    assertTrue(MatMul.usesDot(l, 1));
    assertTrue(MatMul.usesDot(4 * l, 3 * l - 1));
    assertFalse(MatMul.usesDot(l - 1, 1), "k shorter than a vector");
    assertFalse(MatMul.usesDot(2 * l, 2 * l), "shallow k, two vectors of columns");
    assertFalse(MatMul.usesDot(64 * l, 3 * l), "three vectors of columns: the panel kernel's tile");
  }

  @Test
  void batchedOffsets() {
    Random r = new Random(7);
    int batch = 3;
    int m = 6;
    int k = 11;
    int n = 35;
    float[] a = randomFloats(r, batch * m * k);
    float[] b = randomFloats(r, batch * k * n);
    float[] c = new float[batch * m * n];
    double[] cd = new double[c.length];
    double[] ad = toDouble(a);
    double[] bd = toDouble(b);
    for (int t = 0; t < batch; t++) {
      MatMul.multiply(a, t * m * k, false, b, t * k * n, true, c, t * m * n, m, k, n, false);
      MatMul.multiply(ad, t * m * k, false, bd, t * k * n, true, cd, t * m * n, m, k, n, false);
    }
    assertClose(cd, c, 1e-4, "batched");
  }

  @Test
  void emptyInnerDimensionOverwritesOrKeeps() {
    float[] c = {1, 2, 3, 4};
    MatMul.multiply(new float[0], 0, false, new float[0], 0, false, c, 0, 2, 0, 2, true);
    assertArrayEquals(new float[] {1, 2, 3, 4}, c);
    MatMul.multiply(new float[0], 0, false, new float[0], 0, false, c, 0, 2, 0, 2, false);
    assertArrayEquals(new float[4], c);
  }

  @Test
  void rejectsShortArrays() {
    assertThrows(IllegalArgumentException.class, () -> MatMul.multiply(new float[3], 0, false,
        new float[4], 0, false, new float[4], 0, 2, 2, 2, false));
  }

  /**
   * The panel kernel's epilogue (bias added as the first depth block is stored, ReLU as the last
   * is) gives the bits of filling C with the bias, accumulating, and a ReLU pass after: on whole,
   * ragged, half and narrow tiles, one and several depth blocks, row bands of a packed A, and a
   * NaN.
   */
  @Test
  void epilogueGivesTheBitsOfFillAccumulateAndRelu() {
    Random rnd = new Random(17);
    int[][] shapes = {{1, 5, 1}, {3, 16, 47}, {4, 128, 48}, {7, 129, 49}, {64, 144, 529},
        {9, 300, 100}, {16, 576, 25}, {130, 40, 97},
        {2 * PackedGemm.MR + PackedGemm.HALF, 200, 2 * PackedGemm.NR}};
    for (int[] s : shapes) {
      int m = s[0];
      int k = s[1];
      int n = s[2];
      float[] a = new float[m * k];
      float[] b = new float[k * n];
      float[] bias = new float[m + 3];
      for (float[] x : new float[][] {a, b, bias}) {
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) rnd.nextGaussian();
        }
      }
      b[rnd.nextInt(b.length)] = Float.NaN;
      float[] ap = new float[PackedGemm.packedSize(m, k)];
      PackedGemm.packAll(a, 0, k, 1, m, k, ap);
      int i0 = m > PackedGemm.MR ? PackedGemm.MR : 0; // a band of rows below the first panel, too
      for (int from : new int[] {0, i0}) {
        int rows = m - from;
        for (boolean relu : new boolean[] {false, true}) {
          for (boolean withBias : new boolean[] {false, true}) {
            float[] expected = new float[rows * n];
            for (int i = 0; i < rows; i++) {
              Arrays.fill(expected, i * n, (i + 1) * n, withBias ? bias[2 + from + i] : 0f);
            }
            PackedGemm.gemmPacked(ap, m, from, k, b, 0, n, 1, expected, 0, n, rows, n, true);
            if (relu) {
              for (int i = 0; i < expected.length; i++) {
                expected[i] = expected[i] > 0f ? expected[i] : 0f;
              }
            }
            float[] got = new float[rows * n];
            Arrays.fill(got, Float.NaN); // overwritten everywhere
            PackedGemm.gemmPacked(ap, m, from, k, b, 0, n, 1, got, 0, n, rows, n, false,
                withBias ? bias : null, 2 + from, relu);
            String at = Arrays.toString(s) + " from row " + from + (withBias ? " bias" : "") + (relu ? " relu" : "");
            for (int i = 0; i < got.length; i++) {
              assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(got[i]),
                  at + " element " + i);
            }
          }
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> PackedGemm.gemmPacked(new float[4], 1, 0, 1,
        new float[1], 0, 1, 1, new float[1], 0, 1, 1, 1, true, new float[1], 0, false));
  }
}
