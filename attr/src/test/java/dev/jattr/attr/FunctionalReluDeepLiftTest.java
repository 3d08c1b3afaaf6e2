package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ValueInfo;
import dev.jattr.graph.ops.Gemm;
import dev.jattr.graph.ops.Unary;
import dev.jattr.graph.ops.UnaryKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A known difference from Captum 0.8.0, classified by a check that fails when it goes away:
 * a functional {@code F.relu} (exported as a Relu node outside any ReLU module, here {@code /Relu})
 * gets Captum's plain gradient but jattr's rescale rule, so jattr keeps DeepLift's completeness
 * where Captum's result breaks it.
 */
class FunctionalReluDeepLiftTest {
    /** out = fc2(F.relu(fc1(x))), the relu being functional (no module scope). */
    private static Graph net() {
        List<Node> nodes = List.of(
                new Node("/fc1/Gemm", new Gemm(1, 1, false, true), List.of("x", "fc1.weight"), List.of("/fc1/Gemm_output_0")),
                new Node("/Relu", Unary.of(UnaryKind.RELU), List.of("/fc1/Gemm_output_0"), List.of("/Relu_output_0")),
                new Node("/fc2/Gemm", new Gemm(1, 1, false, true), List.of("/Relu_output_0", "fc2.weight"), List.of("out")));
        return new Graph(nodes, List.of(TestGraphs.input("x", 2)),
                List.of(new ValueInfo("out", DType.F64, new int[] {-1, 1}, List.of("batch", ""))),
                Map.of("fc1.weight", Tensor.of(new double[] {1, -1, 0.5, 1, -1, 0.25}, 3, 2),
                        "fc2.weight", Tensor.of(new double[] {1, 2, -1}, 1, 3)));
    }

    @Test
    void jattrKeepsCompletenessWhereCaptumsPlainGradientBreaksIt() {
        Graph g = net();
        Tensor x = Tensor.of(new double[] {1.0, 0.5}, 1, 2);
        Tensor b = Tensor.of(new double[] {-0.5, 1.0}, 1, 2);
        var inputs = AttributionInputs.builder().input("x", x).baseline("x", b).target(Target.index(0)).build();

        Attribution dl = LayerDeepLift.builder(g).layer("fc1").returnConvergenceDelta(true).build().attribute(inputs);
        assertEquals(0.0, dl.delta().orElseThrow().getDouble(0), 1e-12, "jattr's rescale rule is complete");

        // Captum 0.8.0 leaves the functional relu with its plain gradient at x: the multipliers are
        // the ordinary gradient, times the layer's change from the baseline.
        Tensor grad = LayerGradientXActivation.builder(g).layer("fc1").multiplyByInputs(false).build()
                .attribute(AttributionInputs.builder().input("x", x).target(Target.index(0)).build()).single();
        Executor ex = new Executor(g);
        Tensor lx = ex.run(Map.of("x", x), List.of("/fc1/Gemm_output_0")).value("/fc1/Gemm_output_0");
        Tensor lb = ex.run(Map.of("x", b), List.of("/fc1/Gemm_output_0")).value("/fc1/Gemm_output_0");
        double captumSum = 0;
        for (int i = 0; i < 3; i++) {
            captumSum += grad.getDouble(i) * (lx.getDouble(i) - lb.getDouble(i));
        }
        double fx = ex.forward(Map.of("x", x)).get("out").getDouble(0), fb = ex.forward(Map.of("x", b)).get("out").getDouble(0);
        double captumDelta = captumSum - (fx - fb);
        // fc1(x) = [0.5, 1, -0.875], fc1(b) = [-1.5, 0.75, 0.75]: units 1 and 3 switch sign, so the plain
        // gradient at x (1, 2, 0) gives Σ = 2.5 where f(x) − f(b) = 1.75
        assertTrue(Math.abs(captumDelta) > 0.5, "Captum's plain-gradient delta is " + captumDelta + "; if this is ~0, the difference is gone");
        assertEquals(0.75, captumDelta, 1e-12);
    }
}
