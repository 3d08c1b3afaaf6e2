package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/**
 * ONNX TopK: the k (second input) largest or smallest elements along {@code axis}, and their
 * int64 indices; equal values keep the lower index first. The gradient of the values flows back
 * to the elements they were taken from.
 *
 * @param axis    the searched axis (negative counts from the end)
 * @param largest the largest elements (else the smallest)
 */
public record TopK(int axis, boolean largest) implements Op {
    @Override
    public String type() {
        return "TopK";
    }

    private IndexMap select(Tensor[] in) {
        Tensor x = in[0];
        int[] s = x.shape();
        int a = Shapes.axis(axis, s.length);
        long k = in[1].getLong(0);
        if (k < 0 || k > s[a]) {
            throw new IllegalArgumentException("TopK k=" + k + " is out of range for a dimension of " + s[a]);
        }
        int outer = Shapes.product(s, 0, a), dim = s[a], inner = Shapes.product(s, a + 1, s.length);
        int[] out = s.clone();
        out[a] = (int) k;
        int[] src = new int[Shapes.size(out)];
        Integer[] order = new Integer[dim];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * dim * inner + i;
                for (int j = 0; j < dim; j++) {
                    order[j] = j;
                }
                Arrays.sort(order, (p, q) -> {
                    int c = Double.compare(x.getDouble(base + p * inner), x.getDouble(base + q * inner));
                    return c != 0 ? (largest ? -c : c) : Integer.compare(p, q);
                });
                for (int j = 0; j < k; j++) {
                    src[(o * (int) k + j) * inner + i] = base + order[j] * inner;
                }
            }
        }
        return new IndexMap(out, src);
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return i == 1;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        IndexMap m = select(in);
        int a = Shapes.axis(axis, in[0].rank());
        int[] st = Shapes.strides(in[0].shape());
        long[] idx = new long[m.source().length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = m.source()[i] / st[a] % in[0].dim(a);
        }
        return new Tensor[] {m.take(in[0]), Tensor.of(idx, m.shape())};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        return new Tensor[] {wanted[0] ? select(in).scatterAdd(g[0], in[0].shape()) : null, null};
    }
}
