package dev.jattr.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Raw {@code .npy} files built byte by byte, so tests can write headers NumPy never would. */
public final class NpyBytes {
    private NpyBytes() {}

    /** A .npy file of version {@code major}.0: {@code header} padded to 64 bytes and ended by a newline, then {@code data}. */
    public static byte[] npy(int major, String header, byte[] data) {
        int preamble = major == 1 ? 10 : 12;
        int length = header.getBytes(charset(major)).length;
        return raw(major, header + " ".repeat((64 - (preamble + length + 1) % 64) % 64) + "\n", data);
    }

    /** A .npy file of version {@code major}.0 with {@code header} exactly as given (no padding, no newline added). */
    public static byte[] raw(int major, String header, byte[] data) {
        byte[] text = header.getBytes(charset(major));
        int preamble = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(preamble + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) text.length);
        } else {
            b.putInt(text.length);
        }
        return b.put(text).put(data).array();
    }

    /** Little-endian float32 values. */
    public static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    private static java.nio.charset.Charset charset(int major) {
        return major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    }
}
