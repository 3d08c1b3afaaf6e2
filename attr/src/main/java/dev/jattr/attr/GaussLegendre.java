package dev.jattr.attr;

/**
 * Nodes and weights of the n-point Gauss–Legendre rule on [−1, 1], in O(n) time overall.
 *
 * <p>Each node is found by Newton's method in θ (x = cos θ) from Tricomi's initial guess. Where
 * n·sin θ is large, P_n(cos θ) and P_{n−1}(cos θ) come from Stieltjes' asymptotic expansion,
 * a few terms each, so a node costs O(1) (the interior method of Hale and Townsend, "Fast and
 * accurate computation of Gauss–Legendre and Gauss–Jacobi quadrature nodes and weights", SIAM
 * J. Sci. Comput. 35, 2013). The few nodes near ±1 where the expansion is poor (n·sin θ below
 * {@link #ASYMPTOTIC_FROM}, at most about 16 at each end) and every node of a small rule use the
 * three-term recurrence, O(n) per node. Either way the nodes agree with the recurrence to about
 * 1e-15 (GaussLegendreTest).
 */
final class GaussLegendre {
    /** Rules up to this size use the recurrence for every node. */
    static final int RECURRENCE_UP_TO = 100;
    /** The expansion is used where n·sin θ is at least this. */
    private static final double ASYMPTOTIC_FROM = 50;

    private GaussLegendre() {}

    /** Nodes (ascending) and weights: {@code {x, w}}. */
    static double[][] rule(int n) {
        return rule(n, n > RECURRENCE_UP_TO);
    }

    /** The rule with every node by the recurrence, as jattr computed it before (O(n²); a reference for tests). */
    static double[][] recurrenceRule(int n) {
        return rule(n, false);
    }

    private static double[][] rule(int n, boolean expansion) {
        if (n < 1) {
            throw new IllegalArgumentException("n_steps must be at least 1, got " + n);
        }
        double[] x = new double[n], w = new double[n];
        double c = expansion ? constant(n) : 0;
        for (int i = 0; i < (n + 1) / 2; i++) {
            double guess = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double[] zw = expansion && n * Math.sqrt(1 - guess * guess) >= ASYMPTOTIC_FROM
                    ? asymptotic(n, tricomi(n, guess), c) : recurrence(n, guess);
            x[i] = -zw[0];
            x[n - 1 - i] = zw[0];
            w[i] = w[n - 1 - i] = zw[1];
        }
        if (n % 2 == 1) {
            x[n / 2] = 0;
        }
        return new double[][] {x, w};
    }

    /** Tricomi's initial guess for a node, from the first-order guess cos((4k−1)π/(4n+2)): θ. */
    private static double tricomi(int n, double first) {
        double nn = n;
        return Math.acos((1 - 1 / (8 * nn * nn) + 1 / (8 * nn * nn * nn)) * first);
    }

    /** Node and weight by Newton's method on the recurrence for P_n, from {@code z}. */
    private static double[] recurrence(int n, double z) {
        for (int iter = 0; iter < 100; iter++) {
            double[] p = legendre(n, z);
            double dz = p[0] / derivative(n, z, p);
            z -= dz;
            if (Math.abs(dz) < 1e-16) {
                break;
            }
        }
        double dp = derivative(n, z, legendre(n, z));
        return new double[] {z, 2 / ((1 - z * z) * dp * dp)};
    }

    /** {P_n(z), P_{n−1}(z)} by the three-term recurrence. */
    private static double[] legendre(int n, double z) {
        double p0 = 1, p1 = z;
        for (int k = 2; k <= n; k++) {
            double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
            p0 = p1;
            p1 = p2;
        }
        return new double[] {p1, p0};
    }

    /** P_n'(z) from {P_n, P_{n−1}}. */
    private static double derivative(int n, double z, double[] p) {
        return n == 1 ? 1 : n * (z * p[0] - p[1]) / (z * z - 1);
    }

    /**
     * Node and weight by Newton's method in θ on Stieltjes' expansion P_n(cos θ) = C_n·S_n(θ).
     * The weight is 2 / (dP_n/dθ)², from the expansion's derivative: at a node that derivative
     * is near an extremum, so the weight keeps full accuracy (P_{n−1} there would not).
     */
    private static double[] asymptotic(int n, double theta, double c) {
        for (int iter = 0; iter < 10; iter++) {
            double[] s = stieltjes(n, theta);
            double d = s[0] / s[1];
            theta -= d;
            if (Math.abs(d) < 1e-15) {
                break;
            }
        }
        double dp = c * stieltjes(n, theta)[1];
        return new double[] {Math.cos(theta), 2 / (dp * dp)};
    }

    /**
     * {S_n(θ), S_n'(θ)}: S_n = Σ_m h_m cos α_m / (2 sin θ)^(m + ½) with
     * α_m = (n + m + ½)θ − (m + ½)π/2, h_0 = 1, h_{m+1} = h_m·(m + ½)² / ((m + 1)(n + m + 3/2)),
     * and S_n' = −Σ_m h_m ((n + m + ½) sin α_m + (m + ½) cot θ cos α_m) / (2 sin θ)^(m + ½).
     * The angles advance by θ − π/2, so their sines and cosines follow by rotation.
     */
    private static double[] stieltjes(int n, double theta) {
        double sinT = Math.sin(theta), cosT = Math.cos(theta), cot = cosT / sinT, twoSin = 2 * sinT;
        double a = (n + 0.5) * theta - Math.PI / 4;
        double cos = Math.cos(a), sin = Math.sin(a);
        double h = 1, scale = 1 / Math.sqrt(twoSin), sum = 0, derivative = 0;
        for (int m = 0; m < 60; m++) {
            sum += h * scale * cos;
            derivative -= h * scale * ((n + m + 0.5) * sin + (m + 0.5) * cot * cos);
            double nextCos = cos * sinT + sin * cosT;
            sin = sin * sinT - cos * cosT;
            cos = nextCos;
            h *= (m + 0.5) * (m + 0.5) / ((m + 1) * (n + m + 1.5));
            scale /= twoSin;
            if (h * scale < 1e-18) {
                break;
            }
        }
        return new double[] {sum, derivative};
    }

    /** C_k = (4/π) Π_{j=1..k} j/(j + ½), the factor of the expansion of P_k. */
    private static double constant(int k) {
        double c = 4 / Math.PI;
        for (int j = 1; j <= k; j++) {
            c *= j / (j + 0.5);
        }
        return c;
    }
}
