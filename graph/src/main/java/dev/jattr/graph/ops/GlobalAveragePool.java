package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.kernels.AxisView;

/** ONNX GlobalAveragePool: the mean over all spatial dimensions, kept as size-1 dimensions. */
public record GlobalAveragePool() implements Op {
    @Override
    public String type() {
        return "GlobalAveragePool";
    }

    @Override
    public Tensor[] outputShapes(Tensor[] in) {
        int[] ys = in[0].shape();
        for (int i = 2; i < ys.length; i++) {
            ys[i] = 1;
        }
        return new Tensor[] {Tensor.shapeOnly(in[0].dtype(), ys)};
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return Tensors.allF32(in);
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        Linalg.requireFloating(x, "GlobalAveragePool", "input X");
        int[] s = x.shape();
        int planes = s[0] * s[1], inner = x.size() / Math.max(1, planes);
        int[] ys = s.clone();
        for (int i = 2; i < ys.length; i++) {
            ys[i] = 1;
        }
        Tensor y = Tensor.zeros(x.dtype(), ys);
        if (x.dtype() == DType.F32) {
            Reduce.sumOnKernels(x.floats(), new AxisView(planes, inner, 1), true, y.floats());
            return new Tensor[] {y};
        }
        for (int p = 0; p < planes; p++) {
            double acc = 0;
            for (int j = 0; j < inner; j++) {
                acc += x.getDouble(p * inner + j);
            }
            y.setDouble(p, acc / inner);
        }
        return new Tensor[] {y};
    }

    @Override
    public boolean backwardRunsOnDevice(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        return in[0] != null && in[0].dtype() == DType.F32 && Tensors.allF32(new Tensor[] {g[0]}); // x: its shape only
    }

    @Override
    public BackwardReads backwardReads(boolean[] mayWant) {
        return BackwardReads.NONE;
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0], gy = g[0];
        int[] s = x.shape();
        int planes = s[0] * s[1], inner = x.size() / Math.max(1, planes);
        if (x.dtype() == DType.F32 && gy.dtype() == DType.F32) {
            return new Tensor[] {Reduce.spreadOnKernels(gy.floats(), new AxisView(planes, inner, 1), true, s)};
        }
        return new Tensor[] {Tensor.generate(x.dtype(), s, i -> gy.getDouble(i / inner) / inner)};
    }
}
