package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Tensors;
import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.Backend;
import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;

/**
 * ONNX Concat: the inputs joined along {@code axis}.
 *
 * @param axis the joined axis (negative counts from the end)
 */
public record Concat(int axis) implements Op {
    @Override
    public String type() {
        return "Concat";
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return Tensors.allF32(in) && in.length > 0 && in[0].rank() > 0;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Backend b = CurrentBackend.get();
        if (b.keepsDeviceCopies() && runsOnDevice(in)) {
            return new Tensor[] {onDevice(b, in)};
        }
        return new Tensor[] {Blocks.concat(in, axis, type())};
    }

    /**
     * The inputs scatter-added into their slots of a zeroed output along the axis, so the values
     * stay on the device (adding to +0 copies every number but −0, which becomes +0).
     */
    private Tensor onDevice(Backend b, Tensor[] in) {
        int a = Shapes.axis(axis, in[0].rank());
        int[] shape = in[0].shape();
        int total = 0;
        for (Tensor t : in) {
            if (t.rank() != shape.length) {
                return Blocks.concat(in, axis, type());
            }
            total += t.dim(a);
        }
        shape[a] = total;
        Tensor y = Tensor.zeros(DType.F32, shape);
        int outer = Shapes.product(shape, 0, a), inner = Shapes.product(shape, a + 1, shape.length);
        AxisView v = new AxisView(outer, total, inner);
        int at = 0;
        for (Tensor t : in) {
            int[] idx = new int[t.dim(a)];
            for (int j = 0; j < idx.length; j++) {
                idx[j] = at + j;
            }
            at += idx.length;
            if (idx.length > 0) {
                b.index().scatterAdd(t.floats(), idx, v, y.floats());
            }
        }
        return y;
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return BackwardReads.NONE;
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        int a = Shapes.axis(axis, in[0].rank());
        int[] sizes = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            sizes[i] = in[i].dim(a);
        }
        Tensor[] parts = Blocks.split(g[0], a, sizes, type());
        for (int i = 0; i < in.length; i++) {
            if (!wanted[i]) {
                parts[i] = null;
            }
        }
        return parts;
    }
}
