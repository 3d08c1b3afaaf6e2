package dev.jattr.graph.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void everyTypeRoundTrips() {
        for (Tensor t : new Tensor[] {
                Tensor.of(new float[] {1.5f, -2f, 3.25f, 0f, 7f, -0.125f}, 2, 3),
                Tensor.of(new double[] {Math.PI, -1e300, 4.9e-324}, 3),
                Tensor.of(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE, 42}, 2, 1, 2),
                Tensor.of(new int[] {-7, 8}, 2),
                Tensor.of(new boolean[] {true, false, true}, 3),
                Tensor.of(new double[] {2.5})}) {
            Path f = dir.resolve(t.dtype() + ".npy");
            Npy.write(f, t);
            Tensor r = Npy.read(f);
            assertEquals(t.dtype(), r.dtype());
            assertArrayEquals(t.shape(), r.shape());
            assertArrayEquals(t.toDoubles(), r.toDoubles());
        }
    }

    @Test
    void headerFollowsTheFormat() {
        byte[] b = Npy.encode(Tensor.of(new float[] {1, 2, 3}, 3));
        int headerLen = ByteBuffer.wrap(b, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        String header = new String(b, 10, headerLen, StandardCharsets.ISO_8859_1);
        assertEquals(0, (10 + headerLen) % 64, "data must start on a 64-byte boundary");
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + headerLen + 12, b.length);
    }

    @Test
    void readsVersion2AndBigEndian() {
        String header = "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 1), }";
        header = header + " ".repeat(64 - (12 + header.length() + 1) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(12 + header.length() + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.order(ByteOrder.BIG_ENDIAN).putDouble(-1.25).putDouble(1e10);
        Tensor t = Npy.parse(b.array(), "v2.npy");
        assertEquals(DType.F64, t.dtype());
        assertArrayEquals(new int[] {2, 1}, t.shape());
        assertArrayEquals(new double[] {-1.25, 1e10}, t.doubles());
    }

    @Test
    void badFilesFailNamingTheFileAndTheProblem() {
        var magic = assertThrows(IllegalArgumentException.class, () -> Npy.parse(new byte[] {1, 2, 3}, "junk.npy"));
        assertEquals("junk.npy is not a .npy file (bad magic)", magic.getMessage());
        byte[] good = Npy.encode(Tensor.of(new double[] {1, 2}, 2));
        byte[] complex = new String(good, StandardCharsets.ISO_8859_1).replace("<f8", "<c8").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("c.npy: header field 'descr' is '<c8' (complex numbers), a dtype jattr does not read; save the array as"
                + " float32, float64, int64, int32 or bool",
                assertThrows(IllegalArgumentException.class, () -> Npy.parse(complex, "c.npy")).getMessage());
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        assertEquals("t.npy: header field 'shape' (2,) of float64 needs 16 data bytes, but the file holds 13 (truncated?)",
                assertThrows(IllegalArgumentException.class, () -> Npy.parse(truncated, "t.npy")).getMessage());
        var missing = assertThrows(UncheckedIOException.class, () -> Npy.read(dir.resolve("none.npy")));
        assertTrue(missing.getMessage().contains("none.npy"));
    }

    @Test
    void aFailedWriteLeavesNoFile() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectories(target.resolve("child"));
        assertThrows(UncheckedIOException.class, () -> Npy.write(target, Tensor.of(new float[] {1}, 1)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the directory that was in the way");
        }
        Path nested = dir.resolve("a/b/c.npy");
        Npy.write(nested, Tensor.of(new float[] {4}, 1));
        assertArrayEquals(new float[] {4}, Npy.read(nested).floats());
    }
}
