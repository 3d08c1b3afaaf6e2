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
        requirePoints(n);
        double[] a = new double[n];
        switch (this) {
            case GAUSS_LEGENDRE -> {
                double[] x = GaussLegendre.rule(n)[0];
                for (int i = 0; i < n; i++) a[i] = 0.5 * (x[i] + 1);
            }
            case RIEMANN_LEFT -> { for (int i = 0; i < n; i++) a[i] = i * (1 - 1.0 / n) / (n - 1); }
            case RIEMANN_RIGHT -> { for (int i = 0; i < n; i++) a[i] = 1.0 / n + i * (1 - 1.0 / n) / (n - 1); }
            case RIEMANN_MIDDLE -> {
                for (int i = 0; i < n; i++) a[i] = 0.5 / n + i * (1 - 1.0 / n) / (n - 1);
            }
            case RIEMANN_TRAPEZOID -> { for (int i = 0; i < n; i++) a[i] = (double) i / (n - 1); }
        }
        return a;
    }

    /** The n weights (step sizes). */
    public double[] weights(int n) {
        requirePoints(n);
        double[] w = new double[n];
        if (this == GAUSS_LEGENDRE) {
            double[] g = GaussLegendre.rule(n)[1];
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

    /** Captum's fewest points: 1 for Gauss–Legendre, 2 for the Riemann rules (Captum asserts n > 1). */
    public int minimumPoints() {
        return this == GAUSS_LEGENDRE ? 1 : 2;
    }

    private void requirePoints(int n) {
        if (n < minimumPoints()) {
            throw new IllegalArgumentException("n_steps must be at least " + minimumPoints() + " for " + captumName + ", got " + n);
        }
    }
}
