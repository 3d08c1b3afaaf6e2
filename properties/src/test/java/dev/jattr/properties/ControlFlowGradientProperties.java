package dev.jattr.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jattr.attr.Attribution;
import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.IntegrationMethod;
import dev.jattr.attr.LayerIntegratedGradients;
import dev.jattr.attr.Target;
import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.ValueInfo;
import dev.jattr.graph.ops.Binary;
import dev.jattr.graph.ops.BinaryKind;
import dev.jattr.graph.ops.Compare;
import dev.jattr.graph.ops.CompareKind;
import dev.jattr.graph.ops.If;
import dev.jattr.graph.ops.Loop;
import dev.jattr.graph.ops.MatMul;
import dev.jattr.graph.ops.Reduce;
import dev.jattr.graph.ops.ReduceKind;
import dev.jattr.graph.ops.Scan;
import dev.jattr.graph.ops.Subgraph;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * If, Loop and Scan: their VJPs (the branch that ran; backpropagation through iterations and
 * scan steps) against finite differences, on small bodies built in memory: If branches of Mul and
 * Tanh capturing outer values, a Loop accumulating a Tanh recurrence with a counter and a scan
 * output, stopped by its trip count or by its condition, and a Scan summing Tanh steps over
 * scanned inputs in both directions along any axis, batched (Scan-8) or not. Integer values and
 * conditions get no gradient, and layer integrated gradients through a Loop are complete.
 */
class ControlFlowGradientProperties implements OpContract {
    private static final Op MUL = new Binary(BinaryKind.MUL), ADD = new Binary(BinaryKind.ADD),
            TANH = Unary.of(UnaryKind.TANH);

    @Override
    public Arbitrary<OpCase> cases() {
        return Arbitraries.oneOf(ifs(), loops(), scans());
    }

    /** A body under construction: nodes each writing one value, and constants. */
    private static final class Body {
        private final List<Node> nodes = new ArrayList<>();
        private final Map<String, Tensor> constants = new LinkedHashMap<>();

        Body node(Op op, String out, String... in) {
            nodes.add(new Node(out + "/" + op.type(), op, List.of(in), List.of(out)));
            return this;
        }

        Body constant(String name, Tensor value) {
            constants.put(name, value);
            return this;
        }

        /** The subgraph with these formals, the captures (any type, as their inputs say) and outputs. */
        Subgraph build(List<ValueInfo> formals, List<String> captures, List<ValueInfo> outputs) {
            List<ValueInfo> inputs = new ArrayList<>(formals);
            captures.forEach(c -> inputs.add(value(c, DType.F64)));
            return new Subgraph(new Graph(nodes, inputs, outputs, constants), captures);
        }
    }

    private static ValueInfo value(String name, DType type, int... dims) {
        return new ValueInfo(name, type, dims, Collections.nCopies(dims.length, ""));
    }

    private static Tensor random(Random r, int... shape) {
        return Tensor.generate(DType.F64, shape, i -> 3 * r.nextDouble() - 1.5);
    }

