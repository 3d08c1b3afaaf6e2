package dev.jattr.properties;

import dev.jattr.attr.Attribution;
import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.InternalInfluence;
import dev.jattr.attr.IntegrationMethod;
import dev.jattr.attr.Layer;
import dev.jattr.attr.LayerActivation;
import dev.jattr.attr.LayerConductance;
import dev.jattr.attr.LayerDeepLift;
import dev.jattr.attr.LayerDeepLiftShap;
import dev.jattr.attr.LayerFeatureAblation;
import dev.jattr.attr.LayerGradientShap;
import dev.jattr.attr.LayerGradientXActivation;
import dev.jattr.attr.LayerIntegratedGradients;
import dev.jattr.attr.LayerLRP;
import dev.jattr.attr.LayerMethod;
import dev.jattr.attr.Target;
import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.ValueInfo;
import dev.jattr.graph.ops.Gemm;
import dev.jattr.graph.ops.UnaryKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The attribution axioms as properties on random networks: completeness where each method
 * promises it, zero attribution to layers the target does not depend on, exact results on
 * linear models and for ablation.
 */
class AttributionAxiomProperties {
    /** ReLU networks without max-pooling: DeepLift's Rescale rule and LRP are exact on them. */
    @Provide
    Arbitrary<RandomNet> reluNets() {
        return RandomNet.relu();
    }

    /** Any generated network. */
    @Provide
    Arbitrary<RandomNet> anyNets() {
        return RandomNet.any();
    }

    private static AttributionInputs inputs(RandomNet net, Tensor x, Tensor b, int target) {
        return AttributionInputs.builder().input(net.input(), x).baseline(net.input(), b).target(Target.index(target)).build();
    }

    private static double[] outputDifference(RandomNet net, Tensor x, Tensor b, int target) {
        Executor ex = new Executor(net.graph());
        Tensor fx = ex.forward(Map.of(net.input(), x)).values().iterator().next();
        Tensor fb = ex.forward(Map.of(net.input(), b)).values().iterator().next();
        double[] d = new double[x.dim(0)];
        for (int i = 0; i < d.length; i++) {
            d[i] = fx.getDouble(i * net.classes() + target) - fb.getDouble(i * net.classes() + target);
        }
        return d;
    }

    private static String cutLayer(RandomNet net, int index) {
        List<String> cuts = net.layers().stream().filter(l -> CompletenessProperties.separates(net, l)).toList();
        return cuts.get(index % cuts.size());
    }

    private static void label(RandomNet net, Tensor x, Tensor b, boolean zeroBaseline) {
        Statistics.label("baseline").collect(zeroBaseline ? "zero" : "random");
        Statistics.label("dead relu").collect(hasDeadRelu(net, x) || hasDeadRelu(net, b));
    }

    /** Whether some ReLU output of the first activation layer is exactly zero. */
    static boolean hasDeadRelu(RandomNet net, Tensor x) {
        String act = net.layers().contains("a1") ? "a1" : "act1";
        Tensor a = LayerActivation.builder(net.graph()).layer(act).build()
                .attribute(AttributionInputs.builder().input(net.input(), x).build()).single();
        for (int i = 0; i < a.size(); i++) {
            if (a.getDouble(i) == 0) {
                return true;
            }
        }
        return false;
    }

    @Property(tries = 200)
    void deepLiftIsExactOnReluNetworks(@ForAll("reluNets") RandomNet net, @ForAll long seed, @ForAll @IntRange(max = 9) int layerIndex,
            @ForAll boolean zeroBaseline, @ForAll boolean quantized) {
        Tensor x = net.sample(2, seed, quantized);
        Tensor b = zeroBaseline ? Tensor.zeros(DType.F64, x.shape()) : net.sample(2, seed + 1, quantized);
        label(net, x, b, zeroBaseline);
        int target = Math.floorMod(seed, net.classes());
        String layer = cutLayer(net, layerIndex);
        Statistics.label("baseline").coverage(c -> c.check("zero").percentage(p -> p > 10));
        Statistics.label("dead relu").coverage(c -> c.check(true).percentage(p -> p > 10));
        Attribution a = LayerDeepLift.builder(net.graph()).layer(layer).build().attribute(inputs(net, x, b, target));
        assertRowsSum(net + " DeepLift at " + layer, a.single(), outputDifference(net, x, b, target), 1e-8);
    }

