package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/**
 * ONNX Split: cuts the input along {@code axis} into {@code outputs} parts, of the sizes given
 * by the optional second input, or else by {@code sizes}, or else as equal as possible (the last
 * part smaller, as opset 18 specifies).
 *
 * @param axis    the cut axis (negative counts from the end)
 * @param outputs the number of parts
 * @param sizes   part sizes from an attribute, empty when not given
 */
public record Split(int axis, int outputs, int[] sizes) implements Op {
    /** Copies the sizes. */
    public Split {
        sizes = sizes.clone();
    }

    @Override
    public String type() {
        return "Split";
    }

    private int[] partSizes(Tensor[] in) {
        if (in.length > 1 && in[1] != null) {
            return Arrays.stream(in[1].toLongs()).mapToInt(Math::toIntExact).toArray();
        }
        if (sizes.length > 0) {
            return sizes;
        }
        int dim = in[0].dim(Shapes.axis(axis, in[0].rank()));
        int chunk = (dim + outputs - 1) / outputs;
        int[] s = new int[outputs];
        for (int k = 0; k < outputs; k++) {
            s[k] = Math.max(0, Math.min(chunk, dim - k * chunk));
        }
        return s;
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return i == 1;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        return Blocks.split(in[0], axis, partSizes(in), type());
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor[] r = new Tensor[in.length];
        if (wanted[0]) {
            r[0] = Blocks.concat(g, axis, type());
        }
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Split s && s.axis == axis && s.outputs == outputs && Arrays.equals(s.sizes, sizes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * axis + outputs) + Arrays.hashCode(sizes);
    }

    @Override
    public String toString() {
        return "Split[axis=" + axis + ", outputs=" + outputs + ", sizes=" + Arrays.toString(sizes) + "]";
    }
}
