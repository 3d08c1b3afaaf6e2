package dev.jattr.bench;

import java.util.Arrays;

/** Statistics of timings, shared by the benchmarks (free of ONNX Runtime, so that {@link DeviceBench} runs without it). */
final class Stats {
    private Stats() {}

    /** The median of {@code v}. */
    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