    @Property(tries = 200)
    void deepLiftShapIsCompleteAgainstTheMeanBaseline(@ForAll("reluNets") RandomNet net, @ForAll long seed,
            @ForAll @IntRange(max = 9) int layerIndex, @ForAll @IntRange(min = 2, max = 4) int baselines) {
        Tensor x = net.sample(2, seed);
        Tensor dist = net.sample(baselines, seed + 7);
        int target = Math.floorMod(seed, net.classes());
        String layer = cutLayer(net, layerIndex);
        Attribution a = LayerDeepLiftShap.builder(net.graph()).layer(layer).build().attribute(inputs(net, x, dist, target));
        double[] want = new double[2];
        for (int j = 0; j < baselines; j++) {
            Tensor bj = Tensors.repeat0(Tensors.rows(dist, j, j + 1), 2);
            double[] d = outputDifference(net, x, bj, target);
            for (int i = 0; i < 2; i++) {
                want[i] += d[i] / baselines;
            }
        }
        assertRowsSum(net + " DeepLiftShap at " + layer, a.single(), want, 1e-8);
    }

    @Property(tries = 200)
    void totalConductanceIsComplete(@ForAll("anyNets") RandomNet net, @ForAll long seed, @ForAll @IntRange(max = 9) int layerIndex,
            @ForAll boolean zeroBaseline) {
        Tensor x = net.sample(2, seed);
        Tensor b = zeroBaseline ? Tensor.zeros(DType.F64, x.shape()) : net.sample(2, seed + 1);
        Statistics.label("baseline").collect(zeroBaseline ? "zero" : "random");
        int target = Math.floorMod(seed, net.classes());
        String layer = cutLayer(net, layerIndex);
        Attribution a = LayerConductance.builder(net.graph()).layer(layer).nSteps(300).method(IntegrationMethod.RIEMANN_TRAPEZOID)
                .build().attribute(inputs(net, x, b, target));
        assertRowsSum(net + " conductance at " + layer, a.single(), outputDifference(net, x, b, target), 2e-2);
    }

    @Property(tries = 200)
    void gradientShapIsCompleteInExpectation(@ForAll("anyNets") RandomNet net, @ForAll long seed) {
        // at the first layer, affine in the input, the expectation of gradient SHAP is integrated gradients
        String layer = net.layers().getFirst();
        Tensor x = net.sample(1, seed);
        Tensor b = net.sample(1, seed + 1);
        int target = Math.floorMod(seed, net.classes());
        int n = 2000;
        Attribution a = LayerGradientShap.builder(net.graph()).layer(layer).nSamples(n).seed(seed).returnConvergenceDelta(true)
                .build().attribute(inputs(net, x, b, target));
        Tensor deltas = a.delta().orElseThrow();
        double mean = 0, sq = 0;
        for (int i = 0; i < n; i++) {
            mean += deltas.getDouble(i) / n;
        }
        for (int i = 0; i < n; i++) {
            sq += Math.pow(deltas.getDouble(i) - mean, 2) / (n - 1);
        }
        double want = outputDifference(net, x, b, target)[0];
        double got = Tensors.sum(a.single());
        // Σ attributions − Δf is the mean of the per-sample deltas: zero within five standard errors
        if (Math.abs(got - want - mean) > 1e-9 * (1 + Math.abs(want))) {
            throw new AssertionError(net + ": the deltas do not average to Σ attributions − Δf");
        }
        // Five standard errors, plus slack for a kink close to an end of the path: a stretch of the
        // path of measure p is missed by all n draws with probability (1 − p)^n, so only stretches
        // with p below ~5/n go unseen, and they shift the mean by at most p times the integrand's size.
        double size = 0;
        for (int i = 0; i < n; i++) {
            size = Math.max(size, Math.abs(deltas.getDouble(i) + want));
        }
        if (Math.abs(mean) > 5 * Math.sqrt(sq / n) + 5.0 / n * (size + Math.abs(want)) + 1e-9) {
            throw new AssertionError(String.format("%s: Σ attributions %.6g, f(x) − f(b) %.6g (standard error %.3g)", net, got, want,
                    Math.sqrt(sq / n)));
        }
    }

