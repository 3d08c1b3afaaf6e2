package dev.jattr.properties;

import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ValueInfo;
import dev.jattr.graph.ops.AutoPad;
import dev.jattr.graph.ops.AveragePool;
import dev.jattr.graph.ops.Binary;
import dev.jattr.graph.ops.BinaryKind;
import dev.jattr.graph.ops.Conv;
import dev.jattr.graph.ops.Flatten;
import dev.jattr.graph.ops.Gemm;
import dev.jattr.graph.ops.MaxPool;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import dev.jattr.graph.ops.Window;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small random network built in memory (float64): an MLP or a conv net, with a chosen
 * activation, optional residual Add, pooling. Node names follow PyTorch's exporter scopes
 * ({@code /l1/Gemm}) so layers resolve as module paths.
 *
 * @param graph   the network
 * @param input   its input name
 * @param inShape the shape of one example (without batch)
 * @param layers  the module paths of its hidden layers (attribution candidates)
 * @param classes the output width
 * @param description what was generated, for failure reports
 */
public record RandomNet(Graph graph, String input, int[] inShape, List<String> layers, int classes, String description) {

    /** An MLP: Gemm → act → [Gemm → act (+ residual)] → Gemm. */
    public static RandomNet mlp(long seed, UnaryKind act, boolean residual, boolean bias) {
        Random r = new Random(seed);
        Builder b = new Builder(r);
        int in = 2 + r.nextInt(4), hidden = 2 + r.nextInt(5), classes = 2 + r.nextInt(3);
        String h = b.gemm("l1", "x", in, hidden, bias);
        h = b.unary("a1", h, act);
        String h2 = b.gemm("l2", h, hidden, hidden, bias);
        h2 = b.unary("a2", h2, act);
        if (residual) {
            h2 = b.node("res", new Binary(BinaryKind.ADD), List.of(h2, h));
        }
        String out = b.gemm("head", h2, hidden, classes, bias);
        return new RandomNet(b.graph("x", new int[] {-1, in}, out), "x", new int[] {in}, List.of("l1", "a1", "l2", "a2", "head"),
                classes, "mlp(" + act + ", residual=" + residual + ", bias=" + bias + ", seed=" + seed + ")");
    }

    /** A conv net: Conv → act → pool → Conv → act (+ residual) → Flatten → Gemm. */
    public static RandomNet convnet(long seed, UnaryKind act, boolean residual, boolean maxPool, boolean bias) {
        Random r = new Random(seed);
        Builder b = new Builder(r);
        int c = 1 + r.nextInt(2), f = 2 + r.nextInt(2), size = 6, classes = 2 + r.nextInt(3);
        Window same = new Window(new int[0], new int[0], new int[] {1, 1, 1, 1}, new int[0], AutoPad.NOTSET, false);
        String h = b.conv("conv1", "x", c, f, same, bias);
        h = b.unary("act1", h, act);
        Window pw = new Window(new int[] {2, 2}, new int[] {2, 2}, new int[0], new int[0], AutoPad.NOTSET, false);
        h = b.node("pool", maxPool ? new MaxPool(pw) : new AveragePool(pw, false), List.of(h));
        String h2 = b.conv("conv2", h, f, f, same, bias);
        h2 = b.unary("act2", h2, act);
        if (residual) {
            h2 = b.node("res", new Binary(BinaryKind.ADD), List.of(h2, h));
        }
        h2 = b.node("flat", new Flatten(1), List.of(h2));
        String out = b.gemm("fc", h2, f * (size / 2) * (size / 2), classes, bias);
        return new RandomNet(b.graph("x", new int[] {-1, c, size, size}, out), "x", new int[] {c, size, size},
                List.of("conv1", "act1", "pool", "conv2", "act2", "fc"), classes,
                "convnet(" + act + ", residual=" + residual + ", maxPool=" + maxPool + ", bias=" + bias + ", seed=" + seed + ")");
    }

    /** MLPs and conv nets with any of the activations, with and without residual, max-pooling and bias. */
    public static net.jqwik.api.Arbitrary<RandomNet> any() {
        return of(net.jqwik.api.Arbitraries.of(UnaryKind.RELU, UnaryKind.SIGMOID, UnaryKind.TANH, UnaryKind.SOFTPLUS),
                net.jqwik.api.Arbitraries.of(false, true));
    }

    /** ReLU MLPs and conv nets without max-pooling (average pooling instead). */
    public static net.jqwik.api.Arbitrary<RandomNet> relu() {
        return of(net.jqwik.api.Arbitraries.just(UnaryKind.RELU), net.jqwik.api.Arbitraries.just(false));
    }

