package dev.jattr.attr.parity;

import dev.jattr.graph.Tensor;
import java.util.Arrays;

/** The corpus's comparisons of an actual tensor against an expected one. */
public final class Comparison {
    private Comparison() {}

    /**
     * Null when {@code actual} matches {@code expected}, else a one-line description of the worst
     * mismatch. {@code allclose}: |a − e| ≤ rtol·max|e| + 1e-6 elementwise; {@code relative_l2}:
     * ‖a − e‖₂/‖e‖₂ ≤ rtol.
     */
    public static String mismatch(String what, Tensor actual, Tensor expected, double rtol, String compare) {
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            return what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape());
        }
        int n = actual.size();
        switch (compare) {
            case "allclose" -> {
                double tol = rtol * expected.maxAbs() + 1e-6;
                int worst = -1;
                double worstErr = 0;
                for (int i = 0; i < n; i++) {
                    double a = actual.getDouble(i), e = expected.getDouble(i);
                    double err = Math.abs(a - e);
                    if (Double.isNaN(a) || err > tol && err > worstErr) {
                        worst = i;
                        worstErr = Double.isNaN(a) ? Double.POSITIVE_INFINITY : err;
                    }
                }
                return worst < 0 ? null : String.format("%s: at flat index %d got %.6g, expected %.6g (|diff| %.3g > tol %.3g)",
                        what, worst, actual.getDouble(worst), expected.getDouble(worst), worstErr, tol);
            }
            case "relative_l2" -> {
                double num = 0, den = 0;
                for (int i = 0; i < n; i++) {
                    double d = actual.getDouble(i) - expected.getDouble(i);
                    num += d * d;
                    den += expected.getDouble(i) * expected.getDouble(i);
                }
                double rel = Math.sqrt(num) / Math.sqrt(den);
                return rel <= rtol ? null : String.format("%s: relative L2 error %.4g > %.4g", what, rel, rtol);
            }
            default -> {
                return what + ": unknown comparison '" + compare + "'";
            }
        }
    }
}
