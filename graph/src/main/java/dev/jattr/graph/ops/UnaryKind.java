package dev.jattr.graph.ops;

/**
 * The elementwise functions of one argument. Each knows its value and its derivative, the latter
 * written in terms of the input {@code x} and the output {@code y} so the backward pass needs no
 * recomputation. {@code a} and {@code b} are the op's attributes where it has any (LeakyRelu's
 * alpha, HardSigmoid's alpha and beta…).
 */
public enum UnaryKind {
    /** max(x, 0). */
    RELU(false) {
        @Override public double apply(double x, double a, double b) { return x > 0 ? x : 0; }
        @Override public double derivative(double x, double y, double a, double b) { return x > 0 ? 1 : 0; }
    },
    /** 1 / (1 + e^−x). */
    SIGMOID(false) {
        @Override public double apply(double x, double a, double b) {
            return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
        }
        @Override public double derivative(double x, double y, double a, double b) { return y * (1 - y); }
    },
    /** tanh x. */
    TANH(false) {
        @Override public double apply(double x, double a, double b) { return Math.tanh(x); }
        @Override public double derivative(double x, double y, double a, double b) { return 1 - y * y; }
    },
    /** x for x ≥ 0, a·x otherwise. */
    LEAKY_RELU(false) {
        @Override public double apply(double x, double a, double b) { return x >= 0 ? x : a * x; }
        @Override public double derivative(double x, double y, double a, double b) { return x > 0 ? 1 : a; }
    },
    /** x for x ≥ 0, a·(e^x − 1) otherwise. */
    ELU(false) {
        @Override public double apply(double x, double a, double b) { return x >= 0 ? x : a * Math.expm1(x); }
        @Override public double derivative(double x, double y, double a, double b) { return x > 0 ? 1 : y + a; }
    },
    /** log(1 + e^x). */
    SOFTPLUS(false) {
        @Override public double apply(double x, double a, double b) {
            return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
        }
        @Override public double derivative(double x, double y, double a, double b) { return SIGMOID.apply(x, a, b); }
    },
    /** max(0, min(1, a·x + b)). */
    HARD_SIGMOID(false) {
        @Override public double apply(double x, double a, double b) { return Math.max(0, Math.min(1, a * x + b)); }
        @Override public double derivative(double x, double y, double a, double b) {
            double z = a * x + b;
            return z > 0 && z < 1 ? a : 0;
        }
    },
    /** e^x. */
    EXP(true) {
        @Override public double apply(double x, double a, double b) { return Math.exp(x); }
        @Override public double derivative(double x, double y, double a, double b) { return y; }
    },
    /** ln x. */
    LOG(true) {
        @Override public double apply(double x, double a, double b) { return Math.log(x); }
        @Override public double derivative(double x, double y, double a, double b) { return 1 / x; }
    },
    /** −x. */
    NEG(true) {
        @Override public double apply(double x, double a, double b) { return -x; }
        @Override public double derivative(double x, double y, double a, double b) { return -1; }
    },
    /** |x|. */
    ABS(true) {
        @Override public double apply(double x, double a, double b) { return Math.abs(x); }
        @Override public double derivative(double x, double y, double a, double b) { return Math.signum(x); }
    },
    /** √x. */
    SQRT(true) {
        @Override public double apply(double x, double a, double b) { return Math.sqrt(x); }
        @Override public double derivative(double x, double y, double a, double b) { return 0.5 / y; }
    },
    /** 1 / x. */
    RECIPROCAL(true) {
        @Override public double apply(double x, double a, double b) { return 1 / x; }
        @Override public double derivative(double x, double y, double a, double b) { return -y * y; }
    },
    /** x. */
    IDENTITY(true) {
        @Override public double apply(double x, double a, double b) { return x; }
        @Override public double derivative(double x, double y, double a, double b) { return 1; }
    };

    private final boolean keepsIntegers;

    UnaryKind(boolean keepsIntegers) {
        this.keepsIntegers = keepsIntegers;
    }

    /** f(x). */
    public abstract double apply(double x, double a, double b);

    /** f′(x), given y = f(x). */
    public abstract double derivative(double x, double y, double a, double b);

    /** Whether the function is also defined on integer tensors (Neg, Abs, Identity…). */
    public boolean keepsIntegers() {
        return keepsIntegers;
    }
}
