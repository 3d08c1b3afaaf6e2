package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/** ONNX Unsqueeze (opset 13 form): inserts size-1 dimensions at the output positions listed by the second input. */
public record Unsqueeze() implements Op {
    @Override
    public String type() {
        return "Unsqueeze";
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return i == 1;
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return true; // a view: reads only the axes
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        int[] s = in[0].shape();
        long[] axes = in[1].toLongs();
        int rank = s.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int d = Shapes.axis((int) a, rank);
            if (inserted[d]) {
                throw new IllegalArgumentException("Unsqueeze axes " + Arrays.toString(axes) + " repeat axis " + d);
            }
            inserted[d] = true;
        }
        int[] out = new int[rank];
        int k = 0;
        for (int d = 0; d < rank; d++) {
            out[d] = inserted[d] ? 1 : s[k++];
        }
        return new Tensor[] {in[0].reshape(out)};
    }

    @Override
    public boolean backwardRunsOnDevice(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        return true; // a view of the gradient
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return BackwardReads.NONE;
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        return new Tensor[] {g[0].reshape(in[0].shape()), null};
    }
}