    private static net.jqwik.api.Arbitrary<RandomNet> of(net.jqwik.api.Arbitrary<UnaryKind> acts,
            net.jqwik.api.Arbitrary<Boolean> maxPool) {
        var flags = net.jqwik.api.Arbitraries.of(false, true);
        var seeds = net.jqwik.api.Arbitraries.longs();
        var mlp = net.jqwik.api.Combinators.combine(seeds, acts, flags, flags).as(RandomNet::mlp);
        var conv = net.jqwik.api.Combinators.combine(seeds, acts, flags, maxPool, flags).as(RandomNet::convnet);
        return net.jqwik.api.Arbitraries.oneOf(mlp, conv);
    }

    /** A random batch of {@code n} inputs in [−1, 1]. */
    public Tensor sample(int n, long seed) {
        return sample(n, seed, false);
    }

    /**
     * A random batch of {@code n} inputs in [−1, 1]; {@code quantized} rounds them to multiples of
     * 0.5, which makes exact ties (in max-pooling windows) and exact zeros likely.
     */
    public Tensor sample(int n, long seed, boolean quantized) {
        Random r = new Random(seed);
        int[] s = new int[inShape.length + 1];
        s[0] = n;
        System.arraycopy(inShape, 0, s, 1, inShape.length);
        return Tensor.generate(DType.F64, s, i -> {
            double v = 2 * r.nextDouble() - 1;
            return quantized ? Math.round(v * 2) / 2.0 : v;
        });
    }

    /** This network plus a layer {@code dead} computed from the input that the output does not use. */
    public RandomNet withDeadBranch() {
        int width = dev.jattr.graph.Shapes.size(inShape);
        List<Node> nodes = new ArrayList<>(graph.nodes());
        Map<String, Tensor> constants = new LinkedHashMap<>(graph.constants());
        constants.put("dead.weight", Tensor.generate(DType.F64, new int[] {3, width}, i -> 0.1 * (i % 7) - 0.3));
        nodes.add(new Node("/dead/Flatten", new Flatten(1), List.of(input), List.of("/dead/Flatten_output_0")));
        nodes.add(new Node("/dead/Gemm", new Gemm(1, 1, false, true), List.of("/dead/Flatten_output_0", "dead.weight"),
                List.of("/dead/Gemm_output_0")));
        List<String> names = new ArrayList<>(layers);
        names.add("dead");
        return new RandomNet(new Graph(nodes, graph.inputs(), graph.outputs(), constants), input, inShape, names, classes,
                description + "+dead");
    }

    @Override
    public String toString() {
        return description;
    }

    private static final class Builder {
        private final Random r;
        private final List<Node> nodes = new ArrayList<>();
        private final Map<String, Tensor> constants = new LinkedHashMap<>();

        Builder(Random r) {
            this.r = r;
        }

        String node(String module, Op op, List<String> inputs) {
            String name = "/" + module + "/" + op.type();
            String out = name + "_output_0";
            nodes.add(new Node(name, op, inputs, List.of(out)));
            return out;
        }

        String weight(String name, int... shape) {
            double scale = 1.5 / Math.sqrt(shape.length > 1 ? dev.jattr.graph.Shapes.product(shape, 1, shape.length) : shape[0]);
            constants.put(name, Tensor.generate(DType.F64, shape, i -> scale * r.nextGaussian()));
            return name;
        }

        String gemm(String module, String in, int k, int n, boolean bias) {
            List<String> ins = new ArrayList<>(List.of(in, weight(module + ".weight", n, k)));
            if (bias) {
                ins.add(weight(module + ".bias", n));
            }
            return node(module, new Gemm(1, 1, false, true), ins);
        }

        String conv(String module, String in, int c, int f, Window w, boolean bias) {
            List<String> ins = new ArrayList<>(List.of(in, weight(module + ".weight", f, c, 3, 3)));
            if (bias) {
                ins.add(weight(module + ".bias", f));
            }
            return node(module, new Conv(w, 1), ins);
        }

        String unary(String module, String in, UnaryKind k) {
            return node(module, Unary.of(k), List.of(in));
        }

        Graph graph(String input, int[] dims, String out) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < dims.length; i++) {
                names.add(i == 0 ? "batch" : "");
            }
            return new Graph(nodes, List.of(new ValueInfo(input, DType.F64, dims, names)),
                    List.of(new ValueInfo(out, DType.F64, new int[] {-1, -1}, List.of("batch", ""))), constants);
        }
    }
}
