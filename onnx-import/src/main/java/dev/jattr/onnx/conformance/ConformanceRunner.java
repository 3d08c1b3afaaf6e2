package dev.jattr.onnx.conformance;

import dev.jattr.graph.Trace;
import dev.jattr.graph.ShapeInference;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.CodedInputStream;
import dev.jattr.graph.DType;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ValueInfo;
import dev.jattr.onnx.OnnxModel;
import dev.jattr.onnx.OpRegistry;
import dev.jattr.onnx.TensorProtos;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs ONNX backend operator tests (folders holding {@code model.onnx} and
 * {@code test_data_set_0/input_K.pb, output_K.pb}) and reports each as passed, failed or skipped.
 * A test is skipped only when its model is outside jattr's scope, which is decided from the
 * model's types and ops before anything runs; every other test passes or fails. A test passes when
 * every output has the expected type and shape and {@code |a − e| ≤ 1e-7 + 1e-3·|e|} elementwise
 * (NaN matching NaN), as ONNX's own runner checks.
 */
public final class ConformanceRunner {
    /** Absolute tolerance of the comparison. */
    public static final double ATOL = 1e-7;
    /** Relative tolerance of the comparison. */
    public static final double RTOL = 1e-3;

    private ConformanceRunner() {}

    /** The outcome of one test. */
    public enum Status {
        /** Every output matched. */
        PASSED,
        /** In scope, but it failed to load, run or match. */
        FAILED,
        /** Out of scope; the message says why. */
        SKIPPED
    }

    /**
     * One test's outcome.
     *
     * @param test    the folder name ({@code test_abs})
     * @param op      the op under test: the model's op type, or {@code expanded} for a function expanded into several nodes
     * @param status  passed, failed or skipped
     * @param message why it failed or was skipped, "" when it passed
     */
    public record Result(String test, String op, Status status, String message) {}

    /** Runs every test folder under {@code dir} in name order, reporting each result to {@code progress}. */
    public static ConformanceReport run(Path dir, Consumer<Result> progress) {
        List<Result> results = new ArrayList<>();
        for (Path t : tests(dir)) {
            Result r = runOne(t);
            results.add(r);
            progress.accept(r);
        }
        return new ConformanceReport(results);
    }

