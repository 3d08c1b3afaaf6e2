package dev.jattr.batch.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParquetSnappyTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static byte[] decompress(byte[] in, int expected) {
        return Snappy.decompress(in, 0, in.length, expected, "t.parquet: page 0");
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void literalOnly() {
        byte[] in = bytes(5, (5 - 1) << 2, 'h', 'e', 'l', 'l', 'o');
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), decompress(in, 5));
    }

    @Test
    void literalWithOneByteLengthForm() {
        byte[] in = new byte[2 + 1 + 100];
        in[0] = 100;
        in[1] = (byte) (60 << 2);
        in[2] = 99;
        for (int i = 0; i < 100; i++) {
            in[3 + i] = (byte) i;
        }
        byte[] out = decompress(in, 100);
        for (int i = 0; i < 100; i++) {
            assertTrue(out[i] == i);
        }
    }

    @Test
    void overlappingCopyWithOneByteOffset() {
        // "ab", then copy 6 bytes from offset 2: the copy reads what it writes
        byte[] in = bytes(8, 1 << 2, 'a', 'b', 0x01 | (6 - 4) << 2, 2);
        assertArrayEquals("abababab".getBytes(StandardCharsets.US_ASCII), decompress(in, 8));
        // run of one byte: offset 1
        byte[] run = bytes(12, 0, 'z', 0x01 | (11 - 4) << 2, 1);
        assertTrue(ascii(decompress(run, 12)).equals("zzzzzzzzzzzz"));
    }

    @Test
    void copiesWithTwoAndFourByteOffsets() {
        // "abcd", copy 4 from offset 4 (2-byte form), copy 3 from offset 2 (4-byte form)
        byte[] in = bytes(11, 3 << 2, 'a', 'b', 'c', 'd', 0x02 | (4 - 1) << 2, 4, 0, 0x03 | (3 - 1) << 2, 2, 0, 0, 0);
        assertTrue(ascii(decompress(in, 11)).equals("abcdabcdcdc"));
    }

    @Test
    void agreesWithSnappyJavaOnRandomData() throws IOException {
        Random rnd = new Random(11);
        for (int t = 0; t < 50; t++) {
            byte[] data = new byte[rnd.nextInt(100_000)];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt() : 'a' + (i / (1 + t)) % 7);
            }
            byte[] compressed = org.xerial.snappy.Snappy.compress(data);
            assertArrayEquals(data, decompress(compressed, data.length));
        }
    }

    @Test
    void malformedInputFailsCleanly() {
        byte[][] bad = {
            bytes(),                                  // no length
            bytes(0x80, 0x80),                        // truncated varint
            bytes(5, 4 << 2, 'a'),                    // literal past the input
            bytes(3, 4 << 2, 'a', 'b', 'c', 'd', 'e'), // literal past the output
            bytes(4, 0, 'a', 0x01, 0),                // offset 0
            bytes(6, 0, 'a', 0x01, 5),                // offset past the output start
            bytes(4, 0, 'a', 0x02 | 10 << 2, 1, 0),   // copy past the output
            bytes(4, 0, 'a', 0x03, 1),                // 4-byte offset truncated
            bytes(9, 0, 'a'),                         // ends short of the declared length
            bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0),   // length mismatch
        };
        for (byte[] in : bad) {
            int expected = in.length > 0 && in[0] >= 0 ? in[0] : 4;
            ParquetException e = assertThrows(ParquetException.class, () -> decompress(in, expected));
            assertTrue(e.getMessage().startsWith("t.parquet: page 0: "), e.getMessage());
        }
    }
}
