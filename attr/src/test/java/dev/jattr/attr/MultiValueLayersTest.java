package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Tensors;
import dev.jattr.graph.ValueInfo;
import dev.jattr.graph.ops.Reshape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layers with several input tensors (Captum's tuples) and tuple targets into outputs of more than two dimensions. */
class MultiValueLayersTest {
    private static final Tensor X = TestGraphs.batch(0.3, -1.2, 0.8, 1.5, 0.1, -0.4);
    private static final Tensor Y = TestGraphs.batch(0.7, -0.2);

    private static AttributionInputs inputs(Target t) {
        return AttributionInputs.builder().input("x", X).additional("y", Y).target(t).build();
    }

    @Test
    void aLayerWithTwoInputsGivesOneAttributionPerInput() {
        Graph g = TestGraphs.twoInputs();
        Target t = Target.perExample(0, 1);
        // Add passes the same gradient (and DeepLift multiplier) to both operands
        check(LayerGradientXActivation.builder(g).layer("/Add").attributeToLayerInput(true).build().attribute(inputs(t)),
                LayerGradientXActivation.builder(g).layer("/Add").attributeToLayerInput(true).multiplyByInputs(false).build()
                        .attribute(inputs(t)));
        Attribution operands = LayerActivation.builder(g).layer("/Add").attributeToLayerInput(true).build().attribute(inputs(t));
        Attribution gxa = LayerGradientXActivation.builder(g).layer("/Add").attributeToLayerInput(true).build().attribute(inputs(t));
        Attribution grad = LayerGradientXActivation.builder(g).layer("/Add").attributeToLayerInput(true).multiplyByInputs(false)
                .build().attribute(inputs(t));
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(Tensors.mul(grad.values().get(k), operands.values().get(k)).doubles(), gxa.values().get(k).doubles(), 1e-12);
        }
        check(LayerIntegratedGradients.builder(g).layer("/Add").attributeToLayerInput(true).nSteps(16).build().attribute(inputs(t)),
                LayerIntegratedGradients.builder(g).layer("/Add").attributeToLayerInput(true).nSteps(16).multiplyByInputs(false)
                        .build().attribute(inputs(t)));
        check(LayerDeepLift.builder(g).layer("/Add").attributeToLayerInput(true).build().attribute(inputs(t)),
                LayerDeepLift.builder(g).layer("/Add").attributeToLayerInput(true).multiplyByInputs(false).build()
                        .attribute(inputs(t)));
    }

    private static void check(Attribution multiplied, Attribution plain) {
        assertEquals(2, multiplied.values().size());
        assertEquals(2, plain.values().size());
        assertArrayEquals(plain.values().get(0).toDoubles(), plain.values().get(1).toDoubles(), 1e-12);
        double[] g = plain.values().get(0).toDoubles();
        boolean nonZero = false;
        for (int k = 0; k < 2; k++) {
            double[] a = multiplied.values().get(k).toDoubles();
            for (int i = 0; i < g.length; i++) {
                nonZero |= a[i] != 0;
                // attribution = multiplier × operand change, so a zero multiplier gives zero
                if (g[i] == 0) {
                    assertEquals(0, a[i], 0);
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(nonZero);
    }

    @Test
    void aTupleTargetIndexesAThreeDimensionalOutput() {
        Graph base = TestGraphs.twoInputs();
        List<Node> nodes = new ArrayList<>(base.nodes());
        Map<String, Tensor> constants = new java.util.HashMap<>(base.constants());
        constants.put("shape3", Tensor.of(new long[] {-1, 1, 2}, 3));
        nodes.add(new Node("/view/Reshape", new Reshape(false), List.of("out", "shape3"), List.of("out3")));
        Graph g = new Graph(nodes, base.inputs(),
                List.of(new ValueInfo("out3", DType.F64, new int[] {-1, 1, 2}, List.of("batch", "", ""))), constants);
        Tensor tuple = LayerGradientXActivation.builder(g).layer("act").build().attribute(inputs(Target.index(0, 1))).single();
        Tensor flat = LayerGradientXActivation.builder(base).layer("act").build().attribute(inputs(Target.index(1))).single();
        assertArrayEquals(flat.doubles(), tuple.doubles(), 1e-12);
        Tensor perExample = LayerGradientXActivation.builder(g).layer("act").build()
                .attribute(inputs(Target.perExample(List.of(new int[] {0, 1}, new int[] {0, 0})))).single();
        Tensor flatPer = LayerGradientXActivation.builder(base).layer("act").build().attribute(inputs(Target.perExample(1, 0))).single();
        assertArrayEquals(flatPer.doubles(), perExample.doubles(), 1e-12);
        assertEquals(2, Tensors.sumPerRow(perExample).length);
    }
}
