package dev.jattr.graph.ops;

import dev.jattr.graph.Shapes;

/**
 * How a softmax-like op sees its input: {@code outer} independent slices, each of {@code len}
 * elements {@code inner} apart. From opset 13 the slice is one axis; before, the input was
 * flattened to 2-d at the axis and each row was one slice ({@code coerced2d}).
 *
 * @param outer slices before the axis
 * @param len   elements per slice
 * @param inner stride between a slice's elements
 */
record AxisLayout(int outer, int len, int inner) {
    static AxisLayout of(int[] s, int axis, boolean coerced2d) {
        int a = Shapes.axis(axis, s.length);
        if (coerced2d) {
            return new AxisLayout(Shapes.product(s, 0, a), Shapes.product(s, a, s.length), 1);
        }
        return new AxisLayout(Shapes.product(s, 0, a), s[a], Shapes.product(s, a + 1, s.length));
    }

    /** The flat index of element k of slice (o, i). */
    int at(int o, int i, int k) {
        return o * len * inner + i + k * inner;
    }

    /** log Σ e^x over slice (o, i) of {@code x}, shifted by the maximum so it cannot overflow. */
    double logSumExp(dev.jattr.graph.Tensor x, int o, int i) {
        double m = max(x, o, i), sum = 0;
        for (int k = 0; k < len; k++) {
            sum += Math.exp(x.getDouble(at(o, i, k)) - m);
        }
        return m + Math.log(sum);
    }

    /**
     * A tensor shaped like {@code x} whose element v of each slice is {@code f(v, lse)}, lse being
     * that slice's log-sum-exp: softmax is e^(v − lse), log-softmax v − lse.
     */
    dev.jattr.graph.Tensor mapWithLogSumExp(dev.jattr.graph.Tensor x, java.util.function.DoubleBinaryOperator f) {
        dev.jattr.graph.Tensor y = dev.jattr.graph.Tensor.zeros(x.dtype(), x.shape());
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double lse = logSumExp(x, o, i);
                for (int k = 0; k < len; k++) {
                    int p = at(o, i, k);
                    y.setDouble(p, f.applyAsDouble(x.getDouble(p), lse));
                }
            }
        }
        return y;
    }

    /** The maximum of slice (o, i) of {@code x}. */
    double max(dev.jattr.graph.Tensor x, int o, int i) {
        double m = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < len; k++) {
            m = Math.max(m, x.getDouble(at(o, i, k)));
        }
        return m;
    }
}
