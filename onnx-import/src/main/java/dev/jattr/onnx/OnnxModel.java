package dev.jattr.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import dev.jattr.graph.DType;
import dev.jattr.graph.Failures;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ValueInfo;
import dev.jattr.graph.ops.Subgraph;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded ONNX model: its graph in jattr's IR and what the file said about itself.
 *
 * @param graph    the imported graph
 * @param opset    the default-domain opset it imports
 * @param producer the exporting tool and version, "" if not recorded
 * @param source   the file it came from
 */
public record OnnxModel(Graph graph, int opset, String producer, Path source) {
    /** Opsets whose semantics jattr implements. */
    public static final int MIN_OPSET = 7, MAX_OPSET = 21;
    /** How deep control-flow bodies (If, Loop, Scan) may nest inside one another. */
    public static final int MAX_SUBGRAPH_DEPTH = 64;

    /** Loads {@code file} with every op jattr supports. */
    public static OnnxModel load(Path file) {
        return load(file, OpRegistry.standard());
    }

    /**
     * Loads {@code file}, importing each node with {@code registry}. Fails with
     * {@link UnsupportedModelException} naming the node, op type and opset of the first node it
     * cannot import, and with the file's name when it is not an ONNX model.
     */
    public static OnnxModel load(Path file, OpRegistry registry) {
        ModelProto model = read(file);
        int opset = opset(model, file);
        Path base = file.toAbsolutePath().getParent();
        Graph graph = importGraph(model.getGraph(), opset, base, registry);
        String producer = (model.getProducerName() + " " + model.getProducerVersion()).trim();
        return new OnnxModel(graph, opset, producer, file);
    }

    /**
     * Loads a model from its bytes, as read from {@code source} (named in messages and kept as the
     * model's source; nothing is read from it). External data cannot be read without the model's
     * folder: such a model fails naming the tensor. Spark executors load broadcast models this way.
     */
    public static OnnxModel load(byte[] bytes, Path source) {
        ModelProto model = parse(CodedInputStream.newInstance(bytes), source);
        int opset = opset(model, source);
        Graph graph = importGraph(model.getGraph(), opset, null, OpRegistry.standard());
        String producer = (model.getProducerName() + " " + model.getProducerVersion()).trim();
        return new OnnxModel(graph, opset, producer, source);
    }

