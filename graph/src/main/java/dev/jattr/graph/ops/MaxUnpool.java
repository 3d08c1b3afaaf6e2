package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/**
 * ONNX MaxUnpool: scatters each value of X to the flat position its index (as MaxPool's second
 * output gives it) names in a zero tensor of the unpooled shape, per spatial dimension
 * (in − 1)·stride + kernel − pad_begin − pad_end, or of the optional output_shape input holding
 * that shape in its leading corner. Differentiable with respect to X.
 *
 * @param kernel  the kernel shape
 * @param strides the strides (empty: all 1)
 * @param pads    begin and end pads (empty: all 0)
 */
public record MaxUnpool(int[] kernel, int[] strides, int[] pads) implements Op {
    /** Copies the arrays. */
    public MaxUnpool {
        kernel = kernel.clone();
        strides = strides.clone();
        pads = pads.clone();
    }

    @Override
    public String type() {
        return "MaxUnpool";
    }

    private int[] unpooledShape(Tensor x) {
        int[] xs = x.shape(), ys = xs.clone();
        int k = kernel.length;
        if (xs.length != k + 2) {
            throw new IllegalArgumentException("MaxUnpool: input " + Arrays.toString(xs) + " does not fit a " + k + "-d kernel");
        }
        for (int d = 0; d < k; d++) {
            int stride = strides.length == 0 ? 1 : strides[d];
            int pad = pads.length == 0 ? 0 : pads[d] + pads[d + k];
            ys[d + 2] = (xs[d + 2] - 1) * stride + kernel[d] - pad;
        }
        return ys;
    }

    /**
     * Where each value goes in the output: its index counts positions in the unpooled shape, and a
     * larger output_shape holds that shape in its leading corner (as ONNX's reference places it).
     */
    private int[] targets(Tensor[] in) {
        Tensor idx = in[1];
        int[] from = unpooledShape(in[0]);
        int[] to = in.length > 2 && in[2] != null ? Shapes.fromLongs(in[2].toLongs()) : from;
        if (to.length != from.length) {
            throw new IllegalArgumentException("MaxUnpool: output_shape " + Arrays.toString(to) + " has the wrong rank");
        }
        int size = Shapes.size(from);
        int[] toStrides = Shapes.strides(to), t = new int[idx.size()];
        for (int i = 0; i < t.length; i++) {
            long v = idx.getLong(i);
            if (v < 0 || v >= size) {
                throw new IllegalArgumentException("MaxUnpool: index " + v + " at " + i + " is outside the " + size + " unpooled elements");
            }
            int flat = 0;
            for (int d = from.length - 1; d >= 0; d--) {
                int coord = (int) (v % from[d]);
                v /= from[d];
                if (coord >= to[d]) {
                    throw new IllegalArgumentException("MaxUnpool: index " + idx.getLong(i) + " falls outside output_shape "
                            + Arrays.toString(to));
                }
                flat += coord * toStrides[d];
            }
            t[i] = flat;
        }
        return t;
    }

    private static int[] outputShape(Tensor[] in, int[] unpooled) {
        return in.length > 2 && in[2] != null ? Shapes.fromLongs(in[2].toLongs()) : unpooled;
    }

    @Override
    public boolean shapeNeedsElements(int i) {
        return i == 2;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        int[] t = targets(in);
        Tensor y = Tensor.zeros(x.dtype(), outputShape(in, unpooledShape(x)));
        for (int i = 0; i < t.length; i++) {
            y.setDouble(t[i], x.getDouble(i));
        }
        return new Tensor[] {y};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0];
        int[] t = targets(in);
        Tensor gx = Tensor.zeros(x.dtype(), x.shape());
        // Where two values go to one place the later one is kept, so only it gets the gradient.
        int[] writer = new int[out[0].size()];
        Arrays.fill(writer, -1);
        for (int i = 0; i < t.length; i++) {
            writer[t[i]] = i;
        }
        for (int p = 0; p < writer.length; p++) {
            if (writer[p] >= 0) {
                gx.setDouble(writer[p], g[0].getDouble(p));
            }
        }
        return new Tensor[] {gx, null, null};
    }
}
