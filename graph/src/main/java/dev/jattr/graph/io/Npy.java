package dev.jattr.graph.io;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files, format versions 1.0, 2.0 and 3.0: float32, float64, int64, int32
 * and bool, C order, either byte order on reading; little-endian on writing.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Reads a .npy file; the message of a failure names the file and what is wrong with it. */
    public static Tensor read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses the bytes of a .npy file; {@code name} is used in messages. */
    public static Tensor parse(byte[] bytes, String name) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) {
            if (b.remaining() == 0 || b.get() != m) {
                throw new IllegalArgumentException(name + " is not a .npy file (bad magic)");
            }
        }
        int major = b.get();
        b.get();
        int headerLen = switch (major) {
            case 1 -> Short.toUnsignedInt(b.getShort());
            case 2, 3 -> b.getInt();
            default -> throw new IllegalArgumentException(name + ": unsupported .npy format version " + major);
        };
        if (headerLen < 0 || headerLen > b.remaining()) {
            throw new IllegalArgumentException(name + ": truncated .npy header");
        }
        String header = new String(bytes, b.position(), headerLen, StandardCharsets.ISO_8859_1);
        b.position(b.position() + headerLen);
        Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IllegalArgumentException(name + ": cannot parse .npy header " + header.trim());
        }
        if (f.group(1).equals("True")) {
            throw new IllegalArgumentException(name + ": Fortran-order arrays are not supported; save with C order");
        }
        List<Integer> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                dims.add(Integer.parseInt(part.trim()));
            }
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        if (d.group(1).equals(">")) {
            b.order(ByteOrder.BIG_ENDIAN);
        }
        String kind = d.group(2) + d.group(3);
        DType dtype = switch (kind) {
            case "f4" -> DType.F32;
            case "f8" -> DType.F64;
            case "i8" -> DType.I64;
            case "i4" -> DType.I32;
            case "b1" -> DType.BOOL;
            default -> throw new IllegalArgumentException(name + ": dtype '" + d.group(1) + kind
                    + "' is not supported (use float32, float64, int64, int32 or bool)");
        };
        Tensor t = Tensor.zeros(dtype, shape);
        int n = t.size();
        int width = switch (dtype) {
            case F32, I32 -> 4;
            case F64, I64 -> 8;
            case BOOL -> 1;
        };
        if (b.remaining() < (long) n * width) {
            throw new IllegalArgumentException(name + ": holds " + b.remaining() + " data bytes, shape needs " + (long) n * width);
        }
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(t.floats());
            case F64 -> b.asDoubleBuffer().get(t.doubles());
            case I64 -> b.asLongBuffer().get(t.longs());
            case I32 -> b.asIntBuffer().get(t.ints());
            case BOOL -> {
                boolean[] z = t.bools();
                for (int i = 0; i < n; i++) z[i] = b.get() != 0;
            }
        }
        return t;
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
        StringBuilder shape = new StringBuilder();
        for (int d : t.shape()) {
            shape.append(d).append(", ");
        }
        String dims = t.rank() == 1 ? shape.substring(0, shape.length() - 1) : t.rank() == 0 ? "" : shape.substring(0, shape.length() - 2);
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int total = MAGIC.length + 4 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        int width = switch (t.dtype()) {
            case F32, I32 -> 4;
            case F64, I64 -> 8;
            case BOOL -> 1;
        };
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + t.size() * width).order(ByteOrder.LITTLE_ENDIAN);
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