    /** The test folders under {@code dir} (those holding a {@code model.onnx}), sorted by name. */
    public static List<Path> tests(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list operator tests in " + dir, e);
        }
    }

    /** Runs the test in folder {@code test}. */
    public static Result runOne(Path test) {
        String name = test.getFileName().toString();
        ModelProto model;
        try {
            model = parse(test.resolve("model.onnx"));
        } catch (RuntimeException e) {
            return new Result(name, "?", Status.FAILED, "cannot read model.onnx: " + e.getMessage());
        }
        String op = opLabel(model);
        Optional<String> skip = Scope.outOfScope(model);
        if (skip.isPresent()) {
            return new Result(name, op, Status.SKIPPED, skip.get());
        }
        try {
            String failure = check(model, test);
            return failure == null ? new Result(name, op, Status.PASSED, "")
                    : new Result(name, op, Status.FAILED, failure);
        } catch (RuntimeException | StackOverflowError e) {
            return new Result(name, op, Status.FAILED, e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String opLabel(ModelProto model) {
        Set<String> ops = new LinkedHashSet<>();
        model.getGraph().getNodeList().forEach(n -> ops.add(n.getOpType()));
        return ops.size() == 1 ? ops.iterator().next() : "expanded";
    }

    /** A test's model imported, with the inputs of its first data set. */
    private record Loaded(Graph graph, Map<String, Tensor> feeds, Path data) {
        static Loaded of(ModelProto model, Path test) {
            int opset = 0;
            for (var o : model.getOpsetImportList()) {
                if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                    opset = (int) o.getVersion();
                }
            }
            Graph graph = OnnxModel.importGraph(model.getGraph(), opset, test, OpRegistry.standard());
            Path data = test.resolve("test_data_set_0");
            Map<String, Tensor> feeds = new HashMap<>();
            List<ValueInfo> inputs = graph.inputs();
            for (int i = 0; i < inputs.size(); i++) {
                Path p = data.resolve("input_" + i + ".pb");
                if (Files.exists(p)) {
                    feeds.put(inputs.get(i).name(), TensorProtos.toTensor(declared(readTensor(p), model, inputs.get(i).name()), data));
                }
            }
            return new Loaded(graph, feeds, data);
        }
    }

    /**
     * For an in-scope test that runs: every value whose type and shape {@link ShapeInference}
     * decides from the input shapes, where the run disagrees ("" when none does, or when the test is
     * out of scope or does not run).
     */
    public static String shapeDisagreements(Path test) {
        ModelProto model = parse(test.resolve("model.onnx"));
        if (Scope.outOfScope(model).isPresent()) {
            return "";
        }
        Trace run;
        Loaded l;
        try {
            l = Loaded.of(model, test);
            run = new Executor(l.graph()).run(l.feeds(), l.graph().valueNames());
        } catch (RuntimeException e) {
            return "";
        }
        Map<String, int[]> known = new HashMap<>();
        l.feeds().forEach((k, v) -> known.put(k, v.shape()));
        StringBuilder b = new StringBuilder();
        ShapeInference.infer(l.graph(), known).forEach((v, inferred) -> {
            if (run.has(v) && (run.value(v).dtype() != inferred.dtype() || !Arrays.equals(run.value(v).shape(), inferred.shape()))) {
                b.append(v).append(": inferred ").append(inferred.dtype()).append(Arrays.toString(inferred.shape())).append(", ran ")
                        .append(run.value(v).dtype()).append(Arrays.toString(run.value(v).shape())).append("; ");
            }
        });
        return b.toString();
    }

    /** Null when every output matches, else what differs. */
    private static String check(ModelProto model, Path test) {
        Loaded l = Loaded.of(model, test);
        Graph graph = l.graph();
        Path data = l.data();
        Map<String, Tensor> actual = new Executor(graph).forward(l.feeds());
        List<ValueInfo> outputs = graph.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            String name = outputs.get(i).name();
            TensorProto proto = declared(readTensor(data.resolve("output_" + i + ".pb")), model, name);
            Tensor expected = TensorProtos.toTensor(proto, data);
            String diff = compare(actual.get(name), expected);
            if (diff != null) {
                return "output '" + name + "': " + diff;
            }
        }
        return null;
    }

    /**
     * The test data as the model declares it: ONNX 1.12's generators store bfloat16 values as
     * their uint16 bit patterns, which are read as bfloat16 where the model says so.
     */
    private static TensorProto declared(TensorProto t, ModelProto model, String value) {
        var g = model.getGraph();
        for (var list : List.of(g.getInputList(), g.getOutputList())) {
            for (var v : list) {
                if (v.getName().equals(value) && v.getType().getTensorType().getElemType() == BFLOAT16
                        && t.getDataType() == UINT16) {
                    return t.toBuilder().setDataType(BFLOAT16).build();
                }
            }
        }
        return t;
    }

    private static final int UINT16 = 4, BFLOAT16 = 16;

    /** Null when {@code a} matches {@code e} in type, shape and values, else what differs. */
    static String compare(Tensor a, Tensor e) {
        if (a.dtype() != e.dtype()) {
            return "type " + a.dtype() + ", expected " + e.dtype();
        }
        if (!Arrays.equals(a.shape(), e.shape())) {
            return "shape " + Arrays.toString(a.shape()) + ", expected " + Arrays.toString(e.shape());
        }
        for (int i = 0, n = e.size(); i < n; i++) {
            if (e.dtype() == DType.I64 ? a.getLong(i) != e.getLong(i) : !close(a.getDouble(i), e.getDouble(i))) {
                return "element " + i + " is " + a.getDouble(i) + ", expected " + e.getDouble(i);
            }
        }
        return null;
    }

    private static boolean close(double a, double e) {
        if (Double.isNaN(e) || Double.isNaN(a)) {
            return Double.isNaN(e) && Double.isNaN(a);
        }
        if (Double.isInfinite(e)) {
            return a == e;
        }
        return Math.abs(a - e) <= ATOL + RTOL * Math.abs(e);
    }

    private static ModelProto parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setRecursionLimit(1000);
            return ModelProto.parseFrom(coded);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static TensorProto readTensor(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return TensorProto.parseFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Runs the tests of the folder given as the first argument and prints the report. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ConformanceRunner <onnx-node-tests folder>");
            System.exit(2);
        }
        ConformanceReport report = run(Path.of(args[0]), r -> { });
        report.print(System.out);
    }
}
