package dev.jattr.onnx;

import static dev.jattr.onnx.TestModels.attr;
import static dev.jattr.onnx.TestModels.ints;
import static dev.jattr.onnx.TestModels.node;
import static dev.jattr.onnx.TestModels.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Importer variants the ONNX node-test suite does not cover (ops newer than the suite, attributes
 * that became inputs), each checked against values computed here from the ONNX definitions.
 */
class MathImportersTest {
    @TempDir
    Path dir;

    private static final int F = TensorProtos.FLOAT, D = TensorProtos.DOUBLE, I64 = TensorProtos.INT64;

    private Tensor run(int opset, String op, Tensor x, int elemType, long[] outDims, List<TensorProto> inits,
            List<String> extraInputs, AttributeProto... attrs) {
        List<String> in = new java.util.ArrayList<>(List.of("x"));
        in.addAll(extraInputs);
        long[] xd = java.util.Arrays.stream(x.shape()).asLongStream().toArray();
        var m = TestModels.model(opset, List.of(node("n", op, in, List.of("y"), attrs)), List.of(value("x", elemType, xd)),
                List.of(value("y", elemType, outDims)), inits);
        OnnxModel model = OnnxModel.load(TestModels.write(m, dir, op + opset + ".onnx"));
        return new Executor(model.graph()).forward(Map.of("x", x)).get("y");
    }

