package dev.jattr.attr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.DType;
import dev.jattr.graph.ExecutionException;
import dev.jattr.graph.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Regression tests of the hardening issue in attr: a missing target on a multi-output model,
 * target errors in the user's terms, baselines that overflow the model's type, non-finite
 * results, and input arrays that do not fit the model.
 */
class HostileAttributionInputsTest {
    private static final Tensor X = TinyNet.matrix(TinyNet.X);

    private static String failure(LayerMethod m, AttributionInputs in) {
        return assertThrows(RuntimeException.class, () -> m.attribute(in)).getMessage();
    }

    private static LayerIntegratedGradients lig(int steps) {
        return LayerIntegratedGradients.builder(TinyNet.graph()).layer("act").nSteps(steps).build();
    }

    @Test
    void noTargetOnAnOutputOfSeveralValuesPerExampleFailsAsInCaptum() {
        for (LayerMethod m : new LayerMethod[] {lig(5), LayerGradientXActivation.builder(TinyNet.graph()).layer("act").build(),
                LayerDeepLift.builder(TinyNet.graph()).layer("act").build(), LayerLRP.builder(TinyNet.graph()).layer("act").build()}) {
            String msg = failure(m, TinyNet.inputs(TinyNet.X, TinyNet.S).build());
            assertEquals("no target given, but the model output of shape [2, 3] has 3 values per example; a target must pick one"
                    + " (--target), as Captum requires (it cannot take the gradient of several outputs)", msg);
        }
        // LayerActivation reads no target.
        LayerActivation.builder(TinyNet.graph()).layer("act").build().attribute(TinyNet.inputs(TinyNet.X, TinyNet.S).build());
    }

    @Test
    void targetErrorsNameTheModelOutputShapeAndTheBatchNotTheSteps() {
        var in = TinyNet.inputs(TinyNet.X, TinyNet.S);
        assertEquals("target 3 is out of range for the model output of shape [2, 3] (dimension 1 takes 0 to 2 or -3 to -1)",
                failure(lig(7), in.target(Target.index(3)).build()));
        assertEquals("target (1, 0) does not index the model output of shape [2, 3]: it needs 1 number per example, got 2",
                failure(lig(7), in.target(Target.index(1, 0)).build()));
        assertEquals("target lists 3 indices for 2 examples; give one index for all or one per example",
                failure(lig(7), in.target(Target.perExample(0, 1, 2)).build()));
        // A graph whose output shape is not declared is checked on the computed output, still in the user's batch.
        assertTrue(failure(LayerGradientShap.builder(TinyNet.graph()).layer("act").nSamples(9).build(),
                in.target(Target.index(-4)).build()).contains("[2, 3]"));
    }

    @Test
    void aBaselineThatOverflowsTheModelTypeFailsNamingIt() {
        Tensor huge = Tensor.of(new double[] {1e300});
        String msg = failure(lig(5), TinyNet.inputs(TinyNet.X, TinyNet.S).baseline("x", huge).target(Target.index(0)).build());
        assertEquals("baseline of 'x' holds 1.0E300 at flat index 0, which is Infinity as float32, the model's type; scale it into range",
                msg);
        Tensor x = Tensor.of(new double[] {1, 2, 1e39, -1}, 2, 2);
        assertTrue(failure(lig(5), AttributionInputs.builder().input("x", x).additional("s", TinyNet.matrix(TinyNet.S))
                .target(Target.index(0)).build()).startsWith("input 'x' holds 1.0E39 at flat index 2, which is Infinity as float32"));
        assertTrue(failure(LayerGradientShap.builder(TinyNet.graph()).layer("act").build(), TinyNet.inputs(TinyNet.X, TinyNet.S)
                .baseline("x", Tensor.of(new double[] {0, 0, 1e300, 0}, 2, 2)).target(Target.index(0)).build())
                .startsWith("baseline distribution of 'x' holds 1.0E300"));
    }

    @Test
    void aNonFiniteAttributionIsAnErrorNamingTheMethodAndLayer() {
        // Finite float32 inputs whose layer values overflow: h = 2·3e38 + 3e38 is infinite.
        Tensor x = Tensor.of(new float[] {3e38f, 3e38f, 3e38f, 3e38f}, 2, 2);
        var in = AttributionInputs.builder().input("x", x).additional("s", TinyNet.matrix(TinyNet.S)).target(Target.index(0)).build();
        String msg = assertThrows(ExecutionException.class, () -> lig(5).attribute(in)).getMessage();
        assertTrue(msg.startsWith("LayerIntegratedGradients computed ") && msg.contains("layer 'act'") && msg.contains("overflows"), msg);
    }

    @Test
    void inputsThatDoNotFitTheModelFailNamingTheInputAndBothShapesOrTypes() {
        var s = TinyNet.matrix(TinyNet.S);
        assertEquals("input 'x' has shape [2, 3]; the model expects [batch, 2]", failure(lig(3),
                AttributionInputs.builder().input("x", Tensor.zeros(DType.F32, 2, 3)).additional("s", s).target(Target.index(0)).build()));
        assertEquals("input 'x' has shape [0, 2], an empty batch; the model expects [batch, 2] with at least one example",
                failure(lig(3), AttributionInputs.builder().input("x", Tensor.zeros(DType.F32, 0, 2)).additional("s", Tensor.zeros(DType.F32, 0, 3))
                        .target(Target.index(0)).build()));
        assertEquals("input 'x' is a bool array; the model takes float32", failure(lig(3),
                AttributionInputs.builder().input("x", Tensor.of(new boolean[] {true, false, true, true}, 2, 2)).additional("s", s)
                        .target(Target.index(0)).build()));
        assertEquals(X.dtype(), DType.F32);
    }
}
