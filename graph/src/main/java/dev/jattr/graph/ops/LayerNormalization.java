package dev.jattr.graph.ops;

import dev.jattr.graph.Op;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import java.util.Arrays;

/**
 * ONNX LayerNormalization (opset 17): x normalised over its dimensions from {@code axis} on, then
 * y = x̂·scale + bias with scale and bias broadcast to those dimensions. The optional outputs
 * Mean and InvStdDev have x's leading dimensions and 1 for each normalised one; gradients reaching
 * them flow back to x too. Statistics are computed in double precision whatever stash_type says.
 *
 * @param axis    first normalised dimension (negative counts from the end)
 * @param epsilon the variance stabiliser
 */
public record LayerNormalization(int axis, double epsilon) implements Op {
    @Override
    public String type() {
        return "LayerNormalization";
    }

    private int[] normalizedShape(Tensor x) {
        return Arrays.copyOfRange(x.shape(), Shapes.axis(axis, x.rank()), x.rank());
    }

    private int[] statsShape(Tensor x) {
        int a = Shapes.axis(axis, x.rank());
        int[] s = x.shape();
        Arrays.fill(s, a, s.length, 1);
        return s;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        Tensor x = in[0], scale = in[1], bias = in.length > 2 ? in[2] : null;
        Linalg.requireFloating(x, "LayerNormalization", "input X");
        int[] ns = normalizedShape(x);
        int block = Shapes.size(ns);
        int[] so = Broadcast.offsets(scale.shape(), ns), bo = bias == null ? null : Broadcast.offsets(bias.shape(), ns);
        Moments m = Moments.of(x, block, epsilon);
        Tensor y = Tensor.generate(x.dtype(), x.shape(), i -> {
            int j = i % block;
            return m.normalized(x, i) * scale.getDouble(so[j]) + (bias == null ? 0 : bias.getDouble(bo[j]));
        });
        int[] ss = statsShape(x);
        return new Tensor[] {y, Tensor.generate(x.dtype(), ss, i -> m.mean()[i]), Tensor.generate(x.dtype(), ss, i -> m.inv()[i])};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        Tensor x = in[0], scale = in[1], gy = g[0];
        int[] ns = normalizedShape(x);
        int block = Shapes.size(ns);
        int[] so = Broadcast.offsets(scale.shape(), ns);
        Moments m = Moments.of(x, block, epsilon);
        Tensor[] r = new Tensor[in.length];
        if (wanted[0]) {
            r[0] = m.backward(x, i -> gy.getDouble(i) * scale.getDouble(so[i % block]),
                    g.length > 1 ? g[1] : null, g.length > 2 ? g[2] : null);
        }
        if (wanted[1] || in.length > 2 && in[2] != null && wanted[2]) {
            double[] gs = new double[block], gb = new double[block];
            for (int i = 0, n = x.size(); i < n; i++) {
                gs[i % block] += gy.getDouble(i) * m.normalized(x, i);
                gb[i % block] += gy.getDouble(i);
            }
            r[1] = wanted[1] ? Tensors.unbroadcast(Tensor.generate(scale.dtype(), ns, j -> gs[j]), scale.shape()) : null;
            if (in.length > 2 && in[2] != null && wanted[2]) {
                r[2] = Tensors.unbroadcast(Tensor.generate(in[2].dtype(), ns, j -> gb[j]), in[2].shape());
            }
        }
        return r;
    }
}
