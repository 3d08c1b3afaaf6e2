package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.kernels.WindowGeometry;

/**
 * ONNX AveragePool.
 *
 * @param window           the window attributes
 * @param countIncludePad  whether padding counts in the divisor
 */
public record AveragePool(Window window, boolean countIncludePad) implements Op {
    @Override
    public String type() {
        return "AveragePool";
    }

    private WindowGeometry geometry(int[] xs) {
        return window.resolve(Window.spatial(xs), window.kernel());
    }

    @Override
    public Tensor[] outputShapes(Tensor[] in) {
        int[] xs = in[0].shape();
        int[] ys = Window.join(xs[0], xs[1], Window.outputSize(geometry(xs), Window.spatial(xs), window.ceilMode()));
        return new Tensor[] {Tensor.shapeOnly(in[0].dtype(), ys)};
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        Linalg.requireFloating(x, "AveragePool", "input X");
        int[] xs = x.shape();
        WindowGeometry g = geometry(xs);
        int[] ys = Window.join(xs[0], xs[1], Window.outputSize(g, Window.spatial(xs), window.ceilMode()));
        if (x.dtype() == DType.F32) {
            float[] y = Tensor.empty(DType.F32, ys).floats(); // the kernel overwrites it
            CurrentBackend.get().pool().averageForward(x.floats(), xs, g, countIncludePad, y, ys);
            return new Tensor[] {Tensor.of(y, ys)};
        }
        double[] y = new double[dev.jattr.graph.Shapes.size(ys)];
        CurrentBackend.get().pool().averageForward(x.cast(DType.F64).doubles(), xs, g, countIncludePad, y, ys);
        return new Tensor[] {Tensor.of(y, ys).cast(x.dtype())};
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return Tensors.allF32(in);
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return BackwardReads.NONE;
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] grads, boolean[] wanted) {
        Tensor x = in[0], gy = grads[0];
        WindowGeometry g = geometry(x.shape());
        if (x.dtype() == DType.F32) {
            float[] gx = Tensor.zeros(DType.F32, x.shape()).floats();
            CurrentBackend.get().pool().averageBackward(gy.floats(), gy.shape(), g, countIncludePad, gx, x.shape());
            return new Tensor[] {Tensor.of(gx, x.shape())};
        }
        double[] gx = new double[x.size()];
        CurrentBackend.get().pool().averageBackward(gy.cast(DType.F64).doubles(), gy.shape(), g, countIncludePad, gx, x.shape());
        return new Tensor[] {Tensor.of(gx, x.shape()).cast(x.dtype())};
    }
}
