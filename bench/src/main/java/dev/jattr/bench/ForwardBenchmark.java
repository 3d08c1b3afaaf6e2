package dev.jattr.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.io.Npy;
import dev.jattr.onnx.OnnxModel;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** One forward pass of a model on its reference batch, by jattr and by ONNX Runtime (CPU, all cores). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ForwardBenchmark {
    /** The model: a zoo model or a captum-reference model. */
    @Param({"convnet", "squeezenet1_1", "shufflenet_v2_x0_5", "mobilenet_v3_small", "efficientnet_b0"})
    public String model;

    /** Which engine runs it. */
    @Param({"jattr", "onnxruntime"})
    public String engine;

    private Executor executor;
    private Map<String, Tensor> feeds;
    private OrtEnvironment env;
    private OrtSession session;
    private Map<String, OnnxTensor> ortFeeds;

    /** Loads the model into the chosen engine. */
    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        var m = OnnxModel.load(ZooModel.model(model));
        String input = m.graph().inputs().getFirst().name();
        Tensor x = Npy.read(ZooModel.input(model)).cast(DType.F32);
        if (engine.equals("jattr")) {
            executor = new Executor(m.graph());
            feeds = Map.of(input, x);
        } else {
            env = OrtEnvironment.getEnvironment();
            var opts = new OrtSession.SessionOptions();
            opts.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            session = env.createSession(ZooModel.model(model).toString(), opts);
            long[] shape = Arrays.stream(x.shape()).asLongStream().toArray();
            ortFeeds = Map.of(input, OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()), shape));
        }
    }

    /** Releases ONNX Runtime's native resources. */
    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        if (session != null) {
            ortFeeds.values().forEach(OnnxTensor::close);
            session.close();
        }
    }

    /** One forward pass. */
    @Benchmark
    public Object forward() throws OrtException {
        if (executor != null) {
            return executor.forward(feeds);
        }
        try (var result = session.run(ortFeeds)) {
            return ((float[][]) result.get(0).getValue())[0][0];
        }
    }
}