    private static void assertClose(double[] expected, Tensor actual, double tol) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.getDouble(i), tol, "element " + i);
        }
    }

    @Test
    void geluExactAndTanhApproximation() {
        Tensor x = Tensor.of(new double[] {1, -0.5, 3, 4}, 4);
        // x·Φ(x) with Φ(1), Φ(−0.5), Φ(3), Φ(4) from tables of the normal distribution.
        double[] exact = {0.841344746068542949, -0.5 * 0.308537538725986896, 3 * 0.998650101968369897, 4 * 0.999968328758166880};
        assertClose(exact, run(20, "Gelu", x, D, new long[] {4}, List.of(), List.of()), 1e-14);
        double[] tanh = new double[4];
        for (int i = 0; i < 4; i++) {
            double v = x.getDouble(i);
            tanh[i] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
        }
        assertClose(tanh, run(20, "Gelu", x, D, new long[] {4}, List.of(), List.of(), attr("approximate", "tanh")), 1e-15);
    }

    @Test
    void erfMatchesTabulatedValues() {
        Tensor x = Tensor.of(new double[] {0.5, 3, -2.6, 0}, 4);
        double[] erf = {0.520499877813046538, 0.999977909503001415, -0.999763965583470711, 0};
        assertClose(erf, run(13, "Erf", x, D, new long[] {4}, List.of(), List.of()), 1e-15);
    }

    @Test
    void mishLowersToSoftplusTanhMul() {
        Tensor x = Tensor.of(new double[] {-2, 0.3, 5}, 3);
        double[] e = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = x.getDouble(i);
            e[i] = v * Math.tanh(Math.log(1 + Math.exp(v)));
        }
        assertClose(e, run(18, "Mish", x, D, new long[] {3}, List.of(), List.of()), 1e-14);
    }

    @Test
    void clipBeforeOpset11TakesAttributesAndAfterTakesOptionalInputs() {
        Tensor x = Tensor.of(new float[] {-3, -0.5f, 0.5f, 3}, 4);
        assertClose(new double[] {-1, -0.5, 0.5, 2}, run(7, "Clip", x, F, new long[] {4}, List.of(), List.of(),
                attr("min", -1f), attr("max", 2f)), 0);
        assertClose(new double[] {-3, -0.5, 0.5, 1}, run(7, "Clip", x, F, new long[] {4}, List.of(), List.of(),
                attr("max", 1f)), 0);
        // Opset 11: min left out (""), max given as an input.
        assertClose(new double[] {-3, -0.5, 0.25, 0.25}, run(11, "Clip", x, F, new long[] {4},
                List.of(TestModels.floats("hi", new float[] {0.25f})), List.of("", "hi")), 0);
    }

    @Test
    void reduceAxesMoveFromAttributeToInput() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertClose(new double[] {2, 5}, run(13, "ReduceMean", x, F, new long[] {2, 1}, List.of(), List.of(), ints("axes", -1)), 1e-6);
        assertClose(new double[] {2, 5}, run(18, "ReduceMean", x, F, new long[] {2, 1},
                List.of(TestModels.longs("axes", new long[] {1}, 1)), List.of("axes")), 1e-6);
        assertClose(new double[] {5, 7, 9}, run(11, "ReduceSum", x, F, new long[] {3}, List.of(), List.of(), ints("axes", 0),
                attr("keepdims", 0L)), 1e-6);
        // Opset 13+ ReduceSum without axes: all axes, or nothing with noop_with_empty_axes.
        assertClose(new double[] {21}, run(13, "ReduceSum", x, F, new long[] {1, 1}, List.of(), List.of()), 1e-6);
        assertClose(new double[] {1, 2, 3, 4, 5, 6}, run(13, "ReduceSum", x, F, new long[] {2, 3}, List.of(), List.of(),
                attr("noop_with_empty_axes", 1L)), 0);
    }

    @Test
    void logSoftmaxBeforeOpset13FlattensAtTheAxis() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        // Opset 11, axis 0: one row of all four values.
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(4));
        assertClose(new double[] {1 - lse, 2 - lse, 3 - lse, 4 - lse},
                run(11, "LogSoftmax", x, D, new long[] {2, 2}, List.of(), List.of(), attr("axis", 0L)), 1e-14);
        // Opset 13, axis 0: per column.
        double c0 = Math.log(Math.exp(1) + Math.exp(3)), c1 = Math.log(Math.exp(2) + Math.exp(4));
        assertClose(new double[] {1 - c0, 2 - c1, 3 - c0, 4 - c1},
                run(13, "LogSoftmax", x, D, new long[] {2, 2}, List.of(), List.of(), attr("axis", 0L)), 1e-14);
    }

    @Test
    void lpPoolAndGlobalLpPool() {
        Tensor x = Tensor.of(new float[] {1, -2, 3, -4, 5, 6}, 1, 1, 2, 3);
        // 2×2 windows, stride 1, p = 2: rows {1,−2,−4,5} and {−2,3,5,6}.
        assertClose(new double[] {Math.sqrt(1 + 4 + 16 + 25), Math.sqrt(4 + 9 + 25 + 36)}, run(18, "LpPool", x, F,
                new long[] {1, 1, 1, 2}, List.of(), List.of(), ints("kernel_shape", 2, 2)), 1e-5);
        assertClose(new double[] {1 + 2 + 3 + 4 + 5 + 6}, run(7, "GlobalLpPool", x, F, new long[] {1, 1, 1, 1}, List.of(),
                List.of(), attr("p", 1L)), 1e-5);
    }

    @Test
    void batchNormalizationPerActivationBeforeOpset9() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        List<TensorProto> params = List.of(TestModels.floats("s", new float[] {2, 3}, 2), TestModels.floats("b", new float[] {1, -1}, 2),
                TestModels.floats("m", new float[] {1, 1}, 2), TestModels.floats("v", new float[] {4, 1}, 2));
        // y = (x − m)/√v·s + b per activation (ε = 0): [1, 2] → [1, 2], [3, 4] → [3, 8].
        assertClose(new double[] {1, 2, 3, 8}, run(7, "BatchNormalization", x, F, new long[] {2, 2}, params,
                List.of("s", "b", "m", "v"), attr("spatial", 0L), attr("epsilon", 0f)), 1e-6);
    }

    @Test
    void integerModAndDivFollowOnnx() {
        Tensor x = Tensor.of(new long[] {-7, 7, -7, 7}, 4);
        List<TensorProto> d = List.of(TestModels.longs("d", new long[] {3, -3, -3, 3}, 4));
        assertArrayEquals(new long[] {2, -2, -1, 1}, run(13, "Mod", x, I64, new long[] {4}, d, List.of("d")).longs());
        assertArrayEquals(new long[] {-1, 1, -1, 1}, run(13, "Mod", x, I64, new long[] {4}, d, List.of("d"), attr("fmod", 1L)).longs());
        assertArrayEquals(new long[] {-2, -2, 2, 2}, run(13, "Div", x, I64, new long[] {4}, d, List.of("d")).longs());
        long big = (1L << 60) + 1;
        assertArrayEquals(new long[] {big + 1}, run(13, "Add", Tensor.of(new long[] {big}, 1), I64, new long[] {1},
                List.of(TestModels.longs("one", new long[] {1}, 1)), List.of("one")).longs());
    }

    @Test
    void hardSwishIsXTimesHardSigmoid() {
        Tensor x = Tensor.of(new double[] {-4, -1, 0.5, 3.5}, 4);
        double[] e = new double[4];
        for (int i = 0; i < 4; i++) {
            double v = x.getDouble(i);
            e[i] = v * Math.max(0, Math.min(1, v / 6 + 0.5));
        }
        assertClose(e, run(14, "HardSwish", x, D, new long[] {4}, List.of(), List.of()), 1e-15);
    }
}
