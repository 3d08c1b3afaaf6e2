package dev.jattr.batch.parquet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A growable little-endian byte buffer: Parquet's PLAIN values, Thrift messages, whole pages. */
final class ByteSink {
    private static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    private byte[] bytes;
    private int size;

    ByteSink() {
        this(256);
    }

    ByteSink(int capacity) {
        bytes = new byte[capacity];
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    void writeTo(ByteSink out) {
        out.write(bytes, 0, size);
    }

    private void ensure(int more) {
        if (more > MAX_SIZE - size) {
            throw new ParquetException("a buffered page or row group would exceed 2 GiB; lower the row group size");
        }
        int need = size + more;
        if (need > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_SIZE, Math.max(need, 2L * bytes.length)));
        }
    }

    void writeByte(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    void write(byte[] b) {
        write(b, 0, b.length);
    }

    void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    void writeIntLE(int v) {
        ensure(4);
        bytes[size] = (byte) v;
        bytes[size + 1] = (byte) (v >>> 8);
        bytes[size + 2] = (byte) (v >>> 16);
        bytes[size + 3] = (byte) (v >>> 24);
        size += 4;
    }

    void writeLongLE(long v) {
        writeIntLE((int) v);
        writeIntLE((int) (v >>> 32));
    }

    void writeUnsignedVarint(long v) {
        while ((v & ~0x7FL) != 0) {
            writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        writeByte((int) v);
    }

    private ByteBuffer tail(int count, int width) {
        if (count > MAX_SIZE / width) {
            throw new ParquetException("a list of " + count + " values does not fit in one page");
        }
        int len = count * width;
        ensure(len);
        ByteBuffer view = ByteBuffer.wrap(bytes, size, len).slice().order(ByteOrder.LITTLE_ENDIAN);
        size += len;
        return view;
    }

    void writeInts(int[] v) {
        tail(v.length, 4).asIntBuffer().put(v);
    }

    void writeLongs(long[] v) {
        tail(v.length, 8).asLongBuffer().put(v);
    }

    void writeFloats(float[] v) {
        tail(v.length, 4).asFloatBuffer().put(v);
    }

    void writeDoubles(double[] v) {
        tail(v.length, 8).asDoubleBuffer().put(v);
    }
}
