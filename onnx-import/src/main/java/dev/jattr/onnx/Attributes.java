package dev.jattr.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.jattr.graph.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Typed access to a node's attributes; a wrong type fails naming the node and the attribute. */
public final class Attributes {
    private final Map<String, AttributeProto> byName = new HashMap<>();
    private final String where;
    private final Path baseDir;

    Attributes(NodeProto node, Path baseDir) {
        this.where = "node '" + node.getName() + "' (" + node.getOpType() + ")";
        for (AttributeProto a : node.getAttributeList()) {
            if (byName.put(a.getName(), a) != null) {
                throw new UnsupportedModelException(where + ": attribute '" + a.getName() + "' is given twice");
            }
        }
        this.baseDir = baseDir;
    }

    /** Whether the attribute is present. */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    private AttributeProto get(String name, AttributeProto.AttributeType type) {
        AttributeProto a = byName.get(name);
        if (a != null && a.getType() != type) {
            throw new UnsupportedModelException(where + ": attribute '" + name + "' should be " + type + ", is " + a.getType());
        }
        return a;
    }

    /** An integer attribute. */
    public long getInt(String name, long dflt) {
        AttributeProto a = get(name, AttributeProto.AttributeType.INT);
        return a == null ? dflt : a.getI();
    }

    /** A float attribute. */
    public double getFloat(String name, double dflt) {
        AttributeProto a = get(name, AttributeProto.AttributeType.FLOAT);
        if (a == null) {
            return dflt;
        }
        FiniteConstants.checkAttribute(a.getF(), name, where);
        return a.getF();
    }

    /** A string attribute. */
    public String getString(String name, String dflt) {
        AttributeProto a = get(name, AttributeProto.AttributeType.STRING);
        return a == null ? dflt : a.getS().toString(StandardCharsets.UTF_8);
    }

    /** An integer list attribute (empty when absent). */
    public int[] getInts(String name) {
        long[] l = getLongs(name);
        int[] r = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] != (int) l[i]) {
                throw new UnsupportedModelException(where + ": attribute '" + name + "' holds " + l[i] + ", which does not fit in 32 bits");
            }
            r[i] = (int) l[i];
        }
        return r;
    }

    /** An integer list attribute as longs (empty when absent). */
    public long[] getLongs(String name) {
        AttributeProto a = get(name, AttributeProto.AttributeType.INTS);
        return a == null ? new long[0] : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** A float list attribute (empty when absent). */
    public float[] getFloats(String name) {
        AttributeProto a = get(name, AttributeProto.AttributeType.FLOATS);
        if (a == null) {
            return new float[0];
        }
        float[] r = new float[a.getFloatsCount()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.getFloats(i);
            FiniteConstants.checkAttribute(r[i], name, where);
        }
        return r;
    }

    /** A tensor attribute, or null. */
    public Tensor getTensor(String name) {
        AttributeProto a = get(name, AttributeProto.AttributeType.TENSOR);
        if (a == null) {
            return null;
        }
        String at = where + ": attribute '" + name + "'";
        Tensor t = TensorProtos.toTensor(a.getT(), baseDir, at);
        FiniteConstants.check(t, at, true);
        return t;
    }

    /** The raw attribute (for importers with unusual needs), or null. */
    public AttributeProto raw(String name) {
        return byName.get(name);
    }

    /** "node 'name' (OpType)" for messages. */
    public String where() {
        return where;
    }
}
