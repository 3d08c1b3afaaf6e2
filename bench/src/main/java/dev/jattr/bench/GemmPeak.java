package dev.jattr.bench;

import dev.jattr.kernels.cpu.MatMul;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures this machine's single-thread float FMA peak (twelve independent {@code FloatVector}
 * fma chains, enough to cover the latency of two FMA pipes) and the single-thread GFLOP/s of the
 * CPU backend's matrix product at 512×512×512, and prints their ratio. Each figure is the best of
 * {@code --rounds} timed rounds (default 10), so that another process on a shared machine only
 * lowers the worse rounds. Run: {@code java --add-modules jdk.incubator.vector -cp
 * "bench/target/jattr-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" dev.jattr.bench.GemmPeak}.
 */
public final class GemmPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;

    private GemmPeak() {}

    /** Entry point: {@code [--rounds N] [--size N]}. */
    public static void main(String[] args) {
        int rounds = 10, size = 512;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--size" -> size = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --rounds N, --size N");
            }
        }
        double peak = 0, gemm = 0;
        long iters = 20_000_000;
        fmaChains(iters / 10); // compile before timing
        for (int r = 0; r < rounds; r++) {
            long t = System.nanoTime();
            float sink = fmaChains(iters);
            double s = (System.nanoTime() - t) / 1e9;
            peak = Math.max(peak, 2.0 * CHAINS * S.length() * iters / s / 1e9);
            if (sink == 42f) {
                System.out.print("");
            }
        }
        int n = size;
        Random rnd = new Random(1);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
            b[i] = rnd.nextFloat() - 0.5f;
        }
        // C2 compiles the micro-kernel after a few seconds of calls; time only the compiled code
        for (long end = System.nanoTime() + 4_000_000_000L; System.nanoTime() < end; ) {
            MatMul.multiply(a, 0, false, b, 0, false, c, 0, n, n, n, false, false);
        }
        int reps = Math.max(3, (int) (2e9 / (2.0 * n * n * n)));
        for (int r = 0; r < rounds; r++) {
            long t = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                MatMul.multiply(a, 0, false, b, 0, false, c, 0, n, n, n, false, false);
            }
            double s = (System.nanoTime() - t) / 1e9;
            gemm = Math.max(gemm, 2.0 * n * n * n * reps / s / 1e9);
        }
        System.out.printf("vector: %d float lanes (%d bits)%n", S.length(), S.vectorBitSize());
        System.out.printf("FMA peak, one thread:            %8.1f GFLOP/s (best of %d)%n", peak, rounds);
        System.out.printf("SGEMM %d³, one thread:          %8.1f GFLOP/s (best of %d)%n", n, gemm, rounds);
        System.out.printf("SGEMM / peak:                     %7.0f %%%n", 100 * gemm / peak);
    }

    /** {@value #CHAINS} independent fma chains of {@code iters} steps each. */
    private static float fmaChains(long iters) {
        FloatVector x = FloatVector.broadcast(S, 0.999999f), y = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
