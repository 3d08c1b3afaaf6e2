package dev.jattr.attr;

import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The DeepLift evaluation {@link LayerDeepLift} and {@link LayerDeepLiftShap} share: inputs and
 * baselines run as one batch, one backward pass with {@link DeepLiftRules}, and the attributions
 * of each (input, baseline) row pair. The pass runs in float64 ({@link Float64Evaluation}), as
 * Captum's reference does: DeepLift's delta is zero up to rounding, and float32 rounding of
 * outputs in the hundreds would dominate it. Attributions are float64 tensors.
 */
final class DeepLiftCore {
    private final ModelRunner runner;
    private final List<String> values;
    private final Set<Node> plain;
    private final boolean multiplyByInputs;
    private final CustomAttributionFunction custom;
    private final boolean returnConvergenceDelta;
    private final Float64Evaluation wide;

    DeepLiftCore(ModelRunner runner, List<Layer> layers, List<String> values, DeepLiftBuilder<?> b) {
        this.runner = runner;
        this.values = values;
        this.plain = layerModules(runner.graph(), layers);
        this.multiplyByInputs = b.multiplyByInputs;
        this.custom = b.customAttributionFunc;
        this.returnConvergenceDelta = b.returnConvergenceDelta;
        this.wide = new Float64Evaluation(runner.graph());
    }

    /**
     * The layers attributed at their input that are a single node. Captum hooks such a module too when attributing to its
     * input, but reads the gradient of its input before its rule replaces it, so its own node takes
     * the plain gradient.
     */
    private static Set<Node> layerModules(Graph graph, List<Layer> layers) {
        Set<Node> single = new HashSet<>();
        for (Layer l : layers) {
            if (!l.input()) {
                continue;
            }
            Optional<Node> node = graph.node(l.name());
            if (node.isPresent()) {
                single.add(node.get());
                continue;
            }
            List<Node> scope = graph.nodes().stream()
                    .filter(n -> n.modulePath().equals(l.name()) || n.modulePath().startsWith(l.name() + "."))
                    .toList();
            if (scope.size() == 1) {
                single.add(scope.getFirst());
            }
        }
        return single;
    }

    /**
     * Attributions for {@code n} examples {@code x} against the row-aligned baselines {@code b} (the
     * same feed names; non-attributed inputs appear in both), the target indexing those n examples.
     */
    Attribution attribute(Map<String, Tensor> x, Map<String, Tensor> b, Target target, int n) {
        Map<String, Tensor> doubled = new LinkedHashMap<>();
        x.forEach((k, v) -> doubled.put(k, Tensors.concat0(List.of(v, b.get(k)))));
        Trace trace = runner.run(wide.known(doubled), values);
        ModelRunner.requireFloating(trace, values);
        Map<String, Tensor> grads = runner.gradients(trace, target, n, values, new DeepLiftRules(n, plain));
        List<Tensor> multipliers = new ArrayList<>(), ax = new ArrayList<>(), ab = new ArrayList<>();
        for (String v : values) {
            Tensor a = trace.value(v);
            ax.add(Tensors.rows(a, 0, n));
            ab.add(Tensors.rows(a, n, 2 * n));
            multipliers.add(Tensors.rows(grads.get(v), 0, n));
        }
        List<Tensor> result = new ArrayList<>();
        if (custom != null) {
            result.addAll(custom.apply(List.copyOf(multipliers), List.copyOf(ax), List.copyOf(ab)));
            if (result.size() != values.size()) {
                throw new IllegalArgumentException("the custom attribution function returned " + result.size()
                        + " tensors for " + values.size() + " layer values");
            }
        } else {
            for (int i = 0; i < values.size(); i++) {
                result.add(multiplyByInputs ? Tensors.mul(multipliers.get(i), Tensors.sub(ax.get(i), ab.get(i))) : multipliers.get(i));
            }
        }
        Optional<Tensor> delta = Optional.empty();
        if (returnConvergenceDelta) {
            double[] out = target.select(trace.value(runner.output()), n);
            delta = Optional.of(Deltas.completeness(result, Arrays.copyOfRange(out, 0, n), Arrays.copyOfRange(out, n, 2 * n)));
        }
        return new Attribution(result, delta);
    }
}
