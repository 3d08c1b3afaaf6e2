package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/** ONNX Range: start, start + delta, … up to (excluding) limit, of the inputs' type. It has no gradient. */
public record Range() implements Op {
    @Override
    public String type() {
        return "Range";
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return true;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        double start = in[0].getDouble(0), limit = in[1].getDouble(0), delta = in[2].getDouble(0);
        if (delta == 0) {
            throw new IllegalArgumentException("Range delta is 0");
        }
        double steps = Math.ceil((limit - start) / delta);
        if (Double.isNaN(steps)) {
            throw new IllegalArgumentException("Range from " + start + " to " + limit + " by " + delta + " has no length");
        }
        long[] shape = {(long) Math.max(0, Math.min(steps, Long.MAX_VALUE))};
        int n = Shapes.allocatable(shape)[0];
        Tensor r = Tensor.zeros(in[0].dtype(), n);
        for (int i = 0; i < n; i++) {
            r.setDouble(i, start + i * delta);
        }
        return new Tensor[] {r};
    }

    @Override
    public boolean differentiable() {
        return false;
    }
}
