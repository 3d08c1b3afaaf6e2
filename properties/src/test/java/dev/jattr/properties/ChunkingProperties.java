package dev.jattr.properties;

import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.InternalInfluence;
import dev.jattr.attr.LayerConductance;
import dev.jattr.attr.LayerIntegratedGradients;
import dev.jattr.attr.MemoryBudget;
import dev.jattr.attr.PathBuilder;
import dev.jattr.attr.Target;
import dev.jattr.graph.Tensor;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The path methods' results do not depend on how their points are split into evaluations:
 * all at once, one point per evaluation (a budget of one byte), by Captum's
 * {@code internal_batch_size}, or by a memory budget.
 */
class ChunkingProperties {
    @Provide
    Arbitrary<RandomNet> nets() {
        return RandomNet.any();
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("LayerIntegratedGradients", "LayerConductance", "InternalInfluence");
    }

    @Property(tries = 200)
    void pathMethodsDoNotDependOnTheChunking(@ForAll("nets") RandomNet net, @ForAll("methods") String method,
            @ForAll @IntRange(min = 1, max = 12) int steps, @ForAll @IntRange(min = 1, max = 40) int internalBatchSize,
            @ForAll @IntRange(min = 1, max = 1 << 16) int budgetBytes, @ForAll long seed) {
        String layer = net.layers().get((int) Math.floorMod(seed, net.layers().size()));
        Tensor x = net.sample(3, seed, false), b = net.sample(3, seed + 1, false);
        var in = AttributionInputs.builder().input(net.input(), x).baseline(net.input(), b)
                .target(Target.index((int) Math.floorMod(seed, net.classes()))).build();
        Function<Function<PathBuilder<?>, PathBuilder<?>>, double[]> run = configure -> {
            PathBuilder<?> builder = switch (method) {
                case "LayerIntegratedGradients" -> LayerIntegratedGradients.builder(net.graph());
                case "LayerConductance" -> LayerConductance.builder(net.graph());
                default -> InternalInfluence.builder(net.graph());
            };
            builder.layer(layer).nSteps(steps);
            PathBuilder<?> b2 = configure.apply(builder);
            var m = switch (b2) {
                case LayerIntegratedGradients.Builder l -> l.build();
                case LayerConductance.Builder c -> c.build();
                case InternalInfluence.Builder i -> i.build();
                default -> throw new AssertionError(b2);
            };
            return m.attribute(in).single().cast(dev.jattr.graph.DType.F64).doubles();
        };
        double[] whole = run.apply(p -> p.memoryBudget(new MemoryBudget(Long.MAX_VALUE)));
        List<double[]> others = List.of(
                run.apply(p -> p.memoryBudget(new MemoryBudget(1))),
                run.apply(p -> p.memoryBudget(new MemoryBudget(budgetBytes))),
                run.apply(p -> p.internalBatchSize(internalBatchSize)));
        Statistics.label("method").collect(method);
        for (double[] o : others) {
            for (int i = 0; i < whole.length; i++) {
                if (Math.abs(o[i] - whole[i]) > 1e-12 * (1 + Math.abs(whole[i]))) {
                    throw new AssertionError(String.format("%s %s at %s, %d steps: element %d is %.17g chunked, %.17g at once",
                            method, net, layer, steps, i, o[i], whole[i]));
                }
            }
        }
    }
}
