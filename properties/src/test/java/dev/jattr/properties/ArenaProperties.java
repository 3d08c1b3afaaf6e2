package dev.jattr.properties;

import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.LayerConductance;
import dev.jattr.attr.LayerIntegratedGradients;
import dev.jattr.attr.Target;
import dev.jattr.graph.Arena;
import dev.jattr.graph.BackwardRules;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Retention;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Trace;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Stress for buffer reuse: random networks run many times on one executor, with forwards, traces
 * kept for the gradient and attributions interleaved, must give exactly what they give with the
 * arena off. A buffer given back while something still reads it would change a later result.
 */
class ArenaProperties {
    @Provide
    Arbitrary<RandomNet> nets() {
        return RandomNet.any();
    }

    @Property(tries = 150)
    void runsWithTheArenaEqualRunsWithout(@ForAll("nets") RandomNet net, @ForAll @IntRange(min = 1, max = 4) int batch,
            @ForAll long seed) {
        String out = net.graph().outputs().getFirst().name();
        Supplier<List<double[]>> session = () -> {
            Executor ex = new Executor(net.graph());
            List<double[]> results = new java.util.ArrayList<>();
            for (int round = 0; round < 4; round++) {
                Tensor x = net.sample(batch + round % 2, seed + round, false);
                Map<String, Tensor> feeds = Map.of(net.input(), x);
                Tensor y = ex.forward(feeds).get(out);
                Trace t = ex.run(feeds, List.of(out), Retention.GRADIENT);
                Tensor seedGrad = Tensor.full(t.value(out).dtype(), 1, t.value(out).shape());
                Map<String, Tensor> g = t.backward(Map.of(out, seedGrad), List.of(net.input()), BackwardRules.gradient());
                Tensor y2 = ex.forward(feeds).get(out);
                results.add(y.toDoubles());
                results.add(g.get(net.input()).toDoubles());
                results.add(y2.toDoubles());
                results.add(t.value(out).toDoubles());
            }
            String layer = net.layers().get((int) Math.floorMod(seed, net.layers().size()));
            var in = AttributionInputs.builder().input(net.input(), net.sample(2, seed, false))
                    .target(Target.index((int) Math.floorMod(seed, net.classes()))).build();
            results.add(LayerIntegratedGradients.builder(net.graph()).layer(layer).nSteps(5).internalBatchSize(2).build()
                    .attribute(in).single().toDoubles());
            results.add(LayerConductance.builder(net.graph()).layer(layer).nSteps(4).internalBatchSize(4).build()
                    .attribute(in).single().toDoubles());
            return results;
        };
        // compared only with an arena-off result that the next one reproduces: while the JIT
        // compiles the kernels, a vector reduction may change its order of summation
        for (int attempt = 0; attempt < 3; attempt++) {
            List<double[]> off = Arena.disabledDuring(session);
            List<double[]> on = session.get();
            List<double[]> again = Arena.disabledDuring(session);
            if (!same(off, again)) {
                continue;
            }
            for (int i = 0; i < off.size(); i++) {
                if (!Arrays.equals(off.get(i), on.get(i))) {
                    throw new AssertionError(net.description() + ": result " + i + " differs with the arena: "
                            + Arrays.toString(on.get(i)) + " instead of " + Arrays.toString(off.get(i)));
                }
            }
            return;
        }
        throw new AssertionError(net.description() + ": the arena-off runs do not reproduce each other");
    }

    private static boolean same(List<double[]> a, List<double[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