    @Property(tries = 200)
    void lrpConservesRelevanceOnBiasFreeReluNetworks(@ForAll long seed, @ForAll boolean conv, @ForAll @IntRange(max = 9) int layerIndex) {
        RandomNet net = conv ? RandomNet.convnet(seed, UnaryKind.RELU, false, false, false) : RandomNet.mlp(seed, UnaryKind.RELU, false, false);
        Tensor x = net.sample(2, seed);
        int target = Math.floorMod(seed, net.classes());
        String layer = cutLayer(net, layerIndex);
        Attribution a = LayerLRP.builder(net.graph()).layer(layer).returnConvergenceDelta(true).build()
                .attribute(AttributionInputs.builder().input(net.input(), x).target(Target.index(target)).build());
        Tensor f = new Executor(net.graph()).forward(Map.of(net.input(), x)).values().iterator().next();
        double[] sums = Tensors.sumPerRow(a.single());
        for (int i = 0; i < 2; i++) {
            double fx = f.getDouble(i * net.classes() + target);
            if (Math.abs(sums[i] - fx) > 1e-6 * (1 + Math.abs(fx))) {
                throw new AssertionError(String.format("%s LRP at %s example %d: Σ relevance %.10g, f(x) %.10g", net, layer, i, sums[i], fx));
            }
            if (Math.abs(a.delta().orElseThrow().getDouble(i) - (fx - sums[i])) > 1e-9 * (1 + Math.abs(fx))) {
                throw new AssertionError("LRP delta is not f(x) − Σ relevance");
            }
        }
    }

    @Property(tries = 200)
    void aLayerTheTargetDoesNotDependOnGetsZero(@ForAll("anyNets") RandomNet net, @ForAll long seed, @ForAll @IntRange(max = 5) int method) {
        RandomNet dead = net.withDeadBranch();
        Tensor x = dead.sample(2, seed);
        Graph g = dead.graph();
        LayerMethod m = switch (method) {
            case 0 -> LayerIntegratedGradients.builder(g).layer("dead").nSteps(8).build();
            case 1 -> LayerGradientXActivation.builder(g).layer("dead").build();
            case 2 -> InternalInfluence.builder(g).layer("dead").nSteps(8).build();
            case 3 -> LayerConductance.builder(g).layer("dead").nSteps(8).build();
            case 4 -> LayerDeepLift.builder(g).layer("dead").build();
            default -> LayerFeatureAblation.builder(g).layer("dead").build();
        };
        Statistics.label("method").collect(m.getClass().getSimpleName());
        Tensor a = m.attribute(AttributionInputs.builder().input(dead.input(), x).target(Target.index(0)).build()).single();
        if (a.maxAbs() != 0) {
            throw new AssertionError(m.getClass().getSimpleName() + " gave " + a + " to a layer the output does not use");
        }
    }