    /**
     * Parses {@code file} as a ModelProto without protobuf's 64 MiB message limit; fails with the
     * file's name when it is missing or not an ONNX model.
     */
    static ModelProto read(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new UnsupportedModelException(file + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(CodedInputStream.newInstance(in), file);
        } catch (NoSuchFileException e) {
            throw new UnsupportedModelException("model file not found: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Parses a ModelProto from {@code coded}; fails naming {@code source} when it is not an ONNX model. */
    private static ModelProto parse(CodedInputStream coded, Path source) {
        ModelProto model;
        coded.setSizeLimit(Integer.MAX_VALUE);
        coded.setRecursionLimit(1000);
        try {
            model = ModelProto.parseFrom(coded);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new UnsupportedModelException(source + " is not an ONNX model: " + protobufProblem(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 && model.getGraph().getOutputCount() == 0) {
            throw new UnsupportedModelException(source + " is not an ONNX model (it holds no graph)");
        }
        return model;
    }

    /** What is wrong with a file protobuf cannot parse, in words (without protobuf's advice to Java programmers). */
    private static String protobufProblem(com.google.protobuf.InvalidProtocolBufferException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("nesting")) {
            return "its messages nest too deeply (subgraphs inside subgraphs)";
        }
        if (m.contains("truncated") || m.contains("ended unexpectedly")) {
            return "the data ends in the middle of a field (truncated file?)";
        }
        if (m.contains("UTF-8")) {
            return "a text field is not valid UTF-8";
        }
        return "its bytes are not valid protobuf (" + m.replaceAll("(?i)protocol message", "message").replaceAll("\\..*", "") + ")";
    }

    /** The default-domain opset {@code model} imports; fails outside {@link #MIN_OPSET} to {@link #MAX_OPSET}. */
    static int opset(ModelProto model, Path file) {
        int opset = declaredOpset(model, file);
        if (opset < MIN_OPSET) {
            throw new UnsupportedModelException(file + " imports opset " + opset + ", below the opsets jattr reads ("
                    + MIN_OPSET + " to " + MAX_OPSET + "); convert it first, e.g. with onnx.version_converter");
        }
        if (opset > MAX_OPSET) {
            throw new UnsupportedModelException(file + " uses opset " + opset + "; jattr supports opsets " + MIN_OPSET
                    + " to " + MAX_OPSET);
        }
        return opset;
    }

    /**
     * The default-domain opset {@code model} imports: fails naming the opset_import when there is
     * none, when two disagree, or when the version is not a positive opset number.
     */
    static int declaredOpset(ModelProto model, Path file) {
        long opset = -1;
        for (var o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                if (o.getVersion() <= 0 || o.getVersion() > 10_000) {
                    throw new UnsupportedModelException(file + " imports default-domain opset " + o.getVersion()
                            + ", which is not an opset version");
                }
                if (opset >= 0 && opset != o.getVersion()) {
                    throw new UnsupportedModelException(file + " imports the default ONNX domain twice, as opset " + opset
                            + " and opset " + o.getVersion());
                }
                opset = o.getVersion();
            }
        }
        if (opset < 0) {
            throw new UnsupportedModelException(file + " declares no opset for the default ONNX domain (opset_import)");
        }
        return (int) opset;
    }

    /** Imports a graph proto (also used for operator test models). */
    public static Graph importGraph(GraphProto g, int opset, Path baseDir, OpRegistry registry) {
        GraphNames.check(g, "the graph");
        Map<String, Tensor> constants = initializers(g, baseDir);
        List<ValueInfo> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!constants.containsKey(v.getName())) {
                inputs.add(valueInfo(v));
            }
        }
        List<ValueInfo> outputs = g.getOutputList().stream().map(OnnxModel::valueInfo).toList();
        List<Node> nodes = importNodes(g, opset, baseDir, registry, constants, 0);
        FiniteConstants.checkWeights(g, constants, initializerNames(g));
        try {
            return new Graph(nodes, inputs, outputs, constants);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException(e.getMessage(), e);
        }
    }

    /**
     * Imports the body of a control-flow node: a graph whose importers see the enclosing graph's
     * constants, and whose reads of other enclosing values become captures (extra inputs after
     * its formal ones), so the enclosing node can pass them in.
     */
    static Subgraph importSubgraph(GraphProto g, int opset, Path baseDir, OpRegistry registry, Map<String, Tensor> outer,
            int depth) {
        String where = "subgraph '" + g.getName() + "'";
        if (depth > MAX_SUBGRAPH_DEPTH) {
            throw new UnsupportedModelException(where + " is nested " + depth + " levels deep; jattr imports at most "
                    + MAX_SUBGRAPH_DEPTH + " levels of If, Loop and Scan bodies");
        }
        GraphNames.check(g, where);
        Map<String, Tensor> constants = new LinkedHashMap<>(outer);
        g.getInputList().forEach(v -> constants.remove(v.getName()));
        constants.putAll(initializers(g, baseDir));
        List<ValueInfo> inputs = new ArrayList<>(g.getInputList().stream().map(OnnxModel::valueInfo).toList());
        List<ValueInfo> outputs = g.getOutputList().stream().map(OnnxModel::valueInfo).toList();
        List<Node> nodes = importNodes(g, opset, baseDir, registry, constants, depth);
        FiniteConstants.checkWeights(g, constants, initializerNames(g));
        Set<String> defined = new java.util.HashSet<>(constants.keySet());
        inputs.forEach(v -> defined.add(v.name()));
        Set<String> used = new java.util.LinkedHashSet<>();
        for (Node n : nodes) {
            n.outputs().forEach(defined::add);
            n.inputs().stream().filter(v -> !v.isEmpty()).forEach(used::add);
        }
        outputs.forEach(v -> used.add(v.name()));
        List<String> captures = used.stream().filter(v -> !defined.contains(v)).toList();
        captures.forEach(c -> inputs.add(new ValueInfo(c, DType.F32, new int[0], List.of())));
        constants.keySet().retainAll(used);
        try {
            return new Subgraph(new Graph(nodes, inputs, outputs, constants), captures);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException("subgraph '" + g.getName() + "': " + e.getMessage(), e);
        }
    }

    /**
     * {@code g}'s initializers by name, each checked (element count against the data present,
     * external data confined to {@code baseDir}, no NaN) and failing naming the initializer.
     */
    static Map<String, Tensor> initializers(GraphProto g, Path baseDir) {
        Map<String, Tensor> constants = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            String where = "initializer '" + t.getName() + "'";
            Tensor value = TensorProtos.toTensor(t, baseDir, where);
            FiniteConstants.check(value, where, true);
            constants.put(t.getName(), value);
        }
        return constants;
    }

