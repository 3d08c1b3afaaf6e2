package dev.jattr.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.attr.AttributionInputs;
import dev.jattr.attr.LayerIntegratedGradients;
import dev.jattr.attr.ModelRunner;
import dev.jattr.attr.Target;
import dev.jattr.graph.DType;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.testing.SharedData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DatasetAttributorTest {
    static Graph convnet() {
        return OnnxModel.load(SharedData.require("captum-reference/models/convnet.onnx")).graph();
    }

    static List<Example> examples(int n, long seed, int... shape) {
        Random r = new Random(seed);
        int per = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[per];
            for (int j = 0; j < per; j++) {
                v[j] = (float) r.nextGaussian();
            }
            out.add(new Example("ex" + i, v, shape, i % 3));
        }
        return out;
    }

    @Test
    void anExamplesValuesDoNotDependOnItsBatch() {
        Graph g = convnet();
        MethodSpec spec = MethodSpec.of("LayerIntegratedGradients", "conv1", Map.of("n_steps", "8"));
        DatasetAttributor a = new DatasetAttributor(g, spec);
        List<Example> xs = examples(6, 1, 1, 10, 10);
        List<ExampleResult> together = a.attribute(xs);
        for (int i = 0; i < xs.size(); i++) {
            ExampleResult alone = a.attribute(List.of(xs.get(i))).getFirst();
            ExampleResult t = together.get(i);
            assertEquals(alone.id(), t.id());
            assertSameBeyondRounding(alone.attribution(), t.attribution(), "example " + i);
            assertEquals(alone.delta(), t.delta(), 1e-6 * Math.max(1, Math.abs(alone.delta())));
            assertEquals(alone.prediction(), t.prediction());
        }
        // and the same call again gives the same bits
        List<ExampleResult> again = a.attribute(xs);
        for (int i = 0; i < xs.size(); i++) {
            assertArrayEquals(together.get(i).attribution(), again.get(i).attribution(), "example " + i);
            assertEquals(together.get(i).delta(), again.get(i).delta());
        }
    }

    /**
     * Equal within float32 rounding of the values' scale: a kernel may sum in another order for
     * another batch size (a convolution of small planes multiplies a block of samples at once).
     */
    static void assertSameBeyondRounding(float[] p, float[] q, String what) {
        assertEquals(p.length, q.length, what);
        float scale = 0;
        for (float v : p) {
            scale = Math.max(scale, Math.abs(v));
        }
        float tolerance = 1e-5f * scale;
        for (int j = 0; j < p.length; j++) {
            final int at = j;
            assertTrue(Math.abs(p[j] - q[j]) <= tolerance, () -> what + " element " + at + ": " + p[at] + " alone, " + q[at]
                    + " in the batch");
        }
    }

    @Test
    void everyMethodGivesAnExampleTheSameValuesInABatchAsAlone() {
        Graph g = OnnxModel.load(SharedData.require("captum-reference/models/lrpnet.onnx")).graph();
        List<Example> xs = examples(5, 9, 3, 16, 16);
        float[] two = new float[2 * 3 * 16 * 16];
        Arrays.fill(two, 3 * 16 * 16, two.length, 0.1f);
        for (var m : dev.jattr.attr.MethodRegistry.values()) {
            Baseline baseline = m == dev.jattr.attr.MethodRegistry.LAYER_DEEP_LIFT_SHAP ? Baseline.rows(two, new int[] {2, 3, 16, 16})
                    : Baseline.of(0);
            DatasetAttributor a = new DatasetAttributor(g, new MethodSpec(m.captumName(), "conv2", Map.of(), false, null,
                    TargetChoice.predicted(), baseline, true, 10));
            List<ExampleResult> together = a.attribute(xs);
            for (int i = 0; i < xs.size(); i++) {
                ExampleResult alone = a.attribute(List.of(xs.get(i))).getFirst(), t = together.get(i);
                assertSameBeyondRounding(alone.attribution(), t.attribution(), m.captumName() + " example " + i);
                if (alone.delta() != null) {
                    assertEquals(alone.delta(), t.delta(), 1e-6 * Math.max(1, Math.abs(alone.delta())), m.captumName());
                }
                assertEquals(alone.target(), t.target(), m.captumName());
            }
        }
    }

    @Test
    void deepLiftRunsEachExampleAloneAsItsRowsInteractInCaptum() {
        // convnet ends in a Softmax, whose DeepLift rule subtracts a mean over the whole batch
        Graph g = convnet();
        DatasetAttributor a = new DatasetAttributor(g, MethodSpec.of("LayerDeepLift", "pool1", Map.of()));
        List<Example> xs = examples(6, 12, 1, 10, 10);
        List<ExampleResult> together = a.attribute(xs);
        var m = dev.jattr.attr.LayerDeepLift.builder(g).layer("pool1").returnConvergenceDelta(true).build();
        for (int i = 0; i < xs.size(); i++) {
            Tensor x = Tensor.of(xs.get(i).values(), 1, 1, 10, 10).cast(DType.F64);
            var alone = m.attribute(AttributionInputs.builder().input("image", x).baseline("image", 0)
                    .target(Target.perExample(together.get(i).target())).build());
            assertArrayEquals(alone.single().cast(DType.F32).floats(), together.get(i).attribution());
            assertEquals(alone.delta().orElseThrow().getDouble(0), together.get(i).delta());
        }
        float[] all = new float[600];
        for (int i = 0; i < 6; i++) {
            System.arraycopy(xs.get(i).values(), 0, all, 100 * i, 100);
        }
        Tensor stacked = Tensor.of(all, 6, 1, 10, 10).cast(DType.F64);
        var batched = m.attribute(AttributionInputs.builder().input("image", stacked).baseline("image", 0)
                .target(Target.perExample(together.stream().mapToInt(ExampleResult::target).toArray())).build());
        assertFalse(Arrays.equals(Arrays.copyOf(batched.single().cast(DType.F32).floats(), together.getFirst().attribution().length),
                together.getFirst().attribution()), "Captum's DeepLift couples the rows of one call; when it stops, couplesRows can go");
    }

    @Test
    void theDefaultTargetIsThePredictionAndValuesEqualTheJavaApi() {
        Graph g = convnet();
        MethodSpec spec = MethodSpec.of("LayerIntegratedGradients", "conv1", Map.of("n_steps", "8"));
        List<Example> xs = examples(4, 2, 1, 10, 10);
        List<ExampleResult> rs = new DatasetAttributor(g, spec).attribute(xs);
        float[] all = new float[400];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(xs.get(i).values(), 0, all, 100 * i, 100);
        }
        Tensor x = Tensor.of(all, 4, 1, 10, 10).cast(DType.F64);
        ModelRunner runner = new ModelRunner(g);
        Tensor out = runner.run(Map.of("image", x), List.of()).value(runner.output());
        int classes = out.size() / 4;
        int[] predicted = new int[4];
        for (int e = 0; e < 4; e++) {
            final int row = e;
            predicted[e] = IntStream.range(0, classes).boxed().max(Comparator.comparingDouble(c -> out.getDouble(row * classes + c))).orElseThrow();
        }
        var m = LayerIntegratedGradients.builder(g).layer("conv1").nSteps(8).returnConvergenceDelta(true).build();
        var expected = m.attribute(AttributionInputs.builder().input("image", x).baseline("image", 0).target(Target.perExample(predicted)).build());
        float[] ev = expected.values().getFirst().cast(DType.F32).floats();
        int per = ev.length / 4;
        for (int e = 0; e < 4; e++) {
            ExampleResult r = rs.get(e);
            assertEquals(predicted[e], r.prediction());
            assertEquals(predicted[e], r.target());
            assertArrayEquals(Arrays.copyOfRange(ev, e * per, (e + 1) * per), r.attribution());
            assertEquals(expected.delta().orElseThrow().getDouble(e), r.delta());
            double sum = 0;
            for (float v : r.attribution()) {
                sum += v;
            }
            assertEquals(sum, r.sum());
            assertArrayEquals(Arrays.copyOfRange(expected.values().getFirst().shape(), 1, 4), r.shape());
        }
    }

    @Test
    void labelsAndFixedTargets() {
        Graph g = convnet();
        List<Example> xs = examples(3, 3, 1, 10, 10);
        var byLabel = new DatasetAttributor(g, new MethodSpec("LayerGradientXActivation", "conv1", Map.of(), false, null,
                TargetChoice.label(), 0, true, 5)).attribute(xs);
        var fixed = new DatasetAttributor(g, new MethodSpec("LayerGradientXActivation", "conv1", Map.of(), false, null,
                TargetChoice.index(2), 0, true, 5)).attribute(xs);
        for (int e = 0; e < 3; e++) {
            assertEquals(e % 3, byLabel.get(e).target());
            assertEquals(2, fixed.get(e).target());
            assertNull(byLabel.get(e).delta(), "LayerGradientXActivation has no convergence delta");
            assertEquals(5, byLabel.get(e).topIndex().length);
        }
        assertArrayEquals(byLabel.get(2).attribution(), fixed.get(2).attribution(), "label 2 is target 2");
        assertFalse(Arrays.equals(byLabel.get(0).attribution(), fixed.get(0).attribution()));
        List<Example> unlabelled = List.of(new Example("u", xs.get(0).values(), xs.get(0).shape(), null));
        var e = assertThrows(IllegalArgumentException.class, () -> new DatasetAttributor(g, new MethodSpec("LayerGradientXActivation",
                "conv1", Map.of(), false, null, TargetChoice.label(), 0, true, 5)).attribute(unlabelled));
        assertEquals("example 'u' has no label, and the target is its label", e.getMessage());
    }

    @Test
    void randomMethodsSeedEachExampleFromItsId() {
        Graph g = convnet();
        MethodSpec spec = MethodSpec.of("LayerGradientShap", "conv1", Map.of("n_samples", "3", "seed", "7"));
        DatasetAttributor a = new DatasetAttributor(g, spec);
        List<Example> xs = examples(3, 4, 1, 10, 10);
        List<ExampleResult> together = a.attribute(xs);
        List<ExampleResult> reversed = a.attribute(List.of(xs.get(2), xs.get(1), xs.get(0)));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(together.get(i).attribution(), reversed.get(2 - i).attribution());
            assertNotNull(together.get(i).delta());
        }
        Example renamed = new Example("other", xs.get(0).values(), xs.get(0).shape(), null);
        assertFalse(Arrays.equals(together.get(0).attribution(), a.attribute(List.of(renamed)).getFirst().attribution()),
                "another id draws other samples");
        assertTrue(DatasetAttributor.seedOf(7, "a") != DatasetAttributor.seedOf(7, "b"));
        assertTrue(DatasetAttributor.seedOf(7, "a") != DatasetAttributor.seedOf(8, "a"));
    }

    @Test
    void topUnitsAreTheLargestMagnitudesLargestFirst() {
        Random r = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(40);
            float[] row = new float[n];
            for (int i = 0; i < n; i++) {
                row[i] = r.nextInt(7) - 3; // many ties
            }
            int k = r.nextInt(n + 3);
            Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -Math.abs(row[i])).thenComparingInt(i -> i));
            int[] expected = Arrays.stream(order).limit(k).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, DatasetAttributor.top(row, k), Arrays.toString(row) + " k=" + k);
        }
    }

    @Test
    void examplesOfAnotherShapeThanTheModelsFailNamingBoth() {
        Graph g = convnet();
        DatasetAttributor a = new DatasetAttributor(g, MethodSpec.of("LayerGradCam", "conv1", Map.of()));
        var e = assertThrows(IllegalArgumentException.class, () -> a.attribute(examples(2, 1, 1, 12, 10)));
        assertTrue(e.getMessage().startsWith("the examples have shape [1, 12, 10], but model input 'image' takes"), e.getMessage());
        List<Example> mixed = new ArrayList<>(examples(1, 1, 1, 10, 10));
        mixed.add(examples(1, 1, 1, 5, 20).getFirst());
        e = assertThrows(IllegalArgumentException.class, () -> a.attribute(mixed));
        assertTrue(e.getMessage().contains("a dataset's examples share one shape"), e.getMessage());
    }
}
