package dev.jattr.kernels.cuda;

import dev.jattr.kernels.Availability;
import dev.jattr.kernels.BackendComparison;
import dev.jattr.kernels.Backends;
import dev.jattr.kernels.cuda.driver.CudaDriver;
import dev.jattr.kernels.cuda.driver.Dim3;
import dev.jattr.kernels.cuda.driver.KernelArgs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The GPU check of {@code scripts/gpu-check.sh}: every kernel of the CUDA backend against the CPU
 * backend on random inputs ({@link BackendComparison}), then the speed of the GEMM and
 * convolution kernels on device-resident buffers, timed with CUDA events.
 *
 * <p>{@code java ... dev.jattr.kernels.cuda.CudaSelfCheck [JSON]}: prints the comparison table and
 * the timings, writes them as JSON when a path is given, and exits 1 when a kernel differs from
 * the CPU, 2 when CUDA cannot run here.
 */
public final class CudaSelfCheck {
  private CudaSelfCheck() {}

  /** A timed kernel: its name, shape, milliseconds per launch and GFLOP/s. */
  record Timing(String kernel, String shape, double ms, double gflops) {}

  /**
   * Runs the check.
   *
   * @param args an optional JSON output path
   * @throws IOException when the JSON cannot be written
   */
  public static void main(String[] args) throws IOException {
    PrintStream out = System.out;
    CudaBackend cuda = new CudaBackend(false);
    Availability a = cuda.availability();
    if (!a.available()) {
      System.err.println("jattr: CUDA is not available: " + a.reason());
      System.exit(2);
    }
    out.println("device: " + cuda.description());
    List<BackendComparison.Check> checks = new ArrayList<>(BackendComparison.run(Backends.cpu(), cuda, 42));
    out.println(BackendComparison.table(checks));
    CudaBackend tf32 = new CudaBackend(true);
    tf32.availability();
    long failed = checks.stream().filter(c -> !c.passed()).count();
    List<Timing> timings = timings(tf32);
    for (Timing t : timings) {
      out.printf(Locale.ROOT, "%-22s %-44s %10.4f ms %10.1f GFLOP/s%n", t.kernel(), t.shape(), t.ms(), t.gflops());
    }
    if (args.length > 0) {
      Files.writeString(Path.of(args[0]), json(cuda.description(), checks, timings));
    }
    System.exit(failed == 0 ? 0 : 1);
  }

