package dev.jattr.graph.ops;

/** The ONNX reductions over a set of axes. */
public enum ReduceKind {
    /** Σx. */
    SUM("ReduceSum"),
    /** Σx / n. */
    MEAN("ReduceMean"),
    /** max x. */
    MAX("ReduceMax"),
    /** min x. */
    MIN("ReduceMin"),
    /** Πx. */
    PROD("ReduceProd"),
    /** Σ|x|. */
    L1("ReduceL1"),
    /** √Σx². */
    L2("ReduceL2"),
    /** log Σx. */
    LOG_SUM("ReduceLogSum"),
    /** log Σe^x. */
    LOG_SUM_EXP("ReduceLogSumExp"),
    /** Σx². */
    SUM_SQUARE("ReduceSumSquare");

    private final String onnxName;

    ReduceKind(String onnxName) {
        this.onnxName = onnxName;
    }

    /** The ONNX op type. */
    public String onnxName() {
        return onnxName;
    }

    /** The value of an empty reduction. */
    double identity() {
        return switch (this) {
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
            case PROD -> 1;
            case LOG_SUM, LOG_SUM_EXP -> Double.NEGATIVE_INFINITY;
            default -> 0;
        };
    }
}
