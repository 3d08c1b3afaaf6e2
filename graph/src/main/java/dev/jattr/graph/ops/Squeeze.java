package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/** ONNX Squeeze (opset 13 form): drops the size-1 dimensions listed by the optional second input, or all of them. */
public record Squeeze() implements Op {
    @Override
    public String type() {
        return "Squeeze";
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
        boolean[] drop = new boolean[s.length];
        if (in.length > 1 && in[1] != null) {
            for (long a : in[1].toLongs()) {
                int d = Shapes.axis((int) a, s.length);
                if (s[d] != 1) {
                    throw new IllegalArgumentException("Squeeze axis " + a + " has size " + s[d] + " in " + Arrays.toString(s));
                }
                drop[d] = true;
            }
        } else {
            for (int d = 0; d < s.length; d++) {
                drop[d] = s[d] == 1;
            }
        }
        int[] out = new int[s.length];
        int k = 0;
        for (int d = 0; d < s.length; d++) {
            if (!drop[d]) {
                out[k++] = s[d];
            }
        }
        return new Tensor[] {in[0].reshape(Arrays.copyOf(out, k))};
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
