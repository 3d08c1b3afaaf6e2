package dev.jattr.graph.ops;

/**
 * The elementwise functions of one argument. Each knows its value and its derivative, the latter
 * written in terms of the input {@code x} and the output {@code y} so the backward pass needs no
 * recomputation. {@code a} and {@code b} are the op's attributes where it has any (LeakyRelu's
 * alpha, HardSigmoid's alpha and beta, Selu's alpha and gamma…).
 *
 * <p>Piecewise-constant functions (Floor, Ceil, Round, Sign) have derivative zero, as in PyTorch
 * autograd: an attribution through them sees no sensitivity rather than failing.
 */
public enum UnaryKind {
    /** max(x, 0). */
    RELU("Relu", false) {
        @Override public double apply(double x, double a, double b) { return x > 0 ? x : 0; }
        @Override public double derivative(double x, double y, double a, double b) { return x > 0 ? 1 : 0; }
    },
    /** 1 / (1 + e^−x). */
    SIGMOID("Sigmoid", false) {
        @Override public double apply(double x, double a, double b) {
            return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
        }
        @Override public double derivative(double x, double y, double a, double b) { return y * (1 - y); }
    },
    /**
     * x·σ(x) (SiLU, Swish). No ONNX op: the executor runs a Sigmoid and the Mul of its input by
     * its output as this one step where the run needs neither node's own values.
     */
    SILU("Sigmoid·Mul", false) {
        @Override public double apply(double x, double a, double b) { return x * SIGMOID.apply(x, a, b); }
        @Override public double derivative(double x, double y, double a, double b) {
            double s = SIGMOID.apply(x, a, b);
            return s * (1 + x * (1 - s));
        }
    },
    /** tanh x. */
    TANH("Tanh", false) {
        @Override public double apply(double x, double a, double b) { return Math.tanh(x); }
        @Override public double derivative(double x, double y, double a, double b) { return 1 - y * y; }
    },
    /** x for x ≥ 0, a·x otherwise. */
    LEAKY_RELU("LeakyRelu", false) {
        @Override public double apply(double x, double a, double b) { return x >= 0 ? x : a * x; }
        @Override public double derivative(double x, double y, double a, double b) { return x > 0 ? 1 : a; }
    },
    /** x for x ≥ 0, a·(e^x − 1) otherwise. */
    ELU("Elu", false) {
        @Override public double apply(double x, double a, double b) { return x >= 0 ? x : a * Math.expm1(x); }
        @Override public double derivative(double x, double y, double a, double b) { return x > 0 ? 1 : y + a; }
    },
    /** b·x for x > 0, b·a·(e^x − 1) otherwise (Selu: a = alpha, b = gamma). */
    SELU("Selu", false) {
        @Override public double apply(double x, double a, double b) { return x > 0 ? b * x : b * a * Math.expm1(x); }
        @Override public double derivative(double x, double y, double a, double b) { return x > 0 ? b : b * a * Math.exp(x); }
    },
    /** max(0, x) + min(0, a·(e^(x/a) − 1)). */
    CELU("Celu", false) {
        @Override public double apply(double x, double a, double b) { return x > 0 ? x : a * Math.expm1(x / a); }
        @Override public double derivative(double x, double y, double a, double b) { return x > 0 ? 1 : Math.exp(x / a); }
    },
    /** x for x > a, 0 otherwise. */
    THRESHOLDED_RELU("ThresholdedRelu", false) {
        @Override public double apply(double x, double a, double b) { return x > a ? x : 0; }
        @Override public double derivative(double x, double y, double a, double b) { return x > a ? 1 : 0; }
    },
    /** log(1 + e^x). */
    SOFTPLUS("Softplus", false) {
        @Override public double apply(double x, double a, double b) {
            return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
        }
        @Override public double derivative(double x, double y, double a, double b) { return SIGMOID.apply(x, a, b); }
    },
    /** x / (1 + |x|). */
    SOFTSIGN("Softsign", false) {
        @Override public double apply(double x, double a, double b) { return x / (1 + Math.abs(x)); }
        @Override public double derivative(double x, double y, double a, double b) {
            double d = 1 + Math.abs(x);
            return 1 / (d * d);
        }
    },
    /** max(0, min(1, a·x + b)). */
    HARD_SIGMOID("HardSigmoid", false) {
        @Override public double apply(double x, double a, double b) { return Math.max(0, Math.min(1, a * x + b)); }
        @Override public double derivative(double x, double y, double a, double b) {
            double z = a * x + b;
            return z > 0 && z < 1 ? a : 0;
        }
    },
    /**
     * x·HardSigmoid(x) with HardSigmoid's α and β: a HardSigmoid and the Mul of its input by it,
     * fused by the execution plan (ONNX HardSwish when α = 1/6, β = 1/2).
     */
    HARD_SWISH("HardSigmoid·Mul", false) {
        @Override public double apply(double x, double a, double b) { return x * HARD_SIGMOID.apply(x, a, b); }
        @Override public double derivative(double x, double y, double a, double b) {
            return HARD_SIGMOID.apply(x, a, b) + x * HARD_SIGMOID.derivative(x, 0, a, b);
        }
    },
    /** x·Φ(x), Φ the standard normal distribution function (Gelu, approximate = "none"). */
    GELU("Gelu", false) {
        @Override public double apply(double x, double a, double b) { return 0.5 * x * (1 + Special.erf(x / Math.sqrt(2))); }
        @Override public double derivative(double x, double y, double a, double b) {
            return 0.5 * (1 + Special.erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
        }
    },
    /** ½x·(1 + tanh(√(2/π)·(x + 0.044715x³))) (Gelu, approximate = "tanh"). */
    GELU_TANH("Gelu", false) {
        @Override public double apply(double x, double a, double b) { return 0.5 * x * (1 + Math.tanh(geluInner(x))); }
        @Override public double derivative(double x, double y, double a, double b) {
            double t = Math.tanh(geluInner(x));
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x);
        }
    },
    /** e^x. */
    EXP("Exp", false) {
        @Override public double apply(double x, double a, double b) { return Math.exp(x); }
        @Override public double derivative(double x, double y, double a, double b) { return y; }
    },
    /** ln x. */
    LOG("Log", false) {
        @Override public double apply(double x, double a, double b) { return Math.log(x); }
        @Override public double derivative(double x, double y, double a, double b) { return 1 / x; }
    },
    /** −x. */
    NEG("Neg", true) {
        @Override public double apply(double x, double a, double b) { return -x; }
        @Override public double derivative(double x, double y, double a, double b) { return -1; }
    },
    /** |x|. */
    ABS("Abs", true) {
        @Override public double apply(double x, double a, double b) { return Math.abs(x); }
        @Override public double derivative(double x, double y, double a, double b) { return Math.signum(x); }
    },
    /** −1, 0 or 1. */
    SIGN("Sign", true) {
        @Override public double apply(double x, double a, double b) { return Math.signum(x); }
        @Override public double derivative(double x, double y, double a, double b) { return 0; }
    },
    /** ⌊x⌋. */
    FLOOR("Floor", false) {
        @Override public double apply(double x, double a, double b) { return Math.floor(x); }
        @Override public double derivative(double x, double y, double a, double b) { return 0; }
    },
    /** ⌈x⌉. */
    CEIL("Ceil", false) {
        @Override public double apply(double x, double a, double b) { return Math.ceil(x); }
        @Override public double derivative(double x, double y, double a, double b) { return 0; }
    },
    /** x rounded to the nearest integer, halves to even. */
    ROUND("Round", false) {
        @Override public double apply(double x, double a, double b) { return Math.rint(x); }
        @Override public double derivative(double x, double y, double a, double b) { return 0; }
    },
    /** √x. */
    SQRT("Sqrt", false) {
        @Override public double apply(double x, double a, double b) { return Math.sqrt(x); }
        @Override public double derivative(double x, double y, double a, double b) { return 0.5 / y; }
    },
    /** 1 / x. */
    RECIPROCAL("Reciprocal", false) {
        @Override public double apply(double x, double a, double b) { return 1 / x; }
        @Override public double derivative(double x, double y, double a, double b) { return -y * y; }
    },
    /** sin x. */
    SIN("Sin", false) {
        @Override public double apply(double x, double a, double b) { return Math.sin(x); }
        @Override public double derivative(double x, double y, double a, double b) { return Math.cos(x); }
    },
    /** cos x. */
    COS("Cos", false) {
        @Override public double apply(double x, double a, double b) { return Math.cos(x); }
        @Override public double derivative(double x, double y, double a, double b) { return -Math.sin(x); }
    },
    /** tan x. */
    TAN("Tan", false) {
        @Override public double apply(double x, double a, double b) { return Math.tan(x); }
        @Override public double derivative(double x, double y, double a, double b) { return 1 + y * y; }
    },
    /** arcsin x. */
    ASIN("Asin", false) {
        @Override public double apply(double x, double a, double b) { return Math.asin(x); }
        @Override public double derivative(double x, double y, double a, double b) { return 1 / Math.sqrt(1 - x * x); }
    },
    /** arccos x. */
    ACOS("Acos", false) {
        @Override public double apply(double x, double a, double b) { return Math.acos(x); }
        @Override public double derivative(double x, double y, double a, double b) { return -1 / Math.sqrt(1 - x * x); }
    },
    /** arctan x. */
    ATAN("Atan", false) {
        @Override public double apply(double x, double a, double b) { return Math.atan(x); }
        @Override public double derivative(double x, double y, double a, double b) { return 1 / (1 + x * x); }
    },
    /** sinh x. */
    SINH("Sinh", false) {
        @Override public double apply(double x, double a, double b) { return Math.sinh(x); }
        @Override public double derivative(double x, double y, double a, double b) { return Math.cosh(x); }
    },
    /** cosh x. */
    COSH("Cosh", false) {
        @Override public double apply(double x, double a, double b) { return Math.cosh(x); }
        @Override public double derivative(double x, double y, double a, double b) { return Math.sinh(x); }
    },
    /** arsinh x. */
    ASINH("Asinh", false) {
        @Override public double apply(double x, double a, double b) { return Math.log(x + Math.sqrt(x * x + 1)); }
        @Override public double derivative(double x, double y, double a, double b) { return 1 / Math.sqrt(x * x + 1); }
    },
    /** arcosh x (x ≥ 1). */
    ACOSH("Acosh", false) {
        @Override public double apply(double x, double a, double b) { return Math.log(x + Math.sqrt(x * x - 1)); }
        @Override public double derivative(double x, double y, double a, double b) { return 1 / Math.sqrt(x * x - 1); }
    },
    /** artanh x (|x| < 1). */
    ATANH("Atanh", false) {
        @Override public double apply(double x, double a, double b) { return 0.5 * Math.log((1 + x) / (1 - x)); }
        @Override public double derivative(double x, double y, double a, double b) { return 1 / (1 - x * x); }
    },
    /** The error function. */
    ERF("Erf", false) {
        @Override public double apply(double x, double a, double b) { return Special.erf(x); }
        @Override public double derivative(double x, double y, double a, double b) {
            return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
        }
    },
    /** x. */
    IDENTITY("Identity", true) {
        @Override public double apply(double x, double a, double b) { return x; }
        @Override public double derivative(double x, double y, double a, double b) { return 1; }
    };

    private static final double GELU_C = Math.sqrt(2 / Math.PI);

    private static double geluInner(double x) {
        return GELU_C * (x + 0.044715 * x * x * x);
    }

    private final String onnxName;
    private final boolean keepsIntegers;

    UnaryKind(String onnxName, boolean keepsIntegers) {
        this.onnxName = onnxName;
        this.keepsIntegers = keepsIntegers;
    }

    /** The ONNX op type. */
    public String onnxName() {
        return onnxName;
    }

    /** f(x). */
    public abstract double apply(double x, double a, double b);

    /** f′(x), given y = f(x). */
    public abstract double derivative(double x, double y, double a, double b);

    /** Whether the function is also defined on integer tensors (Neg, Abs, Sign, Identity). */
    public boolean keepsIntegers() {
        return keepsIntegers;
    }
}
