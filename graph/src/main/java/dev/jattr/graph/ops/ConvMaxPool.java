package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.kernels.Activation;
import dev.jattr.kernels.WindowGeometry;

/**
 * A convolution (fused or not with its activation) and the max pooling that alone reads its
 * output, fused by the plan ({@code Plan.fuseConvPool}): where the backend has a kernel for it
 * ({@link dev.jattr.kernels.ConvKernels#forwardMaxPooled}), each sample's output is pooled as it
 * is made and the unpooled output is never written whole (SqueezeNet's stem: 28 MB at batch 50,
 * written and read back once). Elsewhere the two run one after the other. The plan fuses it only
 * where no gradient reaches it, so it has no backward pass.
 *
 * @param conv the {@link Conv} or {@link ConvActivation}
 * @param pool the MaxPool, computing no indices
 */
public record ConvMaxPool(Op conv, MaxPool pool) implements Op {
    /**
     * Checks that the convolution is one and that the pooling computes no indices.
     *
     * @throws IllegalArgumentException when they do not
     */
    public ConvMaxPool {
        if (!(conv instanceof Conv) && !(conv instanceof ConvActivation)) {
            throw new IllegalArgumentException(conv.type() + " is not a convolution");
        }
        if (pool.indices()) {
            throw new IllegalArgumentException("a MaxPool whose indices are read cannot be fused");
        }
    }

    @Override
    public String type() {
        return "Conv→MaxPool";
    }

    @Override
    public Tensor[] outputShapes(Tensor[] in) {
        Tensor[] c = conv.outputShapes(in);
        return c == null || c[0] == null ? null : new Tensor[] {pool.outputShapes(new Tensor[] {c[0]})[0]};
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return Tensors.allF32(in);
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        if (Tensors.allF32(in) && x.rank() == 4 && !CurrentBackend.get().keepsDeviceCopies()) {
            ConvActivation ca = conv instanceof ConvActivation a ? a : null;
            Conv c = ca != null ? ca.conv() : (Conv) conv;
            Tensor w = in[1];
            Tensor b = in.length > 2 ? in[2] : null;
            WindowGeometry g = c.geometry(x, w);
            int[] cs = Conv.outputShape(x, w, g);
            Window pw = pool.window();
            WindowGeometry pg = pw.resolve(Window.spatial(cs), pw.kernel());
            int[] ps = Window.join(cs[0], cs[1], Window.outputSize(pg, Window.spatial(cs), pw.ceilMode()));
            Activation f = ca == null ? null : ca.activation().activation().orElseThrow();
            float alpha = ca == null ? 0f : (float) ca.activation().alpha();
            float beta = ca == null ? 0f : (float) ca.activation().beta();
            Tensor y = Tensor.empty(DType.F32, ps); // the kernel overwrites it
            if (CurrentBackend.get().conv().forwardMaxPooled(x.floats(), x.shape(), w.floats(), w.shape(),
                    b == null ? null : b.floats(), g, c.group(), f, alpha, beta, cs, pg, y.floats(), ps)) {
                return new Tensor[] {y};
            }
        }
        return new Tensor[] {pool.forward(new Tensor[] {conv.forward(in)[0]})[0]};
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return BackwardReads.NONE;
    }

    /** No gradient: the plan fuses it only where none reaches it. */
    @Override
    public boolean differentiable() {
        return false;
    }
}
