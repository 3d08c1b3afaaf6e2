package dev.jattr.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import dev.jattr.graph.DType;
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
     * Parses {@code file} as a ModelProto without protobuf's 64 MiB message limit; fails with the
     * file's name when it is missing or not an ONNX model.
     */
    static ModelProto read(Path file) {
        ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            coded.setRecursionLimit(1000);
            model = ModelProto.parseFrom(coded);
        } catch (NoSuchFileException e) {
            throw new UnsupportedModelException("model file not found: " + file);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new UnsupportedModelException(file + " is not an ONNX model: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 && model.getGraph().getOutputCount() == 0) {
            throw new UnsupportedModelException(file + " is not an ONNX model (it holds no graph)");
        }
        return model;
    }

    /** The default-domain opset {@code model} imports; fails above {@link #MAX_OPSET}. */
    static int opset(ModelProto model, Path file) {
        int opset = declaredOpset(model);
        if (opset > MAX_OPSET) {
            throw new UnsupportedModelException(file + " uses opset " + opset + "; jattr supports opsets " + MIN_OPSET
                    + " to " + MAX_OPSET);
        }
        return opset;
    }

    /** The default-domain opset {@code model} imports, guessed from the IR version when it names none. */
    static int declaredOpset(ModelProto model) {
        int opset = -1;
        for (var o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        return opset >= 0 ? opset : model.getIrVersion() <= 3 ? MIN_OPSET : MAX_OPSET;
    }

    /** Imports a graph proto (also used for operator test models). */
    public static Graph importGraph(GraphProto g, int opset, Path baseDir, OpRegistry registry) {
        Map<String, Tensor> constants = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            constants.put(t.getName(), TensorProtos.toTensor(t, baseDir));
        }
        List<ValueInfo> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!constants.containsKey(v.getName())) {
                inputs.add(valueInfo(v));
            }
        }
        List<ValueInfo> outputs = g.getOutputList().stream().map(OnnxModel::valueInfo).toList();
        List<Node> nodes = importNodes(g, opset, baseDir, registry, constants);
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
    static Subgraph importSubgraph(GraphProto g, int opset, Path baseDir, OpRegistry registry, Map<String, Tensor> outer) {
        Map<String, Tensor> constants = new LinkedHashMap<>(outer);
        g.getInputList().forEach(v -> constants.remove(v.getName()));
        for (TensorProto t : g.getInitializerList()) {
            constants.put(t.getName(), TensorProtos.toTensor(t, baseDir));
        }
        List<ValueInfo> inputs = new ArrayList<>(g.getInputList().stream().map(OnnxModel::valueInfo).toList());
        List<ValueInfo> outputs = g.getOutputList().stream().map(OnnxModel::valueInfo).toList();
        List<Node> nodes = importNodes(g, opset, baseDir, registry, constants);
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

    private static List<Node> importNodes(GraphProto g, int opset, Path baseDir, OpRegistry registry,
            Map<String, Tensor> constants) {
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
                imp.lower(new ImportContext(n, opset, baseDir, registry, nodes, constants));
            } catch (UnsupportedModelException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new UnsupportedModelException("node '" + n.getName() + "' (" + n.getOpType() + ", opset " + opset + "): "
                        + e.getMessage(), e);
            }
        }
        return nodes;
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
