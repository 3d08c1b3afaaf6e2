package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import java.util.Arrays;

/** ONNX GlobalMaxPool: the maximum over all spatial dimensions, kept as size-1 dimensions; ties share the gradient. */
public record GlobalMaxPool() implements Op {
    @Override
    public String type() {
        return "GlobalMaxPool";
    }

    private static int[] kept(Tensor x) {
        int[] k = x.shape();
        Arrays.fill(k, 2, k.length, 1);
        return k;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0];
        Linalg.requireFloating(x, "GlobalMaxPool", "input X");
        int[] keep = kept(x);
        double[] y = Reduce.reduce(ReduceKind.MAX, x, keep, Broadcast.offsets(keep, x.shape()));
        return new Tensor[] {Tensor.generate(x.dtype(), keep, i -> y[i])};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0];
        int[] keep = kept(x);
        return new Tensor[] {Reduce.gradient(ReduceKind.MAX, x, out[0].toDoubles(), g[0], Broadcast.offsets(keep, x.shape()))};
    }
}
