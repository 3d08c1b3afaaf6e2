package dev.jattr.graph.ops;

import dev.jattr.graph.BackwardReads;
import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.kernels.Arithmetic;
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
            float[] yf = y.floats();
            CurrentBackend.get().reduce().sumOverAxis(x.floats(), new AxisView(planes, inner, 1), yf);
            // sum / inner in float is the correctly rounded quotient, as (float) ((double) sum / inner) is:
            // inner is exact in float
            CurrentBackend.get().elementwise().binary(Arithmetic.DIV, yf, new float[] {inner}, false,
                    new AxisView(planes, 1, 1), yf);
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
            // g / inner in float is the correctly rounded (float) ((double) g / inner); adding it to
            // zeros spreads it over each plane exactly
            float[] gx = Tensor.zeros(DType.F32, s).floats(), t = Tensor.zeros(DType.F32, planes).floats();
            var e = CurrentBackend.get().elementwise();
            e.binary(Arithmetic.DIV, gy.floats(), new float[] {inner}, false, new AxisView(planes, 1, 1), t);
            e.binary(Arithmetic.ADD, gx, t, false, new AxisView(1, planes, inner), gx);
            return new Tensor[] {Tensor.of(gx, s)};
        }
        return new Tensor[] {Tensor.generate(x.dtype(), s, i -> gy.getDouble(i / inner) / inner)};
    }
}
