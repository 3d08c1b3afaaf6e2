package dev.jattr.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.ShapeInference;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Trace;
import dev.jattr.graph.ValueInfo;
import dev.jattr.onnx.conformance.ConformanceRunner;
import dev.jattr.testing.SharedData;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link ShapeInference} agrees with running: on every zoo model at batch 1 and 3 it decides every
 * value's type and shape, each as the run finds it; on the ONNX operator tests, every value it
 * decides has the type and shape the run gives.
 */
class ShapeInferenceTest {
    @TestFactory
    Stream<DynamicTest> zooShapesMatchARun() {
        Path zoo = SharedData.require("onnx-zoo");
        return Stream.of("squeezenet1_1", "shufflenet_v2_x0_5", "mobilenet_v3_small", "efficientnet_b0")
                .flatMap(m -> Stream.of(1, 3).map(batch -> DynamicTest.dynamicTest(m + " batch " + batch, () -> {
                    Graph g = OnnxModel.load(zoo.resolve("models/" + m + ".onnx")).graph();
                    Map<String, Tensor> feeds = new HashMap<>();
                    Map<String, int[]> known = new HashMap<>();
                    for (ValueInfo vi : g.inputs()) {
                        int[] dims = vi.dims().clone();
                        dims[0] = batch;
                        feeds.put(vi.name(), Tensor.zeros(vi.dtype(), dims));
                        known.put(vi.name(), dims);
                    }
                    Map<String, Tensor> inferred = ShapeInference.infer(g, known);
                    Trace run = new Executor(g).run(feeds, g.valueNames());
                    for (Node n : g.nodes()) {
                        for (String v : n.outputs()) {
                            if (v.isEmpty()) {
                                continue;
                            }
                            assertTrue(inferred.containsKey(v), () -> m + ": the shape of " + v + " (" + n.describe() + ") was not inferred");
                            assertEquals(run.value(v).dtype(), inferred.get(v).dtype(), v);
                            assertArrayEquals(run.value(v).shape(), inferred.get(v).shape(), v);
                        }
                    }
                })));
    }

    @Test
    void operatorTestShapesMatchTheirRuns() {
        Path tests = SharedData.require("onnx-node-tests");
        List<String> wrong = ConformanceRunner.tests(tests).stream()
                .map(t -> t.getFileName() + ": " + ConformanceRunner.shapeDisagreements(t))
                .filter(s -> !s.endsWith(": ")).toList();
        assertTrue(wrong.isEmpty(), () -> wrong.size() + " operator tests disagree:\n" + String.join("\n", wrong));
    }
}
