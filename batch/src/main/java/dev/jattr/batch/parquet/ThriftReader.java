package dev.jattr.batch.parquet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads Thrift's compact protocol from untrusted bytes. Every read is checked against the end of
 * the message, every declared length against the bytes that remain, and nesting is limited, so a
 * crafted message ends in a {@link ParquetException} naming {@code where}, never in another
 * exception or a large allocation.
 *
 * <p>Use: {@code beginStruct()}, then {@code nextField()} until it returns {@link #STOP}, reading
 * each field with the typed method for its expected type or {@link #skip()}.
 */
final class ThriftReader {
    static final int STOP = -1;
    private static final int TRUE = 1;
    private static final int FALSE = 2;
    private static final int BYTE = 3;
    private static final int I16 = 4;
    private static final int I32 = 5;
    private static final int I64 = 6;
    private static final int DOUBLE = 7;
    private static final int BINARY = 8;
    private static final int LIST = 9;
    private static final int SET = 10;
    private static final int MAP = 11;
    private static final int STRUCT = 12;
    private static final int MAX_DEPTH = 64;

    private final byte[] buf;
    private final int end;
    private final String where;
    private final int[] lastId = new int[MAX_DEPTH + 1];
    private int pos;
    private int depth;
    /** Type of the value about to be read: the current field's, or the current list element's. */
    private int type = STRUCT;
    private boolean listElement;

    ThriftReader(byte[] buf, int pos, int end, String where) {
        this.buf = buf;
        this.pos = pos;
        this.end = end;
        this.where = where;
    }

    int position() {
        return pos;
    }

    ParquetException error(String what) {
        return new ParquetException(where + ": " + what);
    }

    private int readByte() {
        if (pos >= end) {
            throw error("Thrift data ends early");
        }
        return buf[pos++] & 0xFF;
    }

    private long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw error("Thrift varint longer than 10 bytes");
    }

    private long zigzagVarint() {
        long v = varint();
        return (v >>> 1) ^ -(v & 1);
    }

    private int nonNegativeInt(long v, String what) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw error(what + " " + v + " is out of range");
        }
        return (int) v;
    }

    private void expect(int wanted) {
        if (type != wanted && !(wanted == TRUE && type == FALSE)) {
            throw error("Thrift value of type " + type + " where type " + wanted + " was expected");
        }
    }

    void beginStruct() {
        expect(STRUCT);
        if (depth == MAX_DEPTH) {
            throw error("Thrift structs nested deeper than " + MAX_DEPTH);
        }
        lastId[++depth] = 0;
        listElement = false;
    }

    /** The id of the next field of the current struct, or {@link #STOP} at its end (which closes it). */
    int nextField() {
        int header = readByte();
        if (header == 0) {
            depth--;
            type = STRUCT;
            return STOP;
        }
        int t = header & 0x0F;
        int delta = header >>> 4;
        int id;
        if (delta != 0) {
            id = lastId[depth] + delta;
        } else {
            long raw = zigzagVarint();
            if (raw < Short.MIN_VALUE || raw > Short.MAX_VALUE) {
                throw error("Thrift field id " + raw + " is out of range");
            }
            id = (int) raw;
        }
        if (t < TRUE || t > STRUCT) {
            throw error("Thrift field " + id + " has unknown type " + t);
        }
        lastId[depth] = id;
        type = t;
        listElement = false;
        return id;
    }

    int i32() {
        if (type != I32 && type != I16 && type != BYTE) {
            expect(I32);
        }
        long v = type == BYTE ? (byte) readByte() : zigzagVarint();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error("Thrift i32 value " + v + " is out of range");
        }
        return (int) v;
    }

    long i64() {
        if (type == I32 || type == I16 || type == BYTE) {
            return i32();
        }
        expect(I64);
        return zigzagVarint();
    }

    boolean bool() {
        expect(TRUE);
        if (listElement) {
            return readByte() == TRUE;
        }
        return type == TRUE;
    }

    String string() {
        expect(BINARY);
        int len = nonNegativeInt(varint(), "Thrift string length");
        if (len > end - pos) {
            throw error("Thrift string of " + len + " bytes, but only " + (end - pos) + " remain");
        }
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** Reads a list field, each element with {@code element}. */
    <T> List<T> list(Supplier<T> element) {
        expect(LIST);
        int header = readByte();
        int elementType = header & 0x0F;
        int size = header >>> 4;
        if (size == 15) {
            size = nonNegativeInt(varint(), "Thrift list size");
        }
        // every element takes at least one byte, so a larger size cannot be honest
        if (size > end - pos) {
            throw error("Thrift list of " + size + " elements, but only " + (end - pos) + " bytes remain");
        }
        List<T> out = new ArrayList<>(Math.min(size, 64));
        for (int i = 0; i < size; i++) {
            type = elementType;
            listElement = true;
            out.add(element.get());
        }
        return out;
    }

    /** Skips the value of the current field or list element. */
    void skip() {
        switch (type) {
            case TRUE, FALSE -> {
                if (listElement) {
                    readByte();
                }
            }
            case BYTE -> readByte();
            case I16, I32, I64 -> varint();
            case DOUBLE -> advance(8);
            case BINARY -> advance(nonNegativeInt(varint(), "Thrift binary length"));
            case LIST, SET -> {
                nest();
                list(() -> {
                    skip();
                    return null;
                });
                depth--;
            }
            case MAP -> skipMap();
            case STRUCT -> {
                beginStruct();
                while (nextField() != STOP) {
                    skip();
                }
            }
            default -> throw error("Thrift value of unknown type " + type);
        }
    }

    private void skipMap() {
        int size = nonNegativeInt(varint(), "Thrift map size");
        if (size == 0) {
            return;
        }
        int types = readByte();
        if (size > (end - pos) / 2) {
            throw error("Thrift map of " + size + " entries, but only " + (end - pos) + " bytes remain");
        }
        nest();
        for (int i = 0; i < 2 * size; i++) {
            type = (i & 1) == 0 ? types >>> 4 : types & 0x0F;
            listElement = true;
            skip();
        }
        depth--;
    }

    private void nest() {
        if (depth == MAX_DEPTH) {
            throw error("Thrift values nested deeper than " + MAX_DEPTH);
        }
        lastId[++depth] = 0;
    }

    private void advance(int n) {
        if (n > end - pos) {
            throw error("Thrift value of " + n + " bytes, but only " + (end - pos) + " remain");
        }
        pos += n;
    }
}
