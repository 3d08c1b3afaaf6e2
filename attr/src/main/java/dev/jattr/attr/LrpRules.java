package dev.jattr.attr;

import dev.jattr.graph.BackwardRule;
import dev.jattr.graph.BackwardRules;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.ops.AveragePool;
import dev.jattr.graph.ops.BatchNormalization;
import dev.jattr.graph.ops.Binary;
import dev.jattr.graph.ops.BinaryKind;
import dev.jattr.graph.ops.Conv;
import dev.jattr.graph.ops.Flatten;
import dev.jattr.graph.ops.Gemm;
import dev.jattr.graph.ops.GlobalAveragePool;
import dev.jattr.graph.ops.MaxPool;
import dev.jattr.graph.ops.Pad;
import dev.jattr.graph.ops.Reshape;
import dev.jattr.graph.ops.Unary;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * LRP as a {@link BackwardRules}: what flows backward is relevance normalised to a seed of 1 at
 * the target. Each node is treated in one of four ways:
 * <ul>
 *   <li>a {@link LrpRule}: the one assigned to the node (by node name, or by the PyTorch module
 *       path of its scope), else the ε-rule (ε = 1e-9) for Gemm, MatMul, Conv, MaxPool,
 *       AveragePool, GlobalAveragePool, BatchNormalization and Add — Captum's defaults for Linear,
 *       Conv, pooling, BatchNorm and its Addition module;
 *   <li>pass-through for Relu, Tanh and Identity/Dropout, as Captum's non-linear layers;
 *   <li>the plain vector-Jacobian product for ops that only move values (Flatten, Reshape, Pad,
 *       Squeeze, Unsqueeze, Transpose, Concat, Slice, Split, Expand), which moves relevance without
 *       changing it, as functional reshapes do in Captum;
 *   <li>none for any other op: relevance cannot cross it and {@link #requireRule} fails.
 * </ul>
 * Assigning a rule by module path affects the module's nodes except the value-moving ones.
 */
final class LrpRules implements BackwardRules {
    private static final Set<String> MOVING = Set.of("Flatten", "Reshape", "Pad", "Squeeze", "Unsqueeze", "Transpose",
            "Concat", "Slice", "Split", "Expand");

    private final Graph graph;
    private final Map<String, LrpRule> assigned;

    /**
     * Rules for {@code graph} with {@code assigned} rules by node name or module path; fails naming
     * a key that matches no node or module.
     */
    LrpRules(Graph graph, Map<String, LrpRule> assigned) {
        this.graph = graph;
        this.assigned = new LinkedHashMap<>(assigned);
        for (String key : assigned.keySet()) {
            boolean found = graph.nodes().stream().anyMatch(n -> n.name().equals(key) || n.modulePath().equals(key));
            if (!found) {
                throw new IllegalArgumentException("an LRP rule is assigned to '" + key
                        + "', which is neither a node name nor the module path of a node");
            }
        }
    }

    private static boolean moves(Op op) {
        return op instanceof Flatten || op instanceof Reshape || op instanceof Pad || MOVING.contains(op.type());
    }

    private static boolean passes(Op op) {
        return op instanceof Unary u && switch (u.kind()) {
            case RELU, TANH, IDENTITY -> true;
            default -> false;
        };
    }

    private static boolean hasDefaultRule(Op op) {
        return switch (op) {
            case Gemm _, Conv _, MaxPool _, AveragePool _, GlobalAveragePool _, BatchNormalization _ -> true;
            case Binary b -> b.kind() == BinaryKind.ADD;
            default -> op.type().equals("MatMul");
        };
    }

    /** The rule for {@code node}: assigned or default; empty for pass-through, moving and unsupported ops. */
    private Optional<LrpRule> rule(Node node) {
        LrpRule r = assigned.get(node.name());
        if (r == null && !moves(node.op())) {
            r = assigned.get(node.modulePath());
        }
        if (r == null && hasDefaultRule(node.op())) {
            r = LrpRule.epsilon();
        }
        return Optional.ofNullable(r);
    }

    /** Fails, naming the node and its op, if relevance cannot cross {@code node}. */
    void requireRule(Node node) {
        if (rule(node).isEmpty() && !passes(node.op()) && !moves(node.op())) {
            throw new IllegalArgumentException("LayerLRP has no rule for " + node.describe()
                    + "; assign one by node name or module path (e.g. an IdentityRule)");
        }
    }

    @Override
    public BackwardRule ruleFor(Node node) {
        Optional<LrpRule> r = rule(node);
        if (r.isPresent()) {
            LrpRule rule = r.get();
            return (n, in, out, g, wanted) -> propagate(rule, n, in, out, g, wanted);
        }
        if (passes(node.op())) {
            return (n, in, out, g, wanted) -> new Tensor[] {g[0]};
        }
        if (moves(node.op())) {
            return BackwardRule.GRADIENT;
        }
        requireRule(node);
        throw new AssertionError();
    }

    private Tensor[] propagate(LrpRule rule, Node node, Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        if (rule instanceof LrpRule.IdentityRule) {
            Tensor[] r = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) {
                if (wanted[i]) {
                    if (!Arrays.equals(in[i].shape(), g[0].shape())) {
                        throw new IllegalArgumentException("the identity rule needs input " + i + " shaped like the output "
                                + Arrays.toString(g[0].shape()) + ", got " + Arrays.toString(in[i].shape()));
                    }
                    r[i] = g[0];
                }
            }
            return r;
        }
        Tensor[] zin = modified(rule, node, in);
        Tensor[] zout = zin == in ? out : node.op().forward(zin);
        double eps = rule instanceof LrpRule.EpsilonRule e ? e.epsilon() : LrpRule.STABILITY;
        Tensor z = zout[0], r = g[0];
        Tensor[] s = g.clone();
        s[0] = Tensor.generate(r.dtype(), r.shape(), i -> {
            double v = z.getDouble(i);
            return r.getDouble(i) / (v + (v >= 0 ? eps : -eps));
        });
        Tensor[] c = node.op().backward(zin, zout, s, wanted);
        Tensor[] result = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            if (wanted[i] && c[i] != null) {
                result[i] = Tensors.mul(in[i], c[i]);
            }
        }
        return result;
    }

    /** The inputs with the rule's weight (input 1) and bias (input 2) changes, or {@code in} itself when none apply. */
    private Tensor[] modified(LrpRule rule, Node node, Tensor[] in) {
        boolean weighted = switch (node.op()) {
            case Gemm _, Conv _, BatchNormalization _ -> true;
            default -> node.op().type().equals("MatMul");
        };
        if (!weighted || in.length < 2 || !graph.isConstant(node.inputs().get(1))) {
            return in;
        }
        Tensor[] m = in.clone();
        boolean dropBias;
        switch (rule) {
            case LrpRule.GammaRule gr -> {
                m[1] = in[1].map(w -> w + gr.gamma() * Math.max(w, 0));
                dropBias = gr.setBiasToZero();
            }
            case LrpRule.Alpha1Beta0Rule ab -> {
                m[1] = in[1].map(w -> Math.max(w, 0));
                dropBias = ab.setBiasToZero();
            }
            default -> {
                return in;
            }
        }
        if (dropBias && in.length > 2 && in[2] != null) {
            m[2] = Tensor.zeros(in[2].dtype(), in[2].shape());
        }
        return m;
    }
}
