package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/** ONNX Where: {@code cond ? x : y} elementwise with numpy broadcasting of all three. The gradient flows to the chosen side. */
public record Where() implements Op {
    @Override
    public String type() {
        return "Where";
    }

    private static int[] shape(Tensor[] in) {
        return Shapes.broadcast(in[0].shape(), Shapes.broadcast(in[1].shape(), in[2].shape()));
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        int[] shape = shape(in);
        Tensor x = IndexMap.broadcast(in[1].shape(), shape).take(in[1]);
        Tensor y = IndexMap.broadcast(in[2].shape(), shape).take(in[2]);
        if (x.dtype() != y.dtype()) {
            throw new IllegalArgumentException("Where branches have different types: " + x.dtype() + " and " + y.dtype());
        }
        int[] c = IndexMap.broadcast(in[0].shape(), shape).source();
        boolean[] cond = in[0].bools();
        for (int i = 0; i < c.length; i++) {
            if (!cond[c[i]]) {
                Blocks.copy(y, i, x, i, 1);
            }
        }
        return new Tensor[] {x};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        int[] shape = shape(in);
        int[] c = IndexMap.broadcast(in[0].shape(), shape).source();
        boolean[] cond = in[0].bools();
        Tensor[] r = new Tensor[3];
        for (int side = 1; side <= 2; side++) {
            if (!wanted[side]) {
                continue;
            }
            int[] src = IndexMap.broadcast(in[side].shape(), shape).source().clone();
            for (int i = 0; i < src.length; i++) {
                if (cond[c[i]] != (side == 1)) {
                    src[i] = -1;
                }
            }
            r[side] = new IndexMap(shape, src).scatterAdd(g[0], in[side].shape());
        }
        return r;
    }
}
