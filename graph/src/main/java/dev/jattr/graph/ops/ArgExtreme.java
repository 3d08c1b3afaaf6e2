package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX ArgMax and ArgMin: the int64 index of the largest (smallest) element along {@code axis}.
 * It has no gradient.
 *
 * @param max             ArgMax (else ArgMin)
 * @param axis            the searched axis (negative counts from the end)
 * @param keepDims        keep the axis with size 1
 * @param selectLastIndex on ties, the last index (else the first)
 */
public record ArgExtreme(boolean max, int axis, boolean keepDims, boolean selectLastIndex) implements Op {
    @Override
    public String type() {
        return max ? "ArgMax" : "ArgMin";
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        int[] s = x.shape();
        int a = Shapes.axis(axis, s.length);
        int outer = Shapes.product(s, 0, a), dim = s[a], inner = Shapes.product(s, a + 1, s.length);
        long[] r = new long[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                double bv = x.getDouble(o * dim * inner + i);
                for (int j = 1; j < dim; j++) {
                    double v = x.getDouble((o * dim + j) * inner + i);
                    boolean better = max ? v > bv : v < bv;
                    if (better || selectLastIndex && v == bv) {
                        best = j;
                        bv = v;
                    }
                }
                r[o * inner + i] = best;
            }
        }
        int[] out;
        if (keepDims) {
            out = s.clone();
            out[a] = 1;
        } else {
            out = new int[s.length - 1];
            System.arraycopy(s, 0, out, 0, a);
            System.arraycopy(s, a + 1, out, a, s.length - a - 1);
        }
        return new Tensor[] {Tensor.of(r, out)};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
