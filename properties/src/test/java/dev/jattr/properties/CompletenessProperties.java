package dev.jattr.properties;

import dev.jattr.attr.Attribution;
import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.IntegrationMethod;
import dev.jattr.attr.Layer;
import dev.jattr.attr.LayerIntegratedGradients;
import dev.jattr.attr.Target;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Completeness of layer integrated gradients on random networks: Σ attributions at any layer
 * equals f(x) − f(baseline) up to the quadrature's error. Smooth networks are held to a tight
 * tolerance; ReLU networks, whose integrand has kinks, to what many steps allow.
 */
class CompletenessProperties {
    @Provide
    Arbitrary<RandomNet> nets() {
        return RandomNet.any();
    }

    @Property(tries = 200)
    void layerIntegratedGradientsAreComplete(@ForAll("nets") RandomNet net, @ForAll("seeds") long seed,
            @ForAll("layerIndex") int layerIndex, @ForAll boolean zeroBaseline, @ForAll boolean quantized) {
        // completeness holds where every path from the input to the output crosses the layer
        List<String> cuts = net.layers().stream().filter(l -> separates(net, l)).toList();
        String layer = cuts.get(layerIndex % cuts.size());
        boolean relu = net.description().contains("RELU") || net.description().contains("maxPool=true"); // kinks in the integrand
        Statistics.label("integrand").collect(relu ? "with kinks" : "smooth");
        Statistics.label("baseline").collect(zeroBaseline ? "zero" : "random");
        Tensor x = net.sample(2, seed, quantized);
        Tensor b = zeroBaseline ? Tensor.zeros(x.dtype(), x.shape()) : net.sample(2, seed + 1, quantized);
        boolean maxPool = net.description().contains("maxPool=true");
        Statistics.label("max-pool ties").collect(maxPool && (hasMaxPoolTie(net, x) || hasMaxPoolTie(net, b)));
        Statistics.label("max-pool ties").coverage(c -> c.check(true).percentage(p -> p > 3));
        Statistics.label("baseline").coverage(c -> c.check("zero").percentage(p -> p > 10));
        int target = (int) Math.floorMod(seed, net.classes());
        var lig = LayerIntegratedGradients.builder(net.graph()).layer(layer).nSteps(relu ? 400 : 50)
                .method(relu ? IntegrationMethod.RIEMANN_MIDDLE : IntegrationMethod.GAUSS_LEGENDRE)
                .returnConvergenceDelta(true).build();
        Attribution a = lig.attribute(AttributionInputs.builder().input(net.input(), x).baseline(net.input(), b)
                .target(Target.index(target)).build());
        Executor ex = new Executor(net.graph());
        Tensor fx = ex.forward(Map.of(net.input(), x)).values().iterator().next();
        Tensor fb = ex.forward(Map.of(net.input(), b)).values().iterator().next();
        double[] sums = Tensors.sumPerRow(a.single());
        for (int i = 0; i < 2; i++) {
            double want = fx.getDouble(i * net.classes() + target) - fb.getDouble(i * net.classes() + target);
            double tol = (relu ? 2e-2 : 1e-6) * (1 + Math.abs(want));
            if (Math.abs(sums[i] - want) > tol) {
                throw new AssertionError(String.format("%s layer %s example %d: Σ attributions %.8g, f(x) − f(b) %.8g",
                        net, layer, i, sums[i], want));
            }
            if (Math.abs(a.delta().orElseThrow().getDouble(i) - (sums[i] - want)) > 1e-9 * (1 + Math.abs(want))) {
                throw new AssertionError("the convergence delta is not Σ attributions − (f(x) − f(b))");
            }
        }
    }

    /** Whether some 2×2 window of the max-pool's input holds its maximum twice. */
    static boolean hasMaxPoolTie(RandomNet net, Tensor x) {
        String in = Layer.resolve(net.graph(), "pool", true).values().getFirst();
        Tensor a = new Executor(net.graph()).run(Map.of(net.input(), x), List.of(in)).value(in);
        int[] s = a.shape();
        int h = s[2], w = s[3];
        for (int plane = 0; plane < s[0] * s[1]; plane++) {
            for (int i = 0; i + 1 < h; i += 2) {
                for (int j = 0; j + 1 < w; j += 2) {
                    double[] v = new double[4];
                    for (int k = 0; k < 4; k++) {
                        v[k] = a.getDouble(plane * h * w + (i + k / 2) * w + j + k % 2);
                    }
                    double max = Math.max(Math.max(v[0], v[1]), Math.max(v[2], v[3]));
                    int count = 0;
                    for (double d : v) {
                        count += d == max ? 1 : 0;
                    }
                    if (count > 1) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether removing the module's output disconnects the input from the output. */
    static boolean separates(RandomNet net, String module) {
        Graph g = net.graph();
        Set<String> layerValues = new HashSet<>(Layer.resolve(g, module, false).values());
        Set<String> reached = new HashSet<>(Set.of(net.input()));
        for (Node n : g.nodes()) {
            if (n.inputs().stream().anyMatch(reached::contains)) {
                n.outputs().stream().filter(o -> !layerValues.contains(o)).forEach(reached::add);
            }
        }
        return !reached.contains(g.outputs().getFirst().name());
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<Integer> layerIndex() {
        return Arbitraries.integers().between(0, 10);
    }
}
