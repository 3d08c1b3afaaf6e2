package dev.jattr.attr;

import dev.jattr.graph.BackwardRule;
import dev.jattr.graph.BackwardRules;
import dev.jattr.graph.Node;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.ops.MaxPool;
import dev.jattr.graph.ops.Softmax;
import dev.jattr.graph.ops.Unary;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * DeepLift's Rescale rule as a {@link BackwardRules} for one backward pass over a doubled batch
 * (rows [0, n) the inputs, rows [n, 2n) their baselines), as Captum 0.8.0 computes it.
 *
 * <p>Every node of a type in Captum's {@code SUPPORTED_NON_LINEAR} table gets a rule; all others
 * use the plain chain rule. With Δin and Δout the input/output differences between each row and its
 * partner row (the same value for both halves), the rules are:
 * <ul>
 *   <li>Relu, Sigmoid, Tanh, Elu, LeakyRelu, Softplus: g_out·Δout/Δin, or the plain gradient where
 *       |Δin| &lt; 1e-10;
 *   <li>Softmax: that, minus its mean over the whole tensor (every row and class together);
 *   <li>MaxPool: the output gradient times the cross differences M − o_b and o_x − M (M the larger
 *       of the two halves' outputs), routed to each half's argmax, summed over the halves and
 *       divided by Δin; where |Δin| &lt; 1e-10 Captum 0.8.0 falls back to the plain gradient of
 *       <em>batch row 0</em> for every row (a bug fixed after 0.8.0, reproduced here).
 * </ul>
 *
 * <p>Captum 0.8.0 captures a module's output gradient with a tensor hook registered before the
 * next module's replacing hook, so when a rule node's output feeds another rule node directly, the
 * first sees the <em>plain</em> gradient of the second as its g_out (it is still multiplied through
 * by the replaced one in the fallback). This is reproduced: each rule records, for its input value,
 * the difference between the plain gradient and its replacement, and a rule reading that value as
 * its output adds it back.
 *
 * <p>A rule set is stateful and serves one backward pass.
 */
final class DeepLiftRules implements BackwardRules {
    /** Captum's DeepLift eps (not configurable in LayerDeepLift). */
    static final double EPS = 1e-10;

    private final int n;
    private final Set<Node> plain;
    /** Per value: plain gradient − rule gradient that a rule node gave it (what its producer's hook sees extra). */
    private final Map<String, Tensor> stale = new HashMap<>();

    /**
     * Rules for a batch of {@code 2n} rows; the nodes in {@code plain} use the plain gradient even if
     * they are nonlinear (Captum's layer module itself when attributing to its input).
     */
    DeepLiftRules(int n, Set<Node> plain) {
        this.n = n;
        this.plain = plain;
    }

    /** Whether Captum 0.8.0's DeepLift has a rule for {@code op}. */
    static boolean hasRule(Op op) {
        return switch (op) {
            case Unary u -> switch (u.kind()) {
                case RELU, SIGMOID, TANH, ELU, LEAKY_RELU, SOFTPLUS -> true;
                default -> false;
            };
            case Softmax _ -> true;
            case MaxPool _ -> true;
            default -> false;
        };
    }

    @Override
    public BackwardRule ruleFor(Node node) {
        if (plain.contains(node) || !hasRule(node.op())) {
            return BackwardRule.GRADIENT;
        }
        return this::rescale;
    }

    private Tensor[] rescale(Node node, Tensor[] in, Tensor[] out, Tensor[] gout, boolean[] wanted) {
        Tensor x = in[0], y = out[0];
        if (x.dim(0) != 2 * n) {
            throw new IllegalArgumentException("DeepLift expects " + 2 * n + " rows (inputs then baselines) at "
                    + node.describe() + ", found " + x.dim(0));
        }
        Tensor plainGrad = node.op().backward(in, out, gout, wanted)[0];
        Tensor captured = gout[0];
        Tensor extra = stale.get(node.outputs().getFirst());
        if (extra != null) {
            captured = Tensors.add(captured, extra);
        }
        Tensor dIn = halfDifference(x);
        Tensor result = switch (node.op()) {
            case MaxPool _ -> maxPool(node, in, out, gout, wanted, captured, plainGrad, dIn);
            case Softmax _ -> subtractMean(ratio(plainGrad, captured, dIn, halfDifference(y)));
            default -> ratio(plainGrad, captured, dIn, halfDifference(y));
        };
        stale.merge(node.inputs().getFirst(), Tensors.sub(plainGrad, result), Tensors::add);
        Tensor[] r = new Tensor[in.length];
        r[0] = result;
        return r;
    }

    /** Row r − its partner row, for both halves: cat([v[:n] − v[n:], v[:n] − v[n:]]). */
    private Tensor halfDifference(Tensor v) {
        int inner = v.size() / (2 * n), half = n * inner;
        return Tensor.generate(v.dtype(), v.shape(), i -> {
            int j = i % half;
            return v.getDouble(j) - v.getDouble(half + j);
        });
    }

    /** where(|Δin| &lt; eps, fallback, g·Δout/Δin). */
    private static Tensor ratio(Tensor fallback, Tensor g, Tensor dIn, Tensor dOut) {
        return Tensor.generate(fallback.dtype(), fallback.shape(), i -> {
            double d = dIn.getDouble(i);
            return Math.abs(d) < EPS ? fallback.getDouble(i) : g.getDouble(i) * dOut.getDouble(i) / d;
        });
    }

    private static Tensor subtractMean(Tensor u) {
        double mean = Tensors.sum(u) / u.size();
        return u.map(v -> v - mean);
    }

    private Tensor maxPool(Node node, Tensor[] in, Tensor[] out, Tensor[] gout, boolean[] wanted, Tensor captured,
            Tensor plainGrad, Tensor dIn) {
        Tensor y = out[0];
        int inner = y.size() / (2 * n), half = n * inner;
        // D = cat([M − o_b, o_x − M]) with M = max(o_x, o_b).
        Tensor weighted = Tensor.generate(y.dtype(), y.shape(), i -> {
            int j = i % half;
            double ox = y.getDouble(j), ob = y.getDouble(half + j), m = Math.max(ox, ob);
            return captured.getDouble(i) * (i < half ? m - ob : ox - m);
        });
        Tensor[] g = gout.clone();
        g[0] = weighted;
        Tensor routed = node.op().backward(in, out, g, wanted)[0];
        int xin = routed.size() / (2 * n), xhalf = n * xin;
        return Tensor.generate(routed.dtype(), routed.shape(), i -> {
            int j = i % xhalf;
            double d = dIn.getDouble(i);
            // Captum 0.8.0 indexes the input gradient with [0]: batch row 0, broadcast over rows.
            return Math.abs(d) < EPS ? plainGrad.getDouble(i % xin) : (routed.getDouble(j) + routed.getDouble(xhalf + j)) / d;
        });
    }
}
