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
        node.getAttributeList().forEach(a -> byName.put(a.getName(), a));
        this.where = "node '" + node.getName() + "' (" + node.getOpType() + ")";
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
        return a == null ? dflt : a.getF();
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
            r[i] = Math.toIntExact(l[i]);
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
        }
        return r;
    }

    /** A tensor attribute, or null. */
    public Tensor getTensor(String name) {
        AttributeProto a = get(name, AttributeProto.AttributeType.TENSOR);
        return a == null ? null : TensorProtos.toTensor(a.getT(), baseDir);
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
