package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/**
 * ONNX Reshape; the target shape is the second input (0 copies the input's dimension unless
 * {@code allowZero}, −1 is inferred).
 *
 * @param allowZero ONNX's allowzero: a 0 means an empty dimension
 */
public record Reshape(boolean allowZero) implements Op {
    @Override
    public String type() {
        return "Reshape";
    }

    /** The output shape for input shape {@code in} and requested {@code spec}. */
    public static int[] resolve(int[] in, long[] spec, boolean allowZero) {
        int[] out = new int[spec.length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < spec.length; i++) {
            long d = spec[i];
            if (d == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("Reshape shape " + Arrays.toString(spec) + " has two -1");
                }
                infer = i;
                continue;
            }
            if (d == 0 && !allowZero) {
                if (i >= in.length) {
                    throw new IllegalArgumentException("Reshape shape " + Arrays.toString(spec) + " copies dimension " + i
                            + " of a rank-" + in.length + " input");
                }
                d = in[i];
            }
            if (d < 0) {
                throw new IllegalArgumentException("Reshape shape " + Arrays.toString(spec) + " has a negative dimension");
            }
            out[i] = (int) d;
            known *= d;
        }
        int total = Shapes.size(in);
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(spec));
            }
            out[infer] = (int) (total / known);
        } else if (known != total) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(in) + " (" + total + " elements) to "
                    + Arrays.toString(spec));
        }
        return out;
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return i == 1;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        return new Tensor[] {in[0].reshape(resolve(in[0].shape(), in[1].toLongs(), allowZero))};
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return true; // a view: reads only the shape
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
