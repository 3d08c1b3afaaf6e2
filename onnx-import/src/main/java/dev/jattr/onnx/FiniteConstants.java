package dev.jattr.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.jattr.graph.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * The rule for NaN and infinity in a model's own numbers (its initializers, {@code Constant}
 * values and float attributes), which would otherwise turn every attribution into NaN with
 * nothing said. NaN is refused everywhere. ±Infinity has legitimate uses (an attention mask, a
 * Clip bound, a −∞ padding value), so it is refused only where it cannot be meant: in a constant
 * read by an op that multiplies or normalises with it ({@link #WEIGHTED}: a weight, bias, scale,
 * mean or variance), and in a float attribute that is a coefficient rather than a bound or fill
 * value ({@link #INFINITY_ALLOWED} lists the ones that may be infinite). docs/user-guide.md states the rule.
 */
final class FiniteConstants {
    /** Ops whose constant inputs (weights, biases, statistics) must be finite. */
    static final Set<String> WEIGHTED = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization",
            "InstanceNormalization", "LayerNormalization", "GroupNormalization", "LSTM", "GRU", "RNN", "Einsum");
    /** Float attributes that may be ±infinity: bounds and fill values. */
    static final Set<String> INFINITY_ALLOWED = Set.of("min", "max", "value", "value_float", "value_floats",
            "extrapolation_value");

    private FiniteConstants() {}

    /** Fails naming {@code where} and the position when floating {@code t} holds a NaN (or, unless {@code infinityAllowed}, an infinity). */
    static void check(Tensor t, String where, boolean infinityAllowed) {
        if (!t.dtype().isFloating()) {
            return;
        }
        for (int i = 0, n = t.size(); i < n; i++) {
            double v = t.getDouble(i);
            if (Double.isNaN(v) || !infinityAllowed && Double.isInfinite(v)) {
                throw new UnsupportedModelException(where + " holds " + v + (t.rank() == 0 ? "" : " at flat index " + i)
                        + "; a model's constants must be numbers" + (infinityAllowed ? "" : " and finite here"));
            }
        }
    }

    /** Fails naming the attribute when float attribute {@code name} of {@code node} breaks the rule. */
    static void checkAttribute(double v, String name, String node) {
        if (Double.isNaN(v) || Double.isInfinite(v) && !INFINITY_ALLOWED.contains(name)) {
            throw new UnsupportedModelException(node + ": attribute '" + name + "' is " + v + "; it must be a finite number");
        }
    }

    /**
     * Fails naming the constant and the node when a node of a {@link #WEIGHTED} op reads a
     * constant ({@code constants}: initializers and folded Constant values) holding an infinity.
     */
    static void checkWeights(GraphProto g, Map<String, Tensor> constants, Set<String> initializers) {
        for (NodeProto n : g.getNodeList()) {
            if (!WEIGHTED.contains(n.getOpType())) {
                continue;
            }
            for (String in : n.getInputList()) {
                Tensor t = in.isEmpty() ? null : constants.get(in);
                if (t != null) {
                    check(t, (initializers.contains(in) ? "initializer '" : "constant '") + in + "' (read by node '" + n.getName()
                            + "' (" + n.getOpType() + "))", false);
                }
            }
        }
    }
}
