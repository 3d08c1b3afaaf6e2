package dev.jattr.graph.ops;

/**
 * The elementwise functions of two broadcast tensors, with their partial derivatives and their
 * exact integer form ({@link #applyLong}) for int32/int64 operands.
 */
public enum BinaryKind {
    /** a + b. */
    ADD("Add") {
        @Override public double apply(double a, double b) { return a + b; }
        @Override public long applyLong(long a, long b) { return a + b; }
        @Override public double da(double a, double b, double y) { return 1; }
        @Override public double db(double a, double b, double y) { return 1; }
    },
    /** a − b. */
    SUB("Sub") {
        @Override public double apply(double a, double b) { return a - b; }
        @Override public long applyLong(long a, long b) { return a - b; }
        @Override public double da(double a, double b, double y) { return 1; }
        @Override public double db(double a, double b, double y) { return -1; }
    },
    /** a · b. */
    MUL("Mul") {
        @Override public double apply(double a, double b) { return a * b; }
        @Override public long applyLong(long a, long b) { return a * b; }
        @Override public double da(double a, double b, double y) { return b; }
        @Override public double db(double a, double b, double y) { return a; }
    },
    /** a / b (integer division truncates toward zero). */
    DIV("Div") {
        @Override public double apply(double a, double b) { return a / b; }
        @Override public long applyLong(long a, long b) { return a / nonZero(b, "Div"); }
        @Override public double da(double a, double b, double y) { return 1 / b; }
        @Override public double db(double a, double b, double y) { return -a / (b * b); }
    },
    /** a^b. */
    POW("Pow") {
        @Override public double apply(double a, double b) { return Math.pow(a, b); }
        @Override public long applyLong(long a, long b) {
            if (b < 0) {
                return a == 1 ? 1 : a == -1 ? (b % 2 == 0 ? 1 : -1) : 0;
            }
            long r = 1;
            for (long i = 0; i < b; i++) {
                r *= a;
            }
            return r;
        }
        @Override public double da(double a, double b, double y) { return b == 0 ? 0 : b * Math.pow(a, b - 1); }
        @Override public double db(double a, double b, double y) { return a > 0 ? y * Math.log(a) : 0; }
    },
    /** min(a, b); a tie sends the gradient to a. */
    MIN("Min") {
        @Override public double apply(double a, double b) { return Math.min(a, b); }
        @Override public long applyLong(long a, long b) { return Math.min(a, b); }
        @Override public double da(double a, double b, double y) { return a <= b ? 1 : 0; }
        @Override public double db(double a, double b, double y) { return a <= b ? 0 : 1; }
    },
    /** max(a, b); a tie sends the gradient to a. */
    MAX("Max") {
        @Override public double apply(double a, double b) { return Math.max(a, b); }
        @Override public long applyLong(long a, long b) { return Math.max(a, b); }
        @Override public double da(double a, double b, double y) { return a >= b ? 1 : 0; }
        @Override public double db(double a, double b, double y) { return a >= b ? 0 : 1; }
    },
    /** a − b·⌊a/b⌋: the remainder with the divisor's sign (ONNX Mod, fmod = 0). */
    MOD("Mod") {
        @Override public double apply(double a, double b) { return a - b * Math.floor(a / b); }
        @Override public long applyLong(long a, long b) { return Math.floorMod(a, nonZero(b, "Mod")); }
        @Override public double da(double a, double b, double y) { return 1; }
        @Override public double db(double a, double b, double y) { return -Math.floor(a / b); }
    },
    /** a − b·trunc(a/b): the remainder with the dividend's sign, C's fmod (ONNX Mod, fmod = 1). */
    FMOD("Mod") {
        @Override public double apply(double a, double b) { return a % b; }
        @Override public long applyLong(long a, long b) { return a % nonZero(b, "Mod"); }
        @Override public double da(double a, double b, double y) { return 1; }
        @Override public double db(double a, double b, double y) {
            double q = a / b;
            return -(q < 0 ? Math.ceil(q) : Math.floor(q));
        }
    },
    /** a for a ≥ 0, b·a otherwise (PRelu with slope b). */
    PRELU("PRelu") {
        @Override public double apply(double a, double b) { return a >= 0 ? a : a * b; }
        @Override public long applyLong(long a, long b) { return a >= 0 ? a : a * b; }
        @Override public double da(double a, double b, double y) { return a > 0 ? 1 : b; }
        @Override public double db(double a, double b, double y) { return a > 0 ? 0 : a; }
    };

    private final String onnxName;

    BinaryKind(String onnxName) {
        this.onnxName = onnxName;
    }

    private static long nonZero(long b, String op) {
        if (b == 0) {
            throw new ArithmeticException("integer division by zero in " + op);
        }
        return b;
    }

    /** The ONNX op type. */
    public String onnxName() {
        return onnxName;
    }

    /** f(a, b). */
    public abstract double apply(double a, double b);

    /** f(a, b) on integers, exact (wrapping on overflow as int64 arithmetic does). */
    public abstract long applyLong(long a, long b);

    /** ∂f/∂a given y = f(a, b). */
    public abstract double da(double a, double b, double y);

    /** ∂f/∂b given y = f(a, b). */
    public abstract double db(double a, double b, double y);
}