  private static String json(String device, List<BackendComparison.Check> checks, List<Timing> timings) {
    StringBuilder b = new StringBuilder("{\"device\": ").append(quote(device));
    b.append(", \"checks\": ").append(checks.size());
    b.append(", \"failed\": [");
    String sep = "";
    for (BackendComparison.Check c : checks) {
      if (!c.passed()) {
        b.append(sep).append(quote(c.family() + " " + c.method() + " " + c.kase() + ": error " + c.maxAbsError()
            + " > " + c.tolerance()));
        sep = ", ";
      }
    }
    b.append("], \"timings\": [");
    sep = "";
    for (Timing t : timings) {
      b.append(sep).append(String.format(Locale.ROOT,
          "{\"kernel\": %s, \"shape\": %s, \"ms\": %.5f, \"gflops\": %.1f}", quote(t.kernel()), quote(t.shape()),
          t.ms(), t.gflops()));
      sep = ", ";
    }
    return b.append("]}\n").toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** GEMM and convolution shapes, also timed in PyTorch by {@code scripts/gpu-torch-bench.py}. */
  static List<Timing> timings(CudaBackend backend) {
    CudaDevice dev = backend.deviceForChecks();
    List<Timing> t = new ArrayList<>();
    for (int s : new int[] {512, 1024, 4096}) {
      t.add(gemm(dev, "gemm_f32", s, s, s));
      t.add(gemm(dev, "gemm_tf32", s, s, s));
    }
    // x[N, C, H, W], w[M, C/group, k, k], stride, pad, group
    int[][] convs = {
        {32, 64, 56, 56, 64, 3, 1, 1, 1},
        {50, 96, 24, 24, 24, 1, 1, 0, 1},
        {50, 32, 48, 48, 32, 3, 1, 1, 32},
        {50, 144, 24, 24, 144, 5, 2, 2, 144}};
    for (int[] c : convs) {
      t.add(conv(dev, c, false));
      if (CudaConv.usesGemm(c[1], new int[] {c[4], c[1] / c[8]}, c[8])) {
        t.add(conv(dev, c, true));
      }
    }
    return t;
  }

  private static long randomBuffer(CudaDevice dev, CudaDevice.Call call, int n) {
    float[] h = new float[n];
    SplittableRandom r = new SplittableRandom(n);
    for (int i = 0; i < n; i++) {
      h[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return call.upload(h, 0, n);
  }

  private static Timing gemm(CudaDevice dev, String kernel, int m, int k, int n) {
    double[] ms = new double[1];
    dev.call(call -> {
      long a = randomBuffer(dev, call, m * k), b = randomBuffer(dev, call, k * n), c = call.scratch(4L * m * n);
      KernelArgs args = new KernelArgs().pointer(a).i32(0).pointer(b).i32(0).pointer(c).i32(m).i32(k).i32(n).i32(0);
      ms[0] = timeLaunches(dev, call, "gemm", kernel, CudaGemm.grid(m, n), CudaGemm.BLOCK, args);
    });
    return new Timing(kernel, m + "x" + k + "x" + n, ms[0], 2.0 * m * k * n / (ms[0] * 1e6));
  }

  private static Timing conv(CudaDevice dev, int[] c, boolean gemm) {
    int n = c[0], ch = c[1], h = c[2], w = c[3], m = c[4], k = c[5], stride = c[6], pad = c[7], group = c[8];
    int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
    int[] xShape = {n, ch, h, w}, wShape = {m, ch / group, k, k}, yShape = {n, m, oh, ow};
    int[] win = Windows.of(xShape, m, group, yShape, new dev.jattr.kernels.WindowGeometry(new int[] {k, k},
        new int[] {stride, stride}, new int[] {pad, pad, pad, pad}, null));
    double[] ms = new double[1];
    int ny = Windows.size(yShape);
    dev.call(call -> {
      long x = randomBuffer(dev, call, Windows.size(xShape)), wt = randomBuffer(dev, call, Windows.size(wShape));
      long y = call.scratch(4L * ny);
      KernelArgs args = new KernelArgs().pointer(x).pointer(wt).pointer(0).pointer(y).struct(win).i32(-1).f32(0)
          .f32(0);
      ms[0] = gemm
          ? timeLaunches(dev, call, "conv", "conv_gemm_fwd_f32", CudaConv.gemmGrid(m / group, ny / m, group),
              Dim3.of(CudaDevice.THREADS), args.i32(m).i32(0))
          : timeLaunches(dev, call, "conv", "conv_fwd_f32", CudaDevice.grid1d(ny), Dim3.of(CudaDevice.THREADS), args);
    });
    double flops = 2.0 * ny * (ch / group) * k * k;
    return new Timing(gemm ? "conv_gemm_fwd_f32" : "conv_fwd_f32", "x" + Arrays.toString(xShape) + " w" + Arrays.toString(wShape) + " s" + stride,
        ms[0], flops / (ms[0] * 1e6));
  }

  private static double timeLaunches(CudaDevice dev, CudaDevice.Call call, String module, String kernel, Dim3 grid,
      Dim3 block, KernelArgs args) {
    CudaDriver d = dev.driver();
    for (int i = 0; i < 3; i++) {
      call.launch(module, kernel, grid, block, args);
    }
    long start = d.createEvent(), end = d.createEvent();
    int reps = 20;
    d.record(start, dev.stream());
    for (int i = 0; i < reps; i++) {
      call.launch(module, kernel, grid, block, args);
    }
    d.record(end, dev.stream());
    double ms = d.elapsedMillis(start, end) / reps;
    d.destroyEvent(start);
    d.destroyEvent(end);
    return ms;
  }
}