    @Property(tries = 200)
    void linearModelIntegratedGradientsAreGradientTimesInputChange(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int steps,
            @ForAll IntegrationMethod method) {
        Random r = new Random(seed);
        int in = 1 + r.nextInt(5), out = 1 + r.nextInt(4);
        Tensor w = Tensor.generate(DType.F64, new int[] {out, in}, i -> r.nextGaussian());
        Tensor bias = Tensor.generate(DType.F64, new int[] {out}, i -> r.nextGaussian());
        Graph g = new Graph(List.of(new Node("/lin/Gemm", new Gemm(1, 1, false, true), List.of("x", "w", "b"), List.of("y"))),
                List.of(new ValueInfo("x", DType.F64, new int[] {-1, in}, List.of("batch", ""))),
                List.of(new ValueInfo("y", DType.F64, new int[] {-1, out}, List.of("batch", ""))), Map.of("w", w, "b", bias));
        int n = method == IntegrationMethod.GAUSS_LEGENDRE ? steps : Math.max(2, steps);
        Tensor x = Tensor.generate(DType.F64, new int[] {2, in}, i -> r.nextGaussian());
        Tensor base = Tensor.generate(DType.F64, new int[] {2, in}, i -> r.nextGaussian());
        int target = r.nextInt(out);
        Tensor a = LayerIntegratedGradients.builder(g).layer("tensor:x").nSteps(n).method(method).build()
                .attribute(AttributionInputs.builder().input("x", x).baseline("x", base).target(Target.index(target)).build()).single();
        // Captum's trapezoid weights sum to (n − 1)/n; every other rule's sum to 1
        double total = method == IntegrationMethod.RIEMANN_TRAPEZOID ? (n - 1.0) / n : 1.0;
        for (int i = 0; i < 2 * in; i++) {
            double want = total * w.getDouble(target * in + i % in) * (x.getDouble(i) - base.getDouble(i));
            if (Math.abs(a.getDouble(i) - want) > 1e-10 * (1 + Math.abs(want))) {
                throw new AssertionError(method + " n=" + n + ": element " + i + " is " + a.getDouble(i) + ", expected " + want);
            }
        }
    }

    @Property(tries = 200)
    void ablatingAGroupGivesTheOutputDifference(@ForAll("anyNets") RandomNet net, @ForAll long seed, @ForAll @IntRange(max = 9) int layerIndex,
            @ForAll @IntRange(min = 1, max = 4) int groups, @ForAll boolean scalarBaseline) {
        String layer = net.layers().get(layerIndex % net.layers().size());
        Graph g = net.graph();
        Tensor x = net.sample(2, seed);
        String value = Layer.resolve(g, layer, false).values().getFirst();
        Tensor lx = LayerActivation.builder(g).layer(layer).build().attribute(AttributionInputs.builder().input(net.input(), x).build())
                .single();
        Random r = new Random(seed);
        int[] one = lx.shape();
        one[0] = 1;
        Tensor mask = Tensor.generate(DType.I64, one, i -> r.nextInt(groups));
        double base = scalarBaseline ? r.nextGaussian() : 0;
        int target = Math.floorMod(seed, net.classes());
        var b = LayerFeatureAblation.builder(g).layer(layer).layerMask(mask);
        if (scalarBaseline) {
            b.layerBaselines(base);
        }
        Tensor a = b.build().attribute(AttributionInputs.builder().input(net.input(), x).target(Target.index(target)).build()).single();
        Executor ex = new Executor(g);
        String out = g.outputs().getFirst().name();
        double[] fx = Target.index(target).select(ex.forward(Map.of(net.input(), x)).get(out), 2);
        int per = lx.size() / 2;
        for (int group = 0; group < groups; group++) {
            Tensor ablated = lx.copy();
            for (int i = 0; i < lx.size(); i++) {
                if (mask.getDouble(i % per) == group) {
                    ablated.setDouble(i, base);
                }
            }
            Map<String, Tensor> known = new HashMap<>(Map.of(net.input(), x, value, ablated));
            double[] fa = Target.index(target).select(ex.run(known, List.of(out)).value(out), 2);
            for (int i = 0; i < lx.size(); i++) {
                if (mask.getDouble(i % per) == group) {
                    double want = fx[i / per] - fa[i / per];
                    if (Math.abs(a.getDouble(i) - want) > 1e-12 * (1 + Math.abs(want))) {
                        throw new AssertionError(net + " ablation at " + layer + " group " + group + ": " + a.getDouble(i) + " vs " + want);
                    }
                }
            }
        }
    }

    private static void assertRowsSum(String what, Tensor attributions, double[] want, double rel) {
        double[] sums = Tensors.sumPerRow(attributions);
        for (int i = 0; i < want.length; i++) {
            if (Math.abs(sums[i] - want[i]) > rel * (1 + Math.abs(want[i]))) {
                throw new AssertionError(String.format("%s example %d: Σ attributions %.10g, expected %.10g", what, i, sums[i], want[i]));
            }
        }
    }
}
