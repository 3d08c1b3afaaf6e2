package dev.jattr.graph.ops;

/** The elementwise functions of two broadcast tensors, with their partial derivatives. */
public enum BinaryKind {
    /** a + b. */
    ADD("Add") {
        @Override public double apply(double a, double b) { return a + b; }
        @Override public double da(double a, double b, double y) { return 1; }
        @Override public double db(double a, double b, double y) { return 1; }
    },
    /** a − b. */
    SUB("Sub") {
        @Override public double apply(double a, double b) { return a - b; }
        @Override public double da(double a, double b, double y) { return 1; }
        @Override public double db(double a, double b, double y) { return -1; }
    },
    /** a · b. */
    MUL("Mul") {
        @Override public double apply(double a, double b) { return a * b; }
        @Override public double da(double a, double b, double y) { return b; }
        @Override public double db(double a, double b, double y) { return a; }
    },
    /** a / b (integer division truncates toward zero). */
    DIV("Div") {
        @Override public double apply(double a, double b) { return a / b; }
        @Override public double da(double a, double b, double y) { return 1 / b; }
        @Override public double db(double a, double b, double y) { return -a / (b * b); }
    },
    /** a^b. */
    POW("Pow") {
        @Override public double apply(double a, double b) { return Math.pow(a, b); }
        @Override public double da(double a, double b, double y) { return b == 0 ? 0 : b * Math.pow(a, b - 1); }
        @Override public double db(double a, double b, double y) { return a > 0 ? y * Math.log(a) : 0; }
    };

    private final String onnxName;

    BinaryKind(String onnxName) {
        this.onnxName = onnxName;
    }

    /** The ONNX op type. */
    public String onnxName() {
        return onnxName;
    }

    /** f(a, b). */
    public abstract double apply(double a, double b);

    /** ∂f/∂a given y = f(a, b). */
    public abstract double da(double a, double b, double y);

    /** ∂f/∂b given y = f(a, b). */
    public abstract double db(double a, double b, double y);
}
