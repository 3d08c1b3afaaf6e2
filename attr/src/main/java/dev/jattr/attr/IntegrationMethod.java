package dev.jattr.attr;

/**
 * The quadrature rules of Captum's path methods: where on the path [0, 1] the gradient is taken
 * (alphas) and with what weight (step sizes).
 */
public enum IntegrationMethod {
    /** Gauss–Legendre nodes and weights mapped to [0, 1] (Captum's default). */
    GAUSS_LEGENDRE("gausslegendre"),
    /** Left Riemann sum: α = 0, 1/n, …, (n−1)/n, weights 1/n. */
    RIEMANN_LEFT("riemann_left"),
    /** Right Riemann sum: α = 1/n, …, 1. */
    RIEMANN_RIGHT("riemann_right"),
    /** Midpoint Riemann sum: α = 1/(2n), …, 1 − 1/(2n). */
    RIEMANN_MIDDLE("riemann_middle"),
    /** Trapezoid: α = 0, 1/(n−1), …, 1; weights 1/n with both ends halved (as Captum computes them). */
    RIEMANN_TRAPEZOID("riemann_trapezoid");

    private final String captumName;

    IntegrationMethod(String captumName) {
        this.captumName = captumName;
    }

    /** Captum's name for it. */
    public String captumName() {
        return captumName;
    }

    /** Parses Captum's name, failing with the allowed names. */
    public static IntegrationMethod parse(String name) {
        for (IntegrationMethod m : values()) {
            if (m.captumName.equals(name) || m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown integration method '" + name
                + "'; use gausslegendre, riemann_left, riemann_right, riemann_middle or riemann_trapezoid");
    }

    /** The n points in [0, 1]. */
    public double[] alphas(int n) {
        requirePositive(n);
        double[] a = new double[n];
        switch (this) {
            case GAUSS_LEGENDRE -> {
                double[] x = gaussLegendre(n)[0];
                for (int i = 0; i < n; i++) a[i] = 0.5 * (x[i] + 1);
            }
            case RIEMANN_LEFT -> { for (int i = 0; i < n; i++) a[i] = n == 1 ? 0 : i * (1 - 1.0 / n) / (n - 1); }
            case RIEMANN_RIGHT -> { for (int i = 0; i < n; i++) a[i] = n == 1 ? 1 : 1.0 / n + i * (1 - 1.0 / n) / (n - 1); }
            case RIEMANN_MIDDLE -> {
                for (int i = 0; i < n; i++) a[i] = n == 1 ? 0.5 : 0.5 / n + i * (1 - 1.0 / n) / (n - 1);
            }
            case RIEMANN_TRAPEZOID -> {
                if (n < 2) {
                    throw new IllegalArgumentException("riemann_trapezoid needs at least 2 steps, got " + n);
                }
                for (int i = 0; i < n; i++) a[i] = (double) i / (n - 1);
            }
        }
        return a;
    }

    /** The n weights (step sizes). */
    public double[] weights(int n) {
        requirePositive(n);
        double[] w = new double[n];
        if (this == GAUSS_LEGENDRE) {
            double[] g = gaussLegendre(n)[1];
            for (int i = 0; i < n; i++) w[i] = 0.5 * g[i];
            return w;
        }
        java.util.Arrays.fill(w, 1.0 / n);
        if (this == RIEMANN_TRAPEZOID) {
            w[0] /= 2;
            w[n - 1] /= 2;
        }
        return w;
    }

    private static void requirePositive(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n_steps must be at least 1, got " + n);
        }
    }

    /** Nodes (ascending) and weights of the n-point Gauss–Legendre rule on [−1, 1], by Newton's method. */
    static double[][] gaussLegendre(int n) {
        double[] x = new double[n], w = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int iter = 0; iter < 100; iter++) {
                double p0 = 1, p1 = z;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                double pn = n == 1 ? z : p1, pn1 = n == 1 ? 1 : p0;
                dp = n * (z * pn - pn1) / (z * z - 1);
                double dz = pn / dp;
                z -= dz;
                if (Math.abs(dz) < 1e-16) {
                    break;
                }
            }
            double p0 = 1, p1 = z;
            for (int k = 2; k <= n; k++) {
                double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = n == 1 ? 1 : n * (z * p1 - p0) / (z * z - 1);
            x[i] = -z;
            x[n - 1 - i] = z;
            w[i] = w[n - 1 - i] = 2 / ((1 - z * z) * dp * dp);
        }
        return new double[][] {x, w};
    }
}
