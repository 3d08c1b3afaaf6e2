package dev.jattr.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.Allocator;
import dev.jattr.kernels.Arithmetic;
import dev.jattr.kernels.Availability;
import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.Backend;
import dev.jattr.kernels.BackendComparison;
import dev.jattr.kernels.BackendComparison.Check;
import dev.jattr.kernels.ConvKernels;
import dev.jattr.kernels.CopyKernels;
import dev.jattr.kernels.Device;
import dev.jattr.kernels.ElementwiseKernels;
import dev.jattr.kernels.GemmKernels;
import dev.jattr.kernels.IndexKernels;
import dev.jattr.kernels.PoolKernels;
import dev.jattr.kernels.ReduceKernels;
import dev.jattr.kernels.WindowGeometry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link BackendComparison} on the CPU backend: against itself every check passes and every kernel
 * method is called; against a copy with one small bug exactly the checks that bug touches fail.
 */
class BackendComparisonTest {
  private static final long SEED = 20250101L;

  /** The kernel family interfaces by the name of their accessor on {@link Backend}. */
  private static Map<String, Class<?>> families() {
    Map<String, Class<?>> families = new LinkedHashMap<>();
    for (Method m : Backend.class.getMethods()) {
      Class<?> type = m.getReturnType();
      if (m.getParameterCount() == 0 && type.isInterface() && type.getSimpleName().endsWith("Kernels")) {
        families.put(m.getName(), type);
      }
    }
    assertEquals(Set.of("gemm", "conv", "pool", "elementwise", "reduce", "index", "copy"), families.keySet());
    return families;
  }

