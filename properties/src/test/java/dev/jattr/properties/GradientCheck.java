package dev.jattr.properties;

import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import java.util.Random;

/**
 * Checks an op's vector-Jacobian product against central finite differences in double
 * precision, as JAX's {@code check_vjp} does: for a random cotangent u, the VJP's gradient for
 * input element x_i must equal (⟨u, f(x + h·e_i)⟩ − ⟨u, f(x − h·e_i)⟩) / 2h.
 */
public final class GradientCheck {
    private GradientCheck() {}

    /** The largest mismatch found, relative to the scale of the gradients; throws AssertionError above {@code tol}. */
    public static double check(OpCase c, double tol, long seed) {
        Op op = c.op();
        Tensor[] in = c.inputs();
        Tensor[] out = op.forward(in);
        Random rnd = new Random(seed);
        Tensor[] u = new Tensor[out.length];
        for (int k = 0; k < out.length; k++) {
            if (out[k].dtype().isFloating()) {
                u[k] = Tensor.generate(out[k].dtype(), out[k].shape(), i -> rnd.nextGaussian());
            }
        }
        boolean[] wanted = new boolean[in.length];
        for (int i = 0; i < in.length; i++) {
            wanted[i] = in[i] != null && in[i].dtype().isFloating();
        }
        Tensor[] g = op.backward(in, out, u, wanted);
        double worst = 0;
        double h = 1e-6;
        for (int i = 0; i < in.length; i++) {
            if (!wanted[i]) {
                continue;
            }
            if (g[i] == null) {
                throw new AssertionError(op.type() + " returned no gradient for floating input " + i);
            }
            double scale = 1e-3 + g[i].maxAbs();
            for (int e = 0; e < in[i].size(); e++) {
                Tensor[] plus = in.clone(), minus = in.clone();
                plus[i] = in[i].copy();
                minus[i] = in[i].copy();
                plus[i].setDouble(e, in[i].getDouble(e) + h);
                minus[i].setDouble(e, in[i].getDouble(e) - h);
                double fd = (dot(u, op.forward(plus)) - dot(u, op.forward(minus))) / (2 * h);
                double err = Math.abs(fd - g[i].getDouble(e)) / scale;
                worst = Math.max(worst, err);
                if (err > tol) {
                    throw new AssertionError(String.format("%s: d/d input%d[%d]: VJP %.8g, finite difference %.8g (case %s)",
                            op.type(), i, e, g[i].getDouble(e), fd, c));
                }
            }
        }
        return worst;
    }

    private static double dot(Tensor[] u, Tensor[] y) {
        double s = 0;
        for (int k = 0; k < u.length; k++) {
            if (u[k] != null) {
                for (int i = 0; i < u[k].size(); i++) {
                    s += u[k].getDouble(i) * y[k].getDouble(i);
                }
            }
        }
        return s;
    }
}
