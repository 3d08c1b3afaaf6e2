package dev.jattr.graph.ops;

import dev.jattr.graph.CurrentBackend;
import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.kernels.Activation;

/**
 * ONNX Clip: y = min(max(x, lo), hi), each bound optional (a null input). The bounds are scalars;
 * as inputs they receive gradient where they bind.
 */
public record Clip() implements Op {
    @Override
    public String type() {
        return "Clip";
    }

    private static double bound(Tensor[] in, int i, double dflt) {
        if (in.length <= i || in[i] == null) {
            return dflt;
        }
        if (in[i].size() != 1) {
            throw new IllegalArgumentException("Clip bound " + (i == 1 ? "min" : "max") + " must be a scalar, has "
                    + in[i].size() + " elements");
        }
        return in[i].getDouble(0);
    }

    @Override
    public boolean readsOnHost(int input) {
        return input > 0; // the bounds
    }

    @Override
    public boolean runsOnDevice(Tensor[] in) {
        return in[0].dtype() == DType.F32; // the bounds are scalars, brought to the host first
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        double lo = bound(in, 1, Double.NEGATIVE_INFINITY), hi = bound(in, 2, Double.POSITIVE_INFINITY);
        if (!x.dtype().isFloating()) {
            long l = lo == Double.NEGATIVE_INFINITY ? Long.MIN_VALUE : (long) lo;
            long h = hi == Double.POSITIVE_INFINITY ? Long.MAX_VALUE : (long) hi;
            return switch (x.dtype()) {
                case I64 -> new Tensor[] {Tensor.of(java.util.Arrays.stream(x.longs()).map(v -> Math.min(Math.max(v, l), h))
                        .toArray(), x.shape())};
                case I32 -> new Tensor[] {Tensor.of(java.util.Arrays.stream(x.ints()).map(v -> (int) Math.min(Math.max(v, l), h))
                        .toArray(), x.shape())};
                default -> throw new IllegalArgumentException("Clip is not defined on " + x.dtype() + " tensors");
            };
        }
        if (x.dtype() == DType.F32) {
            float[] y = Tensor.empty(DType.F32, x.shape()).floats(); // the kernel overwrites it
            CurrentBackend.get().elementwise().unary(Activation.CLIP, x.floats(), (float) lo, (float) hi, y, y.length);
            return new Tensor[] {Tensor.of(y, x.shape())};
        }
        return new Tensor[] {x.map(v -> Math.min(Math.max(v, lo), hi))};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0], gy = g[0];
        double lo = bound(in, 1, Double.NEGATIVE_INFINITY), hi = bound(in, 2, Double.POSITIVE_INFINITY);
        Tensor[] r = new Tensor[in.length];
        boolean boundsWanted = in.length > 1 && in[1] != null && wanted[1] || in.length > 2 && in[2] != null && wanted[2];
        if (!boundsWanted && x.dtype() == DType.F32 && gy.dtype() == DType.F32) {
            // the gradient passes where lo ≤ x ≤ hi, as in the loop below
            float[] gx = new float[x.size()];
            CurrentBackend.get().elementwise().unaryBackward(Activation.CLIP, x.floats(), x.floats(), gy.floats(),
                    (float) lo, (float) hi, gx, gx.length);
            r[0] = wanted[0] ? Tensor.of(gx, x.shape()) : null;
            return r;
        }
        double glo = 0, ghi = 0;
        Tensor gx = Tensor.zeros(x.dtype(), x.shape());
        for (int i = 0; i < x.size(); i++) {
            double v = x.getDouble(i), m = Math.max(v, lo), gi = gy.getDouble(i);
            if (m > hi) {
                ghi += gi;
            } else if (v >= lo) {
                gx.setDouble(i, gi);
            } else {
                glo += gi;
            }
        }
        r[0] = wanted[0] ? gx : null;
        if (in.length > 1 && in[1] != null && wanted[1]) {
            r[1] = Tensor.full(in[1].dtype(), glo, in[1].shape());
        }
        if (in.length > 2 && in[2] != null && wanted[2]) {
            r[2] = Tensor.full(in[2].dtype(), ghi, in[2].shape());
        }
        return r;
    }
}