  /** The methods a backend implements or inherits: every public instance method, both overloads. */
  private static List<Method> kernelMethods(Class<?> family) {
    List<Method> methods = new ArrayList<>();
    for (Method m : family.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())) {
        methods.add(m);
      }
    }
    return methods;
  }

  @Test
  void cpuAgainstItselfPassesEveryCheckAndCallsEveryMethod() {
    Set<Method> called = ConcurrentHashMap.newKeySet();
    Patched recording = new Patched();
    recording.gemm = recorder(GemmKernels.class, recording.gemm, called);
    recording.conv = recorder(ConvKernels.class, recording.conv, called);
    recording.pool = recorder(PoolKernels.class, recording.pool, called);
    recording.elementwise = recorder(ElementwiseKernels.class, recording.elementwise, called);
    recording.reduce = recorder(ReduceKernels.class, recording.reduce, called);
    recording.index = recorder(IndexKernels.class, recording.index, called);
    recording.copy = recorder(CopyKernels.class, recording.copy, called);

    long start = System.nanoTime();
    List<Check> checks = BackendComparison.run(new CpuBackend(), recording, SEED);
    long millis = (System.nanoTime() - start) / 1_000_000;
    List<Check> failed = checks.stream().filter(c -> !c.passed()).toList();
    String table = BackendComparison.table(checks);
    System.out.println(table.substring(table.lastIndexOf('\n', table.length() - 2) + 1).strip() + " in " + millis
        + " ms (cold JIT)");
    assertTrue(failed.isEmpty(), () -> BackendComparison.table(failed));
    assertTrue(checks.size() > 300, "only " + checks.size() + " checks");
    assertTrue(table.endsWith(checks.size() + " checks: " + checks.size() + " passed, 0 failed\n"), table);

    Set<String> pairs = checks.stream().map(c -> c.family() + "." + c.method()).collect(Collectors.toSet());
    List<String> missing = new ArrayList<>();
    families().forEach((name, type) -> {
      for (Method m : kernelMethods(type)) {
        if (!pairs.contains(name + "." + m.getName())) {
          missing.add("no check names " + name + "." + m.getName());
        }
        if (!called.contains(m)) {
          missing.add("never called: " + m.toGenericString());
        }
      }
    });
    assertEquals(List.of(), missing);
    Set<String> known = families().keySet();
    assertTrue(checks.stream().allMatch(c -> known.contains(c.family())), "unknown family in " + pairs);
  }

  @Test
  void aBackendThatComputesFloatsInDoubleIsWithinTolerance() {
    // The CUDA kernels sum float data in double; the CPU ones mostly in float. A candidate that
    // widens every float call to the double kernels differs from the CPU by float rounding only.
    List<Check> checks = BackendComparison.run(new CpuBackend(), widened(), SEED);
    List<Check> failed = checks.stream().filter(c -> !c.passed()).toList();
    assertTrue(failed.isEmpty(), () -> BackendComparison.table(failed));
    for (String family : families().keySet()) {
      checks.stream().filter(c -> c.family().equals(family) && c.tolerance() > 0)
          .max(Comparator.comparingDouble(c -> c.maxAbsError() / c.tolerance()))
          .ifPresent(c -> System.out.printf(Locale.ROOT, "floats in double: worst error/tolerance %.3f in %s %s %s%n",
              c.maxAbsError() / c.tolerance(), c.family(), c.method(), c.kase()));
    }
    assertTrue(checks.stream().anyMatch(c -> c.kase().startsWith("float ") && c.maxAbsError() > 0),
        "widening changed nothing");
  }

  @Test
  void theSameSeedGivesTheSameChecks() {
    Backend cpu = new CpuBackend();
    List<Check> first = BackendComparison.run(cpu, cpu, 7);
    List<Check> second = BackendComparison.run(cpu, cpu, 7);
    assertEquals(first, second);
  }

  /** A bug in one family, and which checks it should fail. */
  record Bug(String name, String family, UnaryOperator<Patched> patch, Predicate<Check> affected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> bugs() {
    return bugList().stream().map(Arguments::of);
  }

  private static List<Bug> bugList() {
    return List.of(
        new Bug("float gemm ignores accumulate", "gemm", p -> {
          GemmKernels base = p.gemm;
          p.gemm = new GemmKernels() {
            @Override
            public void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB, float[] c,
                int cOff, int m, int k, int n, boolean accumulate) {
              base.multiply(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n, false);
            }

            @Override
            public void multiply(double[] a, int aOff, boolean transA, double[] b, int bOff, boolean transB,
                double[] c, int cOff, int m, int k, int n, boolean accumulate) {
              base.multiply(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n, accumulate);
            }
          };
          return p;
        }, c -> c.kase().startsWith("float ") && c.kase().contains(" accumulate")),
        new Bug("float conv forward drops the bias", "conv", p -> {
          ConvKernels base = p.conv;
          p.conv = new DelegatingConv(base) {
            @Override
            public void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g,
                int group, float[] y, int[] yShape) {
              base.forward(x, xShape, w, wShape, null, g, group, y, yShape);
            }
          };
          return p;
        }, c -> c.method().equals("forward") && c.kase().startsWith("float ") && c.kase().contains("+bias")
            && !c.kase().contains(" fused ")),
        new Bug("float max pooling argmax off by one", "pool", p -> {
          PoolKernels base = p.pool;
          p.pool = new DelegatingPool(base) {
            @Override
            public void maxForward(float[] x, int[] xShape, WindowGeometry g, float[] y, int[] yShape,
                int[] argmax) {
              base.maxForward(x, xShape, g, y, yShape, argmax);
              int n = 1;
              for (int e : yShape) {
                n *= e;
              }
              for (int i = 0; argmax != null && i < n; i++) {
                argmax[i]++;
              }
            }
          };
          return p;
        }, c -> c.method().equals("maxForward") && c.kase().startsWith("float ") && !c.kase().endsWith("argmax null")),
        new Bug("float sum onto an axis leaves its last output unwritten", "reduce", p -> {
          ReduceKernels base = p.reduce;
          p.reduce = new DelegatingReduce(base) {
            @Override
            public void sumToAxis(float[] x, AxisView v, float[] out) {
              float[] all = new float[v.mid()];
              base.sumToAxis(x, v, all);
              System.arraycopy(all, 0, out, 0, v.mid() - 1);
            }
          };
          return p;
        }, c -> c.method().equals("sumToAxis") && c.kase().startsWith("float ")),
        new Bug("product onto an axis skips each run's last product", "reduce", p -> {
          ReduceKernels base = p.reduce;
          p.reduce = new DelegatingReduce(base) {
            @Override
            public void productToAxis(float[] x, float[] y, AxisView v, float[] out) {
              float[] cut = y.clone();
              for (int r = 0; r < v.outer() * v.mid(); r++) {
                cut[(r + 1) * v.inner() - 1] = 0f;
              }
              base.productToAxis(x, cut, v, out);
            }
          };
          return p;
        }, c -> c.method().equals("productToAxis")),
        new Bug("float softmax without subtracting the maximum", "reduce", p -> {
          ReduceKernels base = p.reduce;
          p.reduce = new DelegatingReduce(base) {
            @Override
            public void softmax(float[] x, AxisView v, boolean log, float[] out) {
              naiveSoftmax(x, v, log, out);
            }
          };
          return p;
        }, c -> c.method().equals("softmax") && c.kase().startsWith("float ") && c.kase().contains("large logits")),
        new Bug("float strided copy reads reversed dimensions forwards", "copy", p -> {
          CopyKernels base = p.copy;
          p.copy = new DelegatingCopy(base) {
            @Override
            public void copy(float[] src, int srcOff, int[] srcStrides, int[] shape, float[] dst, int dstOff) {
              int[] strides = srcStrides.clone();
              int off = srcOff;
              for (int d = 0; d < strides.length; d++) {
                if (strides[d] < 0) {
                  off += (shape[d] - 1) * strides[d];
                  strides[d] = -strides[d];
                }
              }
              base.copy(src, off, strides, shape, dst, dstOff);
            }
          };
          return p;
        }, c -> c.method().equals("copy") && c.kase().startsWith("float ") && c.kase().matches(".*strides \\[[^]]*-.*")),
        new Bug("row copy drops each row's last element", "copy", p -> {
          CopyKernels base = p.copy;
          p.copy = new DelegatingCopy(base) {
            @Override
            public void copyRows(float[] src, int srcOff, int srcRow, float[] dst, int dstOff, int dstRow, int rows,
                int len) {
              base.copyRows(src, srcOff, srcRow, dst, dstOff, dstRow, rows, len - 1);
            }
          };
          return p;
        }, c -> c.method().equals("copyRows") && !c.kase().startsWith("float 0 rows")),
        new Bug("index kernels missing", "index", p -> {
          p.index = new IndexKernels() {
            @Override
            public void gather(float[] src, AxisView v, int[] indices, float[] out) {
              throw new UnsupportedOperationException("gather");
            }

            @Override
            public void gather(double[] src, AxisView v, int[] indices, double[] out) {
              throw new UnsupportedOperationException("gather");
            }

            @Override
            public void scatterAdd(float[] src, int[] indices, AxisView v, float[] out) {
              throw new UnsupportedOperationException("scatterAdd");
            }

            @Override
            public void scatterAdd(double[] src, int[] indices, AxisView v, double[] out) {
              throw new UnsupportedOperationException("scatterAdd");
            }
          };
          return p;
        }, c -> true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bugs")
  void aBugFailsExactlyTheChecksItTouches(Bug bug) {
    List<Check> checks = BackendComparison.run(new CpuBackend(), bug.patch().apply(new Patched()), SEED);
    List<Check> expected = checks.stream().filter(c -> c.family().equals(bug.family()) && bug.affected().test(c))
        .toList();
    List<Check> failed = checks.stream().filter(c -> !c.passed()).toList();
    assertFalse(expected.isEmpty(), "no check matches the bug");
    System.out.println(bug.name() + ": " + failed.size() + " of " + checks.size() + " checks fail");
    assertEquals(expected.stream().map(Check::kase).toList(), failed.stream().map(Check::kase).toList(),
        () -> BackendComparison.table(failed));
    for (Check c : failed) {
      assertEquals(bug.family(), c.family());
      assertTrue(c.maxAbsError() > c.tolerance(), c.toString());
    }
    String table = BackendComparison.table(checks);
    assertTrue(table.endsWith(checks.size() + " checks: " + (checks.size() - failed.size()) + " passed, "
        + failed.size() + " failed\n"), table);
    assertTrue(table.contains("FAIL"), table);
  }

  @Test
  void aMissingKernelIsAFailureWithWhatItThrew() {
    Bug missing = bugList().stream().filter(b -> b.family().equals("index")).findFirst().orElseThrow();
    Patched p = missing.patch().apply(new Patched());
    List<Check> index = BackendComparison.run(new CpuBackend(), p, SEED).stream()
        .filter(c -> c.family().equals("index")).toList();
    assertFalse(index.isEmpty());
    for (Check c : index) {
      assertTrue(c.detail().startsWith("candidate threw UnsupportedOperationException"), c.detail());
      assertEquals(Double.POSITIVE_INFINITY, c.maxAbsError());
    }
  }

  @Test
  void aCandidateThatWritesItsInputFails() {
    Patched p = new Patched();
    ElementwiseKernels base = p.elementwise;
    p.elementwise = new ElementwiseKernels() {
      @Override
      public void unary(Activation f, float[] x, float alpha, float beta, float[] out, int n) {
        base.unary(f, x, alpha, beta, out, n);
      }

      @Override
      public void unaryBackward(Activation f, float[] x, float[] y, float[] gy, float alpha, float beta, float[] gx,
          int n) {
        base.unaryBackward(f, x, y, gy, alpha, beta, gx, n);
      }

      @Override
      public void binary(Arithmetic op, float[] full, float[] small, boolean smallFirst, AxisView v, float[] out) {
        base.binary(op, full, small, smallFirst, v, out);
      }

      @Override
      public void affine(float[] full, float[] scale, float[] shift, AxisView v, float[] out) {
        base.affine(full, scale, shift, v, out);
        scale[0] = 0; // scribbles on an input
      }
    };
    List<Check> failed = BackendComparison.run(new CpuBackend(), p, SEED).stream().filter(c -> !c.passed()).toList();
    assertFalse(failed.isEmpty());
    for (Check c : failed) {
      assertEquals("affine", c.method());
      assertEquals("candidate changed its input scale", c.detail());
    }
  }

  // ------------------------------------------------------------------ helpers

  /** The CPU backend with each family replaceable. */
  static final class Patched implements Backend {
    private final Backend base = new CpuBackend();
    GemmKernels gemm = base.gemm();
    ConvKernels conv = base.conv();
    PoolKernels pool = base.pool();
    ElementwiseKernels elementwise = base.elementwise();
    ReduceKernels reduce = base.reduce();
    IndexKernels index = base.index();
    CopyKernels copy = base.copy();

    @Override
    public Device device() {
      return base.device();
    }

    @Override
    public Availability availability() {
      return base.availability();
    }

    @Override
    public Allocator allocator() {
      return base.allocator();
    }

    @Override
    public GemmKernels gemm() {
      return gemm;
    }

    @Override
    public ConvKernels conv() {
      return conv;
    }

    @Override
    public PoolKernels pool() {
      return pool;
    }

    @Override
    public ElementwiseKernels elementwise() {
      return elementwise;
    }

    @Override
    public ReduceKernels reduce() {
      return reduce;
    }

    @Override
    public IndexKernels index() {
      return index;
    }

    @Override
    public CopyKernels copy() {
      return copy;
    }
  }

  /** A family that forwards every call, the default methods included, to {@code target}, noting the method. */
  private static <T> T recorder(Class<T> family, T target, Set<Method> called) {
    return family.cast(Proxy.newProxyInstance(family.getClassLoader(), new Class<?>[] {family}, (proxy, m, args) -> {
      called.add(m);
      try {
        return m.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }));
  }

  /** Softmax as e^x / Σ e^x in float, without the shift by the maximum: it overflows for large inputs. */
  private static void naiveSoftmax(float[] x, AxisView v, boolean log, float[] out) {
    float[] e = new float[v.mid()];
    for (int o = 0; o < v.outer(); o++) {
      for (int i = 0; i < v.inner(); i++) {
        float s = 0;
        for (int m = 0; m < v.mid(); m++) {
          e[m] = (float) Math.exp(x[(o * v.mid() + m) * v.inner() + i]);
          s += e[m];
        }
        for (int m = 0; m < v.mid(); m++) {
          int at = (o * v.mid() + m) * v.inner() + i;
          out[at] = log ? (float) Math.log(e[m] / s) : e[m] / s;
        }
      }
    }
  }

  // ------------------------------------------------------------------ floats computed in double

  private static double[] wide(float[] a) {
    if (a == null) {
      return null;
    }
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  private static void narrow(double[] d, float[] a) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) d[i];
    }
  }

  /** f′(x) in double, with the CPU backend's conventions at the kinks. */
  private static double derivative(Activation f, double x, double a, double b) {
    return switch (f) {
      case RELU -> x > 0 ? 1 : 0;
      case SIGMOID -> {
        double s = 1 / (1 + Math.exp(-x));
        yield s * (1 - s);
      }
      case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
      case HARD_SIGMOID -> {
        double z = a * x + b;
        yield z > 0 && z < 1 ? a : 0;
      }
      case HARD_SWISH -> {
        double z = a * x + b;
        yield Math.max(0, Math.min(1, z)) + (z > 0 && z < 1 ? a * x : 0);
      }
      case SILU -> {
        double s = 1 / (1 + Math.exp(-x));
        yield s * (1 + x * (1 - s));
      }
      case CLIP -> x >= a && x <= b ? 1 : 0;
    };
  }

  /** The CPU backend with every float kernel run as the double one on widened copies. */
  private static Backend widened() {
    Patched p = new Patched();
    Backend cpu = new CpuBackend();
    p.gemm = new GemmKernels() {
      @Override
      public void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB, float[] c,
          int cOff, int m, int k, int n, boolean accumulate) {
        double[] wc = wide(c);
        cpu.gemm().multiply(wide(a), aOff, transA, wide(b), bOff, transB, wc, cOff, m, k, n, accumulate);
        narrow(wc, c);
      }

      @Override
      public void multiply(double[] a, int aOff, boolean transA, double[] b, int bOff, boolean transB, double[] c,
          int cOff, int m, int k, int n, boolean accumulate) {
        cpu.gemm().multiply(a, aOff, transA, b, bOff, transB, c, cOff, m, k, n, accumulate);
      }
    };
    p.conv = new DelegatingConv(cpu.conv()) {
      @Override
      public void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g,
          int group, float[] y, int[] yShape) {
        double[] wy = wide(y);
        cpu.conv().forward(wide(x), xShape, wide(w), wShape, wide(bias), g, group, wy, yShape);
        narrow(wy, y);
      }

      @Override
      public void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g,
          int group, Activation f, float alpha, float beta, float[] y, int[] yShape) {
        double[] wy = wide(y);
        cpu.conv().forward(wide(x), xShape, wide(w), wShape, wide(bias), g, group, wy, yShape);
        int n = 1;
        for (int e : yShape) {
          n *= e;
        }
        for (int i = 0; i < n; i++) {
          y[i] = (float) f.apply(wy[i], alpha, beta);
        }
      }

      @Override
      public void backwardData(float[] gy, int[] yShape, float[] w, int[] wShape, WindowGeometry g, int group,
          float[] gx, int[] xShape) {
        double[] wx = wide(gx);
        cpu.conv().backwardData(wide(gy), yShape, wide(w), wShape, g, group, wx, xShape);
        narrow(wx, gx);
      }

      @Override
      public void backwardWeight(float[] gy, int[] yShape, float[] x, int[] xShape, WindowGeometry g, int group,
          float[] gw, int[] wShape) {
        double[] ww = wide(gw);
        cpu.conv().backwardWeight(wide(gy), yShape, wide(x), xShape, g, group, ww, wShape);
        narrow(ww, gw);
      }
    };
    p.pool = new DelegatingPool(cpu.pool()) {
      @Override
      public void maxForward(float[] x, int[] xShape, WindowGeometry g, float[] y, int[] yShape, int[] argmax) {
        double[] wy = wide(y);
        cpu.pool().maxForward(wide(x), xShape, g, wy, yShape, argmax);
        narrow(wy, y);
      }

      @Override
      public void maxBackward(float[] gy, int[] argmax, float[] gx) {
        double[] wx = wide(gx);
        cpu.pool().maxBackward(wide(gy), argmax, wx);
        narrow(wx, gx);
      }

      @Override
      public void averageForward(float[] x, int[] xShape, WindowGeometry g, boolean countIncludePad, float[] y,
          int[] yShape) {
        double[] wy = wide(y);
        cpu.pool().averageForward(wide(x), xShape, g, countIncludePad, wy, yShape);
        narrow(wy, y);
      }

      @Override
      public void averageBackward(float[] gy, int[] yShape, WindowGeometry g, boolean countIncludePad, float[] gx,
          int[] xShape) {
        double[] wx = wide(gx);
        cpu.pool().averageBackward(wide(gy), yShape, g, countIncludePad, wx, xShape);
        narrow(wx, gx);
      }
    };
    p.elementwise = new ElementwiseKernels() {
      @Override
      public void unary(Activation f, float[] x, float alpha, float beta, float[] out, int n) {
        for (int i = 0; i < n; i++) {
          out[i] = (float) f.apply(x[i], alpha, beta);
        }
      }

      @Override
      public void unaryBackward(Activation f, float[] x, float[] y, float[] gy, float alpha, float beta, float[] gx,
          int n) {
        for (int i = 0; i < n; i++) {
          gx[i] = (float) (gy[i] * derivative(f, x[i], alpha, beta));
        }
      }

      @Override
      public void binary(Arithmetic op, float[] full, float[] small, boolean smallFirst, AxisView v, float[] out) {
        for (int i = 0; i < v.size(); i++) {
          double f = full[i];
          double s = small[i / v.inner() % v.mid()];
          double l = smallFirst ? s : f;
          double r = smallFirst ? f : s;
          out[i] = (float) switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
          };
        }
      }

      @Override
      public void affine(float[] full, float[] scale, float[] shift, AxisView v, float[] out) {
        for (int i = 0; i < v.size(); i++) {
          int m = i / v.inner() % v.mid();
          out[i] = (float) ((double) full[i] * scale[m] + shift[m]);
        }
      }
    };
    p.reduce = new DelegatingReduce(cpu.reduce()) {
      @Override
      public void sumOverAxis(float[] x, AxisView v, float[] out) {
        double[] wo = wide(out);
        cpu.reduce().sumOverAxis(wide(x), v, wo);
        narrow(wo, out);
      }

      @Override
      public void sumToAxis(float[] x, AxisView v, float[] out) {
        double[] wo = wide(out);
        cpu.reduce().sumToAxis(wide(x), v, wo);
        narrow(wo, out);
      }

      @Override
      public void softmax(float[] x, AxisView v, boolean log, float[] out) {
        double[] wo = wide(out);
        cpu.reduce().softmax(wide(x), v, log, wo);
        narrow(wo, out);
      }
    };
    p.index = new IndexKernels() {
      @Override
      public void gather(float[] src, AxisView v, int[] indices, float[] out) {
        double[] wo = wide(out);
        cpu.index().gather(wide(src), v, indices, wo);
        narrow(wo, out);
      }

      @Override
      public void gather(double[] src, AxisView v, int[] indices, double[] out) {
        cpu.index().gather(src, v, indices, out);
      }

      @Override
      public void scatterAdd(float[] src, int[] indices, AxisView v, float[] out) {
        double[] wo = wide(out);
        cpu.index().scatterAdd(wide(src), indices, v, wo);
        narrow(wo, out);
      }

      @Override
      public void scatterAdd(double[] src, int[] indices, AxisView v, double[] out) {
        cpu.index().scatterAdd(src, indices, v, out);
      }
    };
    return p;
  }

  /** Conv kernels that forward to another implementation; a bug overrides one method. */
  private static class DelegatingConv implements ConvKernels {
    private final ConvKernels base;

    DelegatingConv(ConvKernels base) {
      this.base = base;
    }

    @Override
    public void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g, int group,
        float[] y, int[] yShape) {
      base.forward(x, xShape, w, wShape, bias, g, group, y, yShape);
    }

    @Override
    public void forward(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g, int group,
        Activation f, float alpha, float beta, float[] y, int[] yShape) {
      base.forward(x, xShape, w, wShape, bias, g, group, f, alpha, beta, y, yShape);
    }

    @Override
    public void forwardInto(float[] x, int[] xShape, float[] w, int[] wShape, float[] bias, WindowGeometry g,
        int group, Activation f, float alpha, float beta, float[] y, int[] yShape, int channel) {
      base.forwardInto(x, xShape, w, wShape, bias, g, group, f, alpha, beta, y, yShape, channel);
    }

    @Override
    public void backwardData(float[] gy, int[] yShape, float[] w, int[] wShape, WindowGeometry g, int group,
        float[] gx, int[] xShape) {
      base.backwardData(gy, yShape, w, wShape, g, group, gx, xShape);
    }

    @Override
    public void backwardWeight(float[] gy, int[] yShape, float[] x, int[] xShape, WindowGeometry g, int group,
        float[] gw, int[] wShape) {
      base.backwardWeight(gy, yShape, x, xShape, g, group, gw, wShape);
    }

    @Override
    public void forward(double[] x, int[] xShape, double[] w, int[] wShape, double[] bias, WindowGeometry g,
        int group, double[] y, int[] yShape) {
      base.forward(x, xShape, w, wShape, bias, g, group, y, yShape);
    }

    @Override
    public void backwardData(double[] gy, int[] yShape, double[] w, int[] wShape, WindowGeometry g, int group,
        double[] gx, int[] xShape) {
      base.backwardData(gy, yShape, w, wShape, g, group, gx, xShape);
    }

    @Override
    public void backwardWeight(double[] gy, int[] yShape, double[] x, int[] xShape, WindowGeometry g, int group,
        double[] gw, int[] wShape) {
      base.backwardWeight(gy, yShape, x, xShape, g, group, gw, wShape);
    }
  }

  /** Pool kernels that forward to another implementation. */
  private static class DelegatingPool implements PoolKernels {
    private final PoolKernels base;

    DelegatingPool(PoolKernels base) {
      this.base = base;
    }

    @Override
    public void maxForward(float[] x, int[] xShape, WindowGeometry g, float[] y, int[] yShape, int[] argmax) {
      base.maxForward(x, xShape, g, y, yShape, argmax);
    }

    @Override
    public void maxForward(double[] x, int[] xShape, WindowGeometry g, double[] y, int[] yShape, int[] argmax) {
      base.maxForward(x, xShape, g, y, yShape, argmax);
    }

    @Override
    public void maxBackward(float[] gy, int[] argmax, float[] gx) {
      base.maxBackward(gy, argmax, gx);
    }

    @Override
    public void maxBackward(double[] gy, int[] argmax, double[] gx) {
      base.maxBackward(gy, argmax, gx);
    }

    @Override
    public void averageForward(float[] x, int[] xShape, WindowGeometry g, boolean countIncludePad, float[] y,
        int[] yShape) {
      base.averageForward(x, xShape, g, countIncludePad, y, yShape);
    }

    @Override
    public void averageForward(double[] x, int[] xShape, WindowGeometry g, boolean countIncludePad, double[] y,
        int[] yShape) {
      base.averageForward(x, xShape, g, countIncludePad, y, yShape);
    }

    @Override
    public void averageBackward(float[] gy, int[] yShape, WindowGeometry g, boolean countIncludePad, float[] gx,
        int[] xShape) {
      base.averageBackward(gy, yShape, g, countIncludePad, gx, xShape);
    }

    @Override
    public void averageBackward(double[] gy, int[] yShape, WindowGeometry g, boolean countIncludePad, double[] gx,
        int[] xShape) {
      base.averageBackward(gy, yShape, g, countIncludePad, gx, xShape);
    }
  }

  /** Reduce kernels that forward to another implementation. */
  private static class DelegatingReduce implements ReduceKernels {
    private final ReduceKernels base;

    DelegatingReduce(ReduceKernels base) {
      this.base = base;
    }

    @Override
    public void sumOverAxis(float[] x, AxisView v, float[] out) {
      base.sumOverAxis(x, v, out);
    }

    @Override
    public void sumOverAxis(double[] x, AxisView v, double[] out) {
      base.sumOverAxis(x, v, out);
    }

    @Override
    public void sumToAxis(float[] x, AxisView v, float[] out) {
      base.sumToAxis(x, v, out);
    }

    @Override
    public void sumToAxis(double[] x, AxisView v, double[] out) {
      base.sumToAxis(x, v, out);
    }

    @Override
    public void productToAxis(float[] x, float[] y, AxisView v, float[] out) {
      base.productToAxis(x, y, v, out);
    }

    @Override
    public void softmax(float[] x, AxisView v, boolean log, float[] out) {
      base.softmax(x, v, log, out);
    }

    @Override
    public void softmax(double[] x, AxisView v, boolean log, double[] out) {
      base.softmax(x, v, log, out);
    }
  }

  /** Copy kernels that forward to another implementation. */
  private static class DelegatingCopy implements CopyKernels {
    private final CopyKernels base;

    DelegatingCopy(CopyKernels base) {
      this.base = base;
    }

    @Override
    public void copy(float[] src, int srcOff, int[] srcStrides, int[] shape, float[] dst, int dstOff) {
      base.copy(src, srcOff, srcStrides, shape, dst, dstOff);
    }

    @Override
    public void copy(double[] src, int srcOff, int[] srcStrides, int[] shape, double[] dst, int dstOff) {
      base.copy(src, srcOff, srcStrides, shape, dst, dstOff);
    }

    @Override
    public void cast(float[] src, double[] dst, int n) {
      base.cast(src, dst, n);
    }

    @Override
    public void copyRows(float[] src, int srcOff, int srcRow, float[] dst, int dstOff, int dstRow, int rows,
        int len) {
      base.copyRows(src, srcOff, srcRow, dst, dstOff, dstRow, rows, len);
    }

    @Override
    public void cast(double[] src, float[] dst, int n) {
      base.cast(src, dst, n);
    }
  }
}
