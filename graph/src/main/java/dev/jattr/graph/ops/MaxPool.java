package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.kernels.WindowGeometry;

/**
 * ONNX MaxPool; the optional second output holds the flat indices of the maxima (storage order
 * 0, row-major over the whole input, as ONNX defines them).
 *
 * @param window  the window attributes
 * @param indices whether {@link #forward} computes the second output (a node that does not name
 *                it gets {@code null} there, and the pooling skips the index bookkeeping)
 */
public record MaxPool(Window window, boolean indices) implements Op {
    /** A MaxPool that computes both outputs. */
    public MaxPool(Window window) {
        this(window, true);
    }

    @Override
    public String type() {
        return "MaxPool";
    }

    /** The pooled tensor and the winning input index per output element. */
    public Result pool(Tensor x) {
        if (!x.dtype().isFloating()) {
            Result r = pool(x.cast(DType.F64)); // integer inputs (uint8 images): exact in double
            return new Result(r.y().cast(x.dtype()), r.argmax());
        }
        return pool(x, true);
    }

    private Result pool(Tensor x, boolean withIndices) {
        int[] xs = x.shape();
        WindowGeometry g = window.resolve(Window.spatial(xs), window.kernel());
        int[] ys = Window.join(xs[0], xs[1], Window.outputSize(g, Window.spatial(xs), window.ceilMode()));
        int size = dev.jattr.graph.Shapes.size(ys);
        int[] argmax = withIndices ? new int[size] : null;
        Tensor y;
        if (x.dtype() == DType.F32) {
            float[] yf = Tensor.empty(DType.F32, ys).floats(); // the kernel overwrites it
            CurrentBackend.get().pool().maxForward(x.floats(), xs, g, yf, ys, argmax);
            y = Tensor.of(yf, ys);
        } else {
            double[] yd = new double[size];
            CurrentBackend.get().pool().maxForward(x.cast(DType.F64).doubles(), xs, g, yd, ys, argmax);
            y = Tensor.of(yd, ys).cast(x.dtype());
        }
        return new Result(y, argmax);
    }

    /**
     * The pooled tensor and, for each of its elements, the flat index of the input element that won.
     *
     * @param y      pooled output
     * @param argmax winning input index per output element (−1 for a window of padding only), or null
     *               where they were not asked for
     */
    public record Result(Tensor y, int[] argmax) {}

    @Override
    public Tensor[] outputShapes(Tensor[] in) {
        int[] xs = in[0].shape();
        WindowGeometry g = window.resolve(Window.spatial(xs), window.kernel());
        int[] ys = Window.join(xs[0], xs[1], Window.outputSize(g, Window.spatial(xs), window.ceilMode()));
        return new Tensor[] {Tensor.shapeOnly(in[0].dtype(), ys), Tensor.shapeOnly(DType.I64, ys)};
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        if (!indices && in[0].dtype() == DType.F32) {
            return new Tensor[] {pool(in[0], false).y(), null};
        }
        Result r = pool(in[0]);
        long[] idx = new long[r.argmax.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = r.argmax[i];
        }
        return new Tensor[] {r.y, Tensor.of(idx, r.y.shape())};
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return !indices && Tensors.allF32(in);
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return BackwardReads.inputs(0); // the winners are found again from the input
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0];
        int[] argmax = pool(x).argmax();
        Tensor gx = Tensor.zeros(x.dtype(), x.shape());
        Tensor gy = g[0];
        if (x.dtype() == DType.F32 && gy.dtype() == DType.F32) {
            CurrentBackend.get().pool().maxBackward(gy.floats(), argmax, gx.floats());
            return new Tensor[] {gx};
        }
        if (x.dtype() == DType.F64 && gy.dtype() == DType.F64) {
            CurrentBackend.get().pool().maxBackward(gy.doubles(), argmax, gx.doubles());
            return new Tensor[] {gx};
        }
        for (int i = 0; i < argmax.length; i++) {
            if (argmax[i] >= 0) {
                gx.setDouble(argmax[i], gx.getDouble(argmax[i]) + gy.getDouble(i));
            }
        }
        return new Tensor[] {gx};
    }
}
