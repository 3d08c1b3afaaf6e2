package dev.jattr.onnx;

import dev.jattr.testing.SharedData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ValueInfo;
import dev.jattr.graph.io.Npy;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * ONNX Runtime as a forward oracle: jattr's float32 forward of each Captum reference model and
 * each zoo model must match ORT's on the same inputs, within 1e-4 (reference models) or 1e-3
 * (zoo) of the largest output.
 */
class OrtForwardOracleTest {

    @TestFactory
    Stream<DynamicTest> referenceModels() {
        Path dir = SharedData.require("captum-reference/models");
        return Stream.of("convnet", "lrpnet", "multilayer", "sigmoidmlp", "tinyresnet")
                .map(m -> DynamicTest.dynamicTest(m, () -> check(dir.resolve(m + ".onnx"), null, 1e-4)));
    }

    @TestFactory
    Stream<DynamicTest> zooModels() {
        Path dir = SharedData.require("onnx-zoo");
        return Stream.of("squeezenet1_1", "shufflenet_v2_x0_5", "mobilenet_v3_small", "efficientnet_b0")
                .map(m -> DynamicTest.dynamicTest(m, () -> check(dir.resolve("models/" + m + ".onnx"),
                        dir.resolve("arrays/" + m + ".input.npy"), 1e-3)));
    }

    private static void check(Path model, Path inputNpy, double tol) throws OrtException {
        OnnxModel m = OnnxModel.load(model);
        Random rnd = new Random(42);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (ValueInfo v : m.graph().inputs()) {
            if (inputNpy != null) {
                feeds.put(v.name(), Npy.read(inputNpy).cast(DType.F32));
                continue;
            }
            int[] shape = Arrays.stream(v.dims()).map(d -> d < 0 ? 2 : d).toArray();
            feeds.put(v.name(), v.dtype() == DType.I64 ? Tensor.zeros(DType.I64, shape)
                    : Tensor.generate(DType.F32, shape, i -> 2 * rnd.nextDouble() - 1));
        }
        Map<String, Tensor> ours = new Executor(m.graph()).forward(feeds);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model.toString(), new OrtSession.SessionOptions())) {
            Map<String, OnnxTensor> in = new HashMap<>();
            try {
                for (var e : feeds.entrySet()) {
                    long[] shape = Arrays.stream(e.getValue().shape()).mapToLong(i -> i).toArray();
                    in.put(e.getKey(), e.getValue().dtype() == DType.I64
                            ? OnnxTensor.createTensor(env, LongBuffer.wrap(e.getValue().longs()), shape)
                            : OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().floats()), shape));
                }
                try (OrtSession.Result r = s.run(in)) {
                    for (var out : r) {
                        OnnxTensor t = (OnnxTensor) out.getValue();
                        Tensor mine = ours.get(out.getKey());
                        long[] shape = t.getInfo().getShape();
                        assertArrayEquals(Arrays.stream(shape).mapToInt(x -> (int) x).toArray(), mine.shape(), out.getKey() + " shape");
                        FloatBuffer fb = t.getFloatBuffer();
                        double maxAbs = 0, worst = 0;
                        for (int i = 0; i < mine.size(); i++) {
                            maxAbs = Math.max(maxAbs, Math.abs(fb.get(i)));
                        }
                        for (int i = 0; i < mine.size(); i++) {
                            worst = Math.max(worst, Math.abs(mine.getDouble(i) - fb.get(i)));
                        }
                        double w = worst, lim = tol * maxAbs;
                        assertTrue(worst <= lim, () -> model.getFileName() + " output " + out.getKey() + ": max |jattr − ORT| = " + w
                                + " above " + lim);
                    }
                }
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        }
    }
}
