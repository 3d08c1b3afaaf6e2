package dev.jattr.batch.parquet;

import java.nio.charset.StandardCharsets;

/**
 * Writes Thrift's compact protocol: the encoding of Parquet's footer and page headers. Fields are
 * written in increasing id order by the caller; a field header stores the id as a delta from the
 * previous field of the same struct when it is 1 to 15.
 */
final class ThriftWriter {
    static final int I16 = 4;
    static final int I32 = 5;
    static final int I64 = 6;
    static final int BINARY = 8;
    static final int LIST = 9;
    static final int STRUCT = 12;
    private static final int TRUE = 1;
    private static final int FALSE = 2;
    private static final int MAX_DEPTH = 32;

    private final ByteSink out;
    private final int[] lastId = new int[MAX_DEPTH];
    private int depth;

    ThriftWriter(ByteSink out) {
        this.out = out;
    }

    private void fieldHeader(int id, int type) {
        int delta = id - lastId[depth];
        if (delta > 0 && delta <= 15) {
            out.writeByte(delta << 4 | type);
        } else {
            out.writeByte(type);
            out.writeUnsignedVarint(zigzag(id));
        }
        lastId[depth] = id;
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    void i32(int id, int v) {
        fieldHeader(id, I32);
        out.writeUnsignedVarint(zigzag(v));
    }

    void i64(int id, long v) {
        fieldHeader(id, I64);
        out.writeUnsignedVarint(zigzag(v));
    }

    void bool(int id, boolean v) {
        fieldHeader(id, v ? TRUE : FALSE);
    }

    void string(int id, String v) {
        fieldHeader(id, BINARY);
        elementString(v);
    }

    /** Opens a struct-valued field; close it with {@link #endStruct()}. */
    void beginStruct(int id) {
        fieldHeader(id, STRUCT);
        beginElementStruct();
    }

    /** Opens a struct that is a list element (no field header). */
    void beginElementStruct() {
        lastId[++depth] = 0;
    }

    void endStruct() {
        out.writeByte(0);
        depth--;
    }

    /** Ends the top-level message. */
    void end() {
        out.writeByte(0);
    }

    /** Opens a list field of {@code size} elements of {@code elementType}; write the elements next. */
    void beginList(int id, int elementType, int size) {
        fieldHeader(id, LIST);
        if (size < 15) {
            out.writeByte(size << 4 | elementType);
        } else {
            out.writeByte(0xF0 | elementType);
            out.writeUnsignedVarint(size);
        }
    }

    void elementI32(int v) {
        out.writeUnsignedVarint(zigzag(v));
    }

    void elementString(String v) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        out.writeUnsignedVarint(b.length);
        out.write(b);
    }
}
