package dev.jattr.onnx.conformance;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.Optional;
import java.util.Set;

/**
 * Decides from a model alone, before anything runs, whether an operator test is outside jattr's
 * scope, and why: string, sequence, map and optional values, random generators, training-only
 * behaviour, quantized ops and complex numbers.
 */
final class Scope {
    private Scope() {}

    private static final Set<String> RANDOM = Set.of("Bernoulli", "RandomNormal", "RandomNormalLike", "RandomUniform",
            "RandomUniformLike", "Multinomial");
    private static final Set<String> QUANTIZED = Set.of("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear",
            "QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger");
    private static final Set<String> COMPLEX = Set.of("DFT", "STFT");
    private static final Set<String> STRING_OPS = Set.of("StringNormalizer", "RegexFullMatch", "StringConcat", "StringSplit");
    private static final int STRING = 8, COMPLEX64 = 14, COMPLEX128 = 15;

    /** The reason the model is out of scope, or empty when it is in scope. */
    static Optional<String> outOfScope(ModelProto model) {
        for (var o : model.getOpsetImportList()) {
            if (o.getDomain().equals("ai.onnx.preview.training")) {
                return Optional.of("training-only: imports the ai.onnx.preview.training domain");
            }
            if ((o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) && o.getVersion() < dev.jattr.onnx.OnnxModel.MIN_OPSET) {
                return Optional.of("opset " + o.getVersion() + ", below jattr's opsets " + dev.jattr.onnx.OnnxModel.MIN_OPSET
                        + " to " + dev.jattr.onnx.OnnxModel.MAX_OPSET);
            }
        }
        return graph(model.getGraph());
    }

    private static Optional<String> graph(GraphProto g) {
        for (var list : java.util.List.of(g.getInputList(), g.getOutputList(), g.getValueInfoList())) {
            for (ValueInfoProto v : list) {
                Optional<String> r = type(v.getType(), "value '" + v.getName() + "'");
                if (r.isPresent()) {
                    return r;
                }
            }
        }
        for (TensorProto t : g.getInitializerList()) {
            Optional<String> r = elem(t.getDataType(), "initializer '" + t.getName() + "'");
            if (r.isPresent()) {
                return r;
            }
        }
        for (NodeProto n : g.getNodeList()) {
            Optional<String> r = node(n);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> node(NodeProto n) {
        String op = n.getOpType(), where = op + " node '" + n.getName() + "'";
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            return Optional.of(where + " is in domain " + n.getDomain() + ", outside the default ONNX domain");
        }
        if (RANDOM.contains(op)) {
            return Optional.of("random generator: " + op);
        }
        if (QUANTIZED.contains(op)) {
            return Optional.of("quantized op: " + op);
        }
        if (COMPLEX.contains(op)) {
            return Optional.of("complex numbers: " + op + " computes complex spectra");
        }
        if (STRING_OPS.contains(op)) {
            return Optional.of("string op: " + op);
        }
        if (op.equals("Dropout") && n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            return Optional.of("training-only: Dropout with a training_mode input draws a random mask");
        }
        for (AttributeProto a : n.getAttributeList()) {
            if (op.equals("BatchNormalization") && a.getName().equals("training_mode") && a.getI() != 0) {
                return Optional.of("training-only: BatchNormalization training_mode=1 updates running statistics");
            }
            if (a.getName().equals("to") && a.getType() == AttributeProto.AttributeType.INT) {
                Optional<String> r = elem((int) a.getI(), where + " attribute 'to'");
                if (r.isPresent()) {
                    return r;
                }
            }
            if (a.hasT()) {
                Optional<String> r = elem(a.getT().getDataType(), where + " attribute '" + a.getName() + "'");
                if (r.isPresent()) {
                    return r;
                }
            }
            if (a.hasG()) {
                Optional<String> r = graph(a.getG());
                if (r.isPresent()) {
                    return r;
                }
            }
            for (GraphProto sub : a.getGraphsList()) {
                Optional<String> r = graph(sub);
                if (r.isPresent()) {
                    return r;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> type(TypeProto t, String where) {
        return switch (t.getValueCase()) {
            case TENSOR_TYPE -> elem(t.getTensorType().getElemType(), where);
            case SEQUENCE_TYPE -> Optional.of("sequence type: " + where + " is a sequence");
            case MAP_TYPE -> Optional.of("map type: " + where + " is a map");
            case OPTIONAL_TYPE -> Optional.of("optional type: " + where + " is optional");
            case SPARSE_TENSOR_TYPE -> Optional.of("sparse tensor: " + where + " is sparse");
            default -> Optional.empty();
        };
    }

    private static Optional<String> elem(int code, String where) {
        return switch (code) {
            case STRING -> Optional.of("string type: " + where + " holds strings");
            case COMPLEX64, COMPLEX128 -> Optional.of("complex numbers: " + where + " is complex");
            default -> Optional.empty();
        };
    }
}
