package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX OneHot: inputs indices, depth and values [off, on]; a new dimension of size depth at
 * {@code axis} holds on at each index and off elsewhere (negative indices count from depth,
 * out-of-range ones give a row of off). The gradient flows to the two values.
 *
 * @param axis where the new dimension goes (negative counts from the end of the output)
 */
public record OneHot(int axis) implements Op {
    @Override
    public String type() {
        return "OneHot";
    }

    /** Per output element, whether it is an "on" element. */
    private static boolean[] hot(Tensor indices, int depth, int[] out, int a) {
        int outer = Shapes.product(out, 0, a), inner = Shapes.product(out, a + 1, out.length);
        boolean[] on = new boolean[Shapes.size(out)];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                long j = (long) indices.getDouble(o * inner + i);
                j = j < 0 ? j + depth : j;
                if (j >= 0 && j < depth) {
                    on[(o * depth + (int) j) * inner + i] = true;
                }
            }
        }
        return on;
    }

    private int[] outShape(Tensor[] in) {
        int[] s = in[0].shape();
        double depthValue = in[1].getDouble(0);
        if (!(depthValue >= 1) || depthValue > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("OneHot depth " + depthValue + " is not a positive size");
        }
        int depth = (int) depthValue;
        int a = Shapes.axis(axis, s.length + 1);
        long[] dims = new long[s.length + 1];
        for (int i = 0; i < s.length; i++) {
            dims[i] = s[i];
        }
        dims[s.length] = depth;
        Shapes.allocatable(dims);
        int[] out = new int[s.length + 1];
        System.arraycopy(s, 0, out, 0, a);
        out[a] = depth;
        System.arraycopy(s, a, out, a + 1, s.length - a);
        return out;
    }

    /** Per output element, element 1 (on) or 0 (off) of the values. */
    private IndexMap map(Tensor[] in) {
        int[] out = outShape(in);
        int a = Shapes.axis(axis, out.length);
        boolean[] on = hot(in[0], out[a], out, a);
        int[] src = new int[on.length];
        for (int i = 0; i < on.length; i++) {
            src[i] = on[i] ? 1 : 0;
        }
        return new IndexMap(out, src);
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return i == 1;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        return new Tensor[] {map(in).take(in[2])};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        return new Tensor[] {null, null, wanted[2] ? map(in).scatterAdd(g[0], in[2].shape()) : null};
    }
}
