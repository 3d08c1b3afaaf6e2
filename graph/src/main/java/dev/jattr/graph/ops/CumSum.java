package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX CumSum: running sums along the axis given by the second input.
 *
 * @param exclusive each sum leaves out its own element
 * @param reverse   sums run from the end
 */
public record CumSum(boolean exclusive, boolean reverse) implements Op {
    @Override
    public String type() {
        return "CumSum";
    }

    static Tensor cumsum(Tensor x, int axis, boolean exclusive, boolean reverse) {
        int[] s = x.shape();
        int a = Shapes.axis(axis, s.length);
        int outer = Shapes.product(s, 0, a), dim = s[a], inner = Shapes.product(s, a + 1, s.length);
        Tensor r = Tensor.zeros(x.dtype(), s);
        boolean integral = !x.dtype().isFloating();
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double acc = 0;
                long lacc = 0;
                for (int t = 0; t < dim; t++) {
                    int j = reverse ? dim - 1 - t : t;
                    int at = (o * dim + j) * inner + i;
                    if (integral) {
                        long v = x.getLong(at);
                        r.setDouble(at, exclusive ? lacc : lacc + v);
                        lacc += v;
                    } else {
                        double v = x.getDouble(at);
                        r.setDouble(at, exclusive ? acc : acc + v);
                        acc += v;
                    }
                }
            }
        }
        return r;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        return new Tensor[] {cumsum(in[0], (int) in[1].getLong(0), exclusive, reverse)};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        return new Tensor[] {wanted[0] ? cumsum(g[0], (int) in[1].getLong(0), exclusive, !reverse) : null, null};
    }
}
