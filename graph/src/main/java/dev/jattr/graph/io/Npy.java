package dev.jattr.graph.io;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.ops.IndexMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * NumPy {@code .npy} files, format versions 1.0, 2.0 and 3.0: float32, float64, int64, int32
 * and bool, either byte order and C or Fortran order on reading; little-endian C order on writing.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** The largest file read: one Java array's worth of bytes. */
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private Npy() {}

    /** Reads a .npy file; the message of a failure names the file and what is wrong with it. */
    public static Tensor read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(file + " holds " + size + " bytes, more than jattr reads into one array ("
                        + MAX_FILE_BYTES + ")");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /**
     * Parses the bytes of a .npy file; {@code name} is used in messages. The header is checked
     * field by field ({@link NpyHeader}) and the data size it declares against the bytes present
     * before anything is allocated.
     */
    public static Tensor parse(byte[] bytes, String name) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        NpyHeader header = header(b, bytes.length, name);
        b.order(header.order());
        int n = header.size();
        long needed = (long) n * NpyHeader.width(header.dtype());
        if (b.remaining() != needed) {
            throw new IllegalArgumentException(name + ": header field 'shape' " + shapeText(header.shape()) + " of "
                    + header.dtype().numpyName() + " needs " + needed + " data bytes, but the file holds " + b.remaining()
                    + (b.remaining() < needed ? " (truncated?)" : " (extra bytes after the data)"));
        }
        int[] stored = header.fortranOrder() ? reversed(header.shape()) : header.shape();
        Tensor t = decode(b, header.dtype(), stored);
        if (!header.fortranOrder() || t.rank() < 2) {
            return t.reshape(header.shape());
        }
        int[] perm = new int[t.rank()];
        for (int d = 0; d < perm.length; d++) {
            perm[d] = perm.length - 1 - d;
        }
        return IndexMap.permuted(stored, perm).take(t);
    }

    /**
     * Reads the preamble and header at the start of {@code b} (the first bytes of a file of
     * {@code fileLength} bytes) and leaves {@code b} positioned at the first data byte.
     */
    static NpyHeader header(ByteBuffer b, long fileLength, String name) {
        if (fileLength == 0) {
            throw new IllegalArgumentException(name + " is empty, not a .npy file");
        }
        int length = b.remaining();
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= length || b.get(i) != MAGIC[i]) {
                if (i >= length && i > 0) {
                    throw truncatedPreamble(length, name);
                }
                throw new IllegalArgumentException(name + " is not a .npy file (bad magic)");
            }
        }
        if (length < 8) {
            throw truncatedPreamble(length, name);
        }
        int major = Byte.toUnsignedInt(b.get(6)), minor = Byte.toUnsignedInt(b.get(7));
        if (major < 1 || major > 3 || minor != 0) {
            throw new IllegalArgumentException(name + ": .npy format version " + major + "." + minor
                    + " is not supported (versions 1.0, 2.0 and 3.0 are)");
        }
        int preamble = major == 1 ? 10 : 12;
        if (length < preamble) {
            throw truncatedPreamble(length, name);
        }
        b.position(8);
        long headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : Integer.toUnsignedLong(b.getInt());
        if (headerLen > b.remaining()) {
            throw new IllegalArgumentException(name + ": the header length " + headerLen + " runs past the end of the "
                    + (length < fileLength ? "first " + length + " bytes read" : "file (" + length + " bytes)"));
        }
        byte[] text = new byte[(int) headerLen];
        b.get(text);
        return NpyHeader.parse(new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1), name);
    }

    /** A tensor of {@code shape} holding the values at {@code b}'s position, in its byte order. */
    static Tensor decode(ByteBuffer b, DType dtype, int[] shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(t.floats());
            case F64 -> b.asDoubleBuffer().get(t.doubles());
            case I64 -> b.asLongBuffer().get(t.longs());
            case I32 -> b.asIntBuffer().get(t.ints());
            case BOOL -> {
                boolean[] z = t.bools();
                for (int i = 0; i < z.length; i++) z[i] = b.get() != 0;
            }
        }
        return t;
    }

    private static IllegalArgumentException truncatedPreamble(int length, String name) {
        return new IllegalArgumentException(name + " is truncated: " + length + " bytes, shorter than the .npy preamble");
    }

    private static int[] reversed(int[] shape) {
        int[] r = new int[shape.length];
        for (int d = 0; d < r.length; d++) {
            r[d] = shape[r.length - 1 - d];
        }
        return r;
    }

    /** The shape as Python writes a tuple: (3,) or (2, 3). */
    static String shapeText(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int d = 0; d < shape.length; d++) {
            s.append(d == 0 ? "" : ", ").append(shape[d]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** The bytes of a version 1.0 .npy file holding {@code t}. */
    public static byte[] encode(Tensor t) {
        String descr = switch (t.dtype()) {
            case F32 -> "<f4";
            case F64 -> "<f8";
            case I64 -> "<i8";
            case I32 -> "<i4";
            case BOOL -> "|b1";
        };
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText(t.shape()) + ", }";
        int total = MAGIC.length + 4 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        long length = MAGIC.length + 4 + header.length() + (long) t.size() * NpyHeader.width(t.dtype());
        if (length > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("a tensor of shape " + shapeText(t.shape()) + " needs " + length
                    + " bytes as .npy, more than one array may hold");
        }
        ByteBuffer b = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        switch (t.dtype()) {
            case F32 -> b.asFloatBuffer().put(t.floats());
            case F64 -> b.asDoubleBuffer().put(t.doubles());
            case I64 -> b.asLongBuffer().put(t.longs());
            case I32 -> b.asIntBuffer().put(t.ints());
            case BOOL -> {
                for (boolean z : t.bools()) b.put((byte) (z ? 1 : 0));
            }
        }
        return b.array();
    }

    /**
     * Writes {@code t} to {@code file} atomically: the bytes go to a temporary file beside it,
     * which is then moved into place, so a failure never leaves a partial file.
     */
    public static void write(Path file, Tensor t) {
        byte[] bytes = encode(t);
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