    static Set<String> initializerNames(GraphProto g) {
        Set<String> names = new java.util.HashSet<>();
        g.getInitializerList().forEach(t -> names.add(t.getName()));
        return names;
    }

    private static List<Node> importNodes(GraphProto g, int opset, Path baseDir, OpRegistry registry,
            Map<String, Tensor> constants, int depth) {
        List<Node> nodes = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw new UnsupportedModelException("node '" + n.getName() + "' (" + n.getOpType() + ") is in domain '"
                        + n.getDomain() + "'; jattr supports only the default ONNX domain");
            }
            OpImporter imp = registry.find(n.getOpType(), opset).orElseThrow(() -> new UnsupportedModelException(
                    "node '" + n.getName() + "': op " + n.getOpType() + " (opset " + opset + ") is not supported; supported ops: "
                            + String.join(", ", registry.opTypes())));
            try {
                imp.lower(new ImportContext(n, opset, baseDir, registry, nodes, constants, depth));
            } catch (UnsupportedModelException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new UnsupportedModelException("node '" + n.getName() + "' (" + n.getOpType() + ", opset " + opset + "): "
                        + importProblem(n, e), e);
            }
        }
        return nodes;
    }

    /**
     * Why a node could not be imported: the importer's own message, or, when it failed on
     * something it did not expect (too few inputs, an attribute of an odd shape), a sentence that
     * names what the node has instead of Java's text.
     */
    static String importProblem(NodeProto n, RuntimeException e) {
        if (Failures.isExplained(e)) {
            return e.getMessage();
        }
        List<String> attributes = n.getAttributeList().stream().map(a -> a.getName()).toList();
        return "its inputs or attributes do not fit the op (" + n.getInputCount() + " inputs " + n.getInputList() + ", "
                + n.getOutputCount() + " outputs, attributes " + attributes + ")";
    }

    static ValueInfo valueInfo(ValueInfoProto v) {
        var type = v.getType();
        if (!type.hasTensorType()) {
            return new ValueInfo(v.getName(), DType.F32, new int[0], List.of());
        }
        var tt = type.getTensorType();
        DType dtype;
        try {
            dtype = TensorProtos.dtypeOf(tt.getElemType(), "value '" + v.getName() + "'");
        } catch (UnsupportedModelException e) {
            dtype = DType.F32;
        }
        var dims = tt.getShape().getDimList();
        int[] d = new int[dims.size()];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < d.length; i++) {
            var dim = dims.get(i);
            d[i] = dim.hasDimValue() ? (int) dim.getDimValue() : -1;
            names.add(dim.hasDimParam() ? dim.getDimParam() : "");
        }
        return new ValueInfo(v.getName(), dtype, d, names);
    }

    /** The names of the inputs a caller feeds. */
    public Set<String> inputNames() {
        return new java.util.LinkedHashSet<>(graph.inputs().stream().map(ValueInfo::name).toList());
    }
}
