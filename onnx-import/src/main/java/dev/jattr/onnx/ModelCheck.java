package dev.jattr.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.jattr.graph.Executor;
import dev.jattr.graph.Graph;
import dev.jattr.graph.Node;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Trace;
import dev.jattr.graph.ValueInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What {@code jattr check} reports about a model file: its opset and producer, inputs and outputs
 * with shapes, a histogram of op types, every node that cannot be imported (all of them, not just
 * the first), and whether every op on the path from the inputs to the first output has a gradient.
 *
 * <p>The path follows floating values only when the model can be run: a dry run on
 * placeholder inputs (symbolic dimensions set to 1) gives every value's type, so integer side
 * paths (Shape → Reshape, ArgMax) do not count. When the model cannot be imported or run, the path
 * is structural: every edge counts ({@link #typedPath} is false).
 *
 * @param file            the model file
 * @param opset           the default-domain opset it imports
 * @param producer        producer name and version, "" when not recorded
 * @param inputs          the inputs a caller feeds
 * @param outputs         the model's outputs
 * @param opHistogram     node count per op type, sorted by op type
 * @param unsupported     the nodes jattr cannot import, in model order
 * @param pathOutput      the output the path leads to
 * @param pathBlockers    the nodes on the path that have no gradient (or cannot be imported), in model order
 * @param typedPath       whether the path was traced through floating values (else structurally)
 */
public record ModelCheck(Path file, int opset, String producer, List<ValueInfo> inputs, List<ValueInfo> outputs,
        SortedMap<String, Integer> opHistogram, List<Unsupported> unsupported, String pathOutput, List<String> pathBlockers,
        boolean typedPath) {
    /**
     * A node jattr cannot import.
     *
     * @param node   the node's name
     * @param opType its op type
     * @param reason why (op unknown at the opset, an attribute value not supported…)
     */
    public record Unsupported(String node, String opType, String reason) {}

    /** Copies the collections. */
    public ModelCheck {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        opHistogram = Collections.unmodifiableSortedMap(new TreeMap<>(opHistogram));
        unsupported = List.copyOf(unsupported);
        pathBlockers = List.copyOf(pathBlockers);
    }

    /** Whether every node imports and every op on the path to the first output has a gradient. */
    public boolean differentiable() {
        return unsupported.isEmpty() && pathBlockers.isEmpty();
    }

    /** Checks {@code file} with every op jattr supports. */
    public static ModelCheck of(Path file) {
        return of(file, OpRegistry.standard());
    }

    /** Checks {@code file} against {@code registry}; fails only when the file is not an ONNX model. */
    public static ModelCheck of(Path file, OpRegistry registry) {
        ModelProto model = OnnxModel.read(file);
        int opset = OnnxModel.declaredOpset(model, file);
        var g = model.getGraph();
        GraphNames.check(g, "the graph");
        Path base = file.toAbsolutePath().getParent();
        Map<String, Tensor> constants = OnnxModel.initializers(g, base);
        List<ValueInfo> inputs = g.getInputList().stream().filter(v -> !constants.containsKey(v.getName()))
                .map(OnnxModel::valueInfo).toList();
        List<ValueInfo> outputs = g.getOutputList().stream().map(OnnxModel::valueInfo).toList();
        SortedMap<String, Integer> histogram = new TreeMap<>();
        List<Unsupported> unsupported = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            histogram.merge(n.getOpType(), 1, Integer::sum);
            String reason = lower(n, opset, base, registry, nodes, constants);
            if (reason != null) {
                unsupported.add(new Unsupported(n.getName(), n.getOpType(), reason));
            }
        }
        FiniteConstants.checkWeights(g, constants, OnnxModel.initializerNames(g));
        String target = outputs.getFirst().name();
        if (opset > OnnxModel.MAX_OPSET) {
            unsupported.addFirst(new Unsupported("", "(model)", "opset " + opset + " is above the supported "
                    + OnnxModel.MIN_OPSET + " to " + OnnxModel.MAX_OPSET));
        }
        if (unsupported.isEmpty()) {
            try {
                Graph graph = new Graph(nodes, inputs, outputs, constants);
                Trace trace = dryRun(graph, target);
                Predicate<String> floating = v -> trace.has(v) && trace.value(v).dtype().isFloating();
                List<String> blockers = blockers(graph.nodes(), Node::inputs, Node::outputs, inputs, target, floating,
                        n -> n.op().differentiable()).stream().map(Node::describe).toList();
                return new ModelCheck(file, opset, producerOf(model), inputs, outputs, histogram, unsupported, target, blockers,
                        true);
            } catch (RuntimeException e) {
                // Fall through to the structural path: the model imports but cannot be dry-run.
            }
        }
        Set<String> bad = new HashSet<>();
        unsupported.forEach(u -> bad.add(u.node()));
        Map<String, Boolean> irDifferentiable = new HashMap<>();
        for (Node n : nodes) {
            String onnxName = n.name().contains("::") ? n.name().substring(0, n.name().indexOf("::")) : n.name();
            irDifferentiable.merge(onnxName, n.op().differentiable(), Boolean::logicalAnd);
        }
        List<String> blockers = blockers(g.getNodeList(), NodeProto::getInputList, NodeProto::getOutputList, inputs, target,
                v -> true, n -> !bad.contains(n.getName()) && irDifferentiable.getOrDefault(n.getName(), true))
                .stream().map(n -> "node '" + n.getName() + "' (" + n.getOpType() + ")"
                        + (bad.contains(n.getName()) ? ", not supported" : "")).toList();
        return new ModelCheck(file, opset, producerOf(model), inputs, outputs, histogram, unsupported, target, blockers, false);
    }

    private static String producerOf(ModelProto model) {
        return (model.getProducerName() + " " + model.getProducerVersion()).trim();
    }

    /** Lowers one node into {@code nodes}; the reason it cannot be imported, or null. */
    private static String lower(NodeProto n, int opset, Path base, OpRegistry registry, List<Node> nodes,
            Map<String, Tensor> constants) {
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            return "domain '" + n.getDomain() + "' is not supported";
        }
        var importer = registry.find(n.getOpType(), opset);
        if (importer.isEmpty()) {
            return "op " + n.getOpType() + " (opset " + opset + ") is not supported";
        }
        try {
            importer.get().lower(new ImportContext(n, opset, base, registry, nodes, constants, 0));
            return null;
        } catch (UnsupportedModelException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            return OnnxModel.importProblem(n, e);
        }
    }

    /** Runs the graph to {@code target} on placeholder inputs to learn every value's type. */
    private static Trace dryRun(Graph graph, String target) {
        Map<String, Tensor> feeds = new HashMap<>();
        for (ValueInfo v : graph.inputs()) {
            int[] shape = v.dims().clone();
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Math.max(shape[i], 1);
            }
            feeds.put(v.name(), Tensor.full(v.dtype(), v.dtype().isFloating() ? 0.5 : 0, shape));
        }
        return new Executor(graph).run(feeds, List.of(target));
    }

    /**
     * The nodes on a path from the inputs to {@code target} (through values {@code follow} accepts)
     * that fail {@code ok}, in order. Works on IR nodes and on ONNX nodes alike.
     */
    private static <N> List<N> blockers(List<N> nodes, Function<N, List<String>> ins, Function<N, List<String>> outs,
            List<ValueInfo> inputs, String target, Predicate<String> follow, Predicate<N> ok) {
        Set<String> fromInputs = new HashSet<>();
        inputs.forEach(v -> fromInputs.add(v.name()));
        List<N> reached = new ArrayList<>();
        for (N n : nodes) {
            if (ins.apply(n).stream().anyMatch(v -> fromInputs.contains(v) && follow.test(v))) {
                reached.add(n);
                outs.apply(n).stream().filter(follow).forEach(fromInputs::add);
            }
        }
        Set<String> toTarget = new HashSet<>(Set.of(target));
        Set<N> onPath = new HashSet<>();
        for (int i = reached.size() - 1; i >= 0; i--) {
            N n = reached.get(i);
            if (outs.apply(n).stream().anyMatch(v -> toTarget.contains(v) && follow.test(v))) {
                onPath.add(n);
                ins.apply(n).stream().filter(follow).forEach(toTarget::add);
            }
        }
        return reached.stream().filter(n -> onPath.contains(n) && !ok.test(n)).toList();
    }

    /** The report as text, as {@code jattr check} prints it. */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("model     ").append(file).append('\n');
        b.append("opset     ").append(opset).append('\n');
        b.append("producer  ").append(producer.isEmpty() ? "(not recorded)" : producer).append('\n');
        b.append("inputs\n");
        inputs.forEach(v -> b.append("  ").append(v.name()).append("  ").append(v.dtype()).append(' ').append(v.shapeText())
                .append('\n'));
        b.append("outputs\n");
        outputs.forEach(v -> b.append("  ").append(v.name()).append("  ").append(v.dtype()).append(' ').append(v.shapeText())
                .append('\n'));
        int total = opHistogram.values().stream().mapToInt(Integer::intValue).sum();
        b.append("ops (").append(total).append(" nodes)\n");
        opHistogram.forEach((op, n) -> b.append(String.format("  %-24s %d%n", op, n)));
        if (unsupported.isEmpty()) {
            b.append("unsupported  none\n");
        } else {
            b.append("unsupported (").append(unsupported.size()).append(")\n");
            unsupported.forEach(u -> b.append("  node '").append(u.node()).append("' (").append(u.opType()).append("): ")
                    .append(u.reason()).append('\n'));
        }
        b.append("differentiable path to '").append(pathOutput).append("'")
                .append(typedPath ? "" : " (traced structurally: the model could not be run)").append(": ");
        if (differentiable()) {
            b.append("yes\n");
        } else if (pathBlockers.isEmpty()) {
            b.append("none of its ops lacks a gradient, but the model does not import (unsupported ops above)\n");
        } else {
            b.append("no\n");
            pathBlockers.forEach(n -> b.append("  ").append(n).append('\n'));
        }
        return b.toString();
    }

}