    /** If: then reads a and b (Mul, Tanh), else reads b and c (a broadcast Mul, and b passed straight out). */
    @Provide
    Arbitrary<OpCase> ifs() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            int rows = 1 + r.nextInt(3), cols = 1 + r.nextInt(3);
            boolean cond = r.nextBoolean(), broadcast = r.nextBoolean();
            Subgraph then = new Body().node(MUL, "m", "a", "b").node(TANH, "t", "m")
                    .build(List.of(), List.of("a", "b"), List.of(value("m", DType.F64), value("t", DType.F64)));
            Subgraph otherwise = new Body().node(MUL, "e", "b", "c")
                    .build(List.of(), List.of("b", "c"), List.of(value("e", DType.F64), value("b", DType.F64)));
            Statistics.label("op").collect("If " + cond);
            return new OpCase(new If(then, otherwise, List.of("a", "b", "c")), Tensor.of(new boolean[] {cond}),
                    random(r, rows, cols), random(r, rows, cols), broadcast ? random(r, 1, cols) : random(r, rows, cols));
        });
    }

    /**
     * Loop carrying s ← tanh(s·w), acc ← acc + s' and an int64 counter, scanning s'·acc; run for
     * a trip count (0 to 4), or until the body's condition i &lt; stop turns false.
     */
    @Provide
    Arbitrary<OpCase> loops() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            int rows = 1 + r.nextInt(2), cols = 1 + r.nextInt(3);
            boolean byCondition = r.nextBoolean();
            Body b = new Body().node(MUL, "p", "s", "w").node(TANH, "s1", "p").node(ADD, "acc1", "acc", "s1")
                    .constant("one", Tensor.of(new long[] {1})).node(ADD, "cnt1", "cnt", "one").node(MUL, "y", "s1", "acc");
            long stop = r.nextInt(4);
            if (byCondition) {
                b.constant("stop", Tensor.of(new long[] {stop})).node(new Compare(CompareKind.LESS), "go", "i", "stop");
            }
            Subgraph body = b.build(
                    List.of(value("i", DType.I64), value("cond_in", DType.BOOL), value("s", DType.F64, rows, cols),
                            value("acc", DType.F64, rows, cols), value("cnt", DType.I64)),
                    List.of("w"),
                    List.of(value(byCondition ? "go" : "cond_in", DType.BOOL), value("s1", DType.F64, rows, cols),
                            value("acc1", DType.F64, rows, cols), value("cnt1", DType.I64), value("y", DType.F64, rows, cols)));
            Tensor trips = byCondition ? r.nextBoolean() ? null : Tensor.of(new long[] {10}) : Tensor.of(new long[] {r.nextInt(5)});
            Tensor cond = byCondition || r.nextBoolean() ? Tensor.of(new boolean[] {true}) : null;
            Statistics.label("op").collect(byCondition ? "Loop until condition" : "Loop for trip count");
            return new OpCase(new Loop(body), trips, cond, random(r, rows, cols), random(r, rows, cols),
                    Tensor.of(new long[] {r.nextInt(5)}), random(r, r.nextBoolean() ? cols : 1));
        });
    }

    /**
     * Scan with states acc ← acc + tanh(x_t·w) and an int64 counter over scanned inputs x and z,
     * emitting (acc'·z_t, tanh(x_t·w)); random axes and directions, or Scan-8's batched form.
     */
    @Provide
    Arbitrary<OpCase> scans() {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            int d = 1 + r.nextInt(3), steps = 1 + r.nextInt(4);
            boolean batched = r.nextInt(4) == 0;
            Subgraph body = new Body().node(MUL, "p", "x_t", "w").node(TANH, "t", "p").node(ADD, "acc1", "acc", "t")
                    .constant("one", Tensor.of(new long[] {1})).node(ADD, "cnt1", "cnt", "one").node(MUL, "o", "acc1", "z_t")
                    .build(List.of(value("acc", DType.F64, d), value("cnt", DType.I64), value("x_t", DType.F64, d),
                                    value("z_t", DType.F64, d)),
                            List.of("w"),
                            List.of(value("acc1", DType.F64, d), value("cnt1", DType.I64), value("o", DType.F64, d),
                                    value("t", DType.F64, d)));
            int[] inDirections = {r.nextInt(2), r.nextInt(2)};
            Tensor w = random(r, r.nextBoolean() ? d : 1);
            if (batched) {
                int batch = 1 + r.nextInt(2);
                long[] full = new long[batch];
                Arrays.fill(full, steps);
                Tensor lens = r.nextBoolean() ? null : Tensor.of(full, batch);
                Statistics.label("op").collect("Scan-8");
                return new OpCase(new Scan(body, 2, new int[0], inDirections, new int[0], new int[0], true), lens,
                        random(r, batch, d), Tensor.of(new long[batch], batch), random(r, batch, steps, d),
                        random(r, batch, steps, d), w);
            }
            int[] inAxes = {r.nextInt(3) - 1, r.nextInt(3) - 1};
            int[] outAxes = {r.nextInt(4) - 2, r.nextInt(4) - 2};
            int[] outDirections = {r.nextInt(2), r.nextInt(2)};
            Tensor[] scanned = new Tensor[2];
            for (int j = 0; j < 2; j++) {
                scanned[j] = inAxes[j] == 0 ? random(r, steps, d) : random(r, d, steps);
            }
            Statistics.label("op").collect("Scan");
            return new OpCase(new Scan(body, 2, inAxes, inDirections, outAxes, outDirections, false), random(r, d),
                    Tensor.of(new long[] {0}), scanned[0], scanned[1], w);
        });
    }

    /** Asked for every input's gradient, the ops give one to exactly the floating inputs: none to conditions, counts, integer state. */
    @Property(tries = 200)
    void onlyFloatingInputsGetGradients(@ForAll("cases") OpCase c) {
        Tensor[] in = c.inputs();
        Tensor[] out = c.op().forward(in);
        Tensor[] u = new Tensor[out.length];
        for (int k = 0; k < out.length; k++) {
            u[k] = out[k].dtype().isFloating() ? out[k].map(v -> 1) : null;
        }
        boolean[] all = new boolean[in.length];
        Arrays.fill(all, true);
        Tensor[] g = c.op().backward(in, out, u, all);
        for (int i = 0; i < in.length; i++) {
            if (in[i] != null && in[i].dtype().isFloating()) {
                assertNotNull(g[i], "gradient of input " + i);
                assertEquals(Arrays.toString(in[i].shape()), Arrays.toString(g[i].shape()), "input " + i);
            } else {
                assertNull(g[i], "gradient of non-floating input " + i);
            }
        }
    }

    /**
     * A model x → MatMul → h → Loop (s ← tanh(s·w + h), from s = h, T times, scanning s²) → s + Σ scans:
     * layer integrated gradients at the MatMul, whose path runs through the Loop, are complete.
     */
    @Property(tries = 200)
    void layerIntegratedGradientsThroughALoopAreComplete(@ForAll long seed) {
        Random r = new Random(seed);
        int in = 1 + r.nextInt(3), d = 1 + r.nextInt(3), trips = 1 + r.nextInt(4);
        Subgraph body = new Body().node(MUL, "p", "s", "w").node(ADD, "q", "p", "h").node(TANH, "s1", "q").node(MUL, "y", "s1", "s1")
                .build(List.of(value("i", DType.I64), value("cond_in", DType.BOOL), value("s", DType.F64, -1, d)),
                        List.of("h", "w"),
                        List.of(value("cond_in", DType.BOOL), value("s1", DType.F64, -1, d), value("y", DType.F64, -1, d)));
        Map<String, Tensor> constants = new LinkedHashMap<>();
        constants.put("W", random(r, in, d).map(v -> v / 2)); // moderate slopes: the Gauss-Legendre error stays below 1e-6
        constants.put("w", random(r, d));
        constants.put("trips", Tensor.of(new long[] {trips}));
        List<Node> nodes = List.of(new Node("lin", new MatMul(), List.of("x", "W"), List.of("h")),
                new Node("loop", new Loop(body), List.of("trips", "", "h", "h", "w"), List.of("s", "ys")),
                new Node("sum", new Reduce(ReduceKind.SUM, List.of(0), false, false), List.of("ys"), List.of("ysum")),
                new Node("out", ADD, List.of("s", "ysum"), List.of("f")));
        Graph g = new Graph(nodes, List.of(new ValueInfo("x", DType.F64, new int[] {-1, in}, List.of("batch", ""))),
                List.of(new ValueInfo("f", DType.F64, new int[] {-1, d}, List.of("batch", ""))), constants);
        Tensor x = random(r, 2, in), baseline = r.nextBoolean() ? Tensor.zeros(DType.F64, 2, in) : random(r, 2, in);
        int target = r.nextInt(d);
        Attribution a = LayerIntegratedGradients.builder(g).layer("lin").nSteps(200).method(IntegrationMethod.GAUSS_LEGENDRE)
                .build().attribute(AttributionInputs.builder().input("x", x).baseline("x", baseline)
                        .target(Target.index(target)).build());
        Executor ex = new Executor(g);
        Tensor fx = ex.forward(Map.of("x", x)).get("f"), fb = ex.forward(Map.of("x", baseline)).get("f");
        double[] sums = Tensors.sumPerRow(a.single());
        for (int e = 0; e < 2; e++) {
            double want = fx.getDouble(e * d + target) - fb.getDouble(e * d + target);
            assertEquals(want, sums[e], 1e-6 * (1 + Math.abs(want)), "example " + e + ": Σ attributions vs f(x) − f(baseline)");
        }
    }
}
