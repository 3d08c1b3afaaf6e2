package dev.jattr.graph.io;

import dev.jattr.testing.NpyBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.graph.DType;
import dev.jattr.graph.Tensor;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The .npy header is read as a Python literal and checked field by field, before any allocation. */
class NpyHeaderTest {
    private static String failure(byte[] file) {
        return assertThrows(IllegalArgumentException.class, () -> Npy.parse(file, "x.npy")).getMessage();
    }

    @Test
    void duplicateKeysAndDecoyTextCannotChangeTheDtype() {
        byte[] data = NpyBytes.floats(1, 2);
        assertEquals("x.npy: the header is not a valid Python dictionary: key 'descr' appears twice at character 56",
                failure(NpyBytes.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'descr': '<f8', }", data)));
        // 'descr' inside another value is text, not a field: the dtype stays float32 and the
        // value of fortran_order is checked as what it is.
        String decoy = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'note': \"'descr': '<f8'\"}";
        assertTrue(failure(NpyBytes.npy(1, decoy, data)).startsWith("x.npy: header field 'note' is unknown"));
        String quoted = "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f4\"}";
        assertArrayEquals(new float[] {1, 2}, Npy.parse(NpyBytes.npy(1, quoted, data), "x.npy").floats());
    }

    @Test
    void aHugeDeclaredShapeFailsBeforeAllocating() {
        byte[] file = NpyBytes.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 32768), }", new byte[0]);
        assertEquals(128, file.length);
        assertEquals("x.npy: header field 'shape' (65536, 32768) declares 2147483648 elements, more than one array may hold"
                + " (2147483647)", failure(file));
        byte[] fits = NpyBytes.npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647,), }", new byte[0]);
        assertEquals("x.npy: header field 'shape' (2147483647,) of float64 needs 17179869176 data bytes, but the file holds 0"
                + " (truncated?)", failure(fits));
        assertTrue(failure(NpyBytes.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999, 0), }",
                new byte[0])).contains("header field 'shape'"));
        assertTrue(failure(NpyBytes.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }",
                new byte[0])).contains("header field 'shape'"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
            "{'fortran_order': False, 'shape': (2,)};header field 'descr' is missing",
            "{'descr': '<f4', 'shape': (2,)};header field 'fortran_order' is missing",
            "{'descr': '<f4', 'fortran_order': False};header field 'shape' is missing",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1};header field 'extra' is unknown",
            "{'descr': 4, 'fortran_order': False, 'shape': (2,)};header field 'descr' must be a dtype string",
            "{'descr': '<U5', 'fortran_order': False, 'shape': (2,)};header field 'descr' is '<U5' (unicode strings)",
            "{'descr': '|O', 'fortran_order': False, 'shape': (2,)};header field 'descr' is '|O' (Python objects)",
            "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)};header field 'descr' must be a dtype string",
            "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)};header field 'fortran_order' must be True or False",
            "{'descr': '<f4', 'fortran_order': False, 'shape': [2]};header field 'shape' must be a tuple",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2)};a parenthesised value is not a tuple",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)};header field 'shape' (-2,) has dimension -2",
            "{'descr': '<f4', 'fortran_order': False, 'shape': ('2',)};header field 'shape' ('2',) has dimension '2'",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2.0,)};'2.0' is not an integer",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (True,)};has dimension True",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }};after the end of the literal",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,;the literal ends early",
            "{'descr': '<f4, 'fortran_order': False, 'shape': (2,)};expected ',' or '}'",
            "['descr', '<f4'];the header is ['descr', '<f4'], not a dictionary",
            ";the literal ends early"})
    void badHeadersAreReportedByField(String header, String expected) {
        String m = failure(NpyBytes.npy(1, header == null ? "" : header, NpyBytes.floats(1, 2)));
        assertTrue(m.startsWith("x.npy: ") && m.contains(expected), m);
        assertTrue(!m.contains("For input string") && !m.contains("Exception"), m);
    }

    @Test
    void preambleVersionAndLengthAreChecked() {
        byte[] good = NpyBytes.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", NpyBytes.floats(1, 2));
        assertEquals("x.npy is not a .npy file (bad magic)", failure(new byte[] {1, 2, 3}));
        assertEquals("x.npy is empty, not a .npy file", failure(new byte[0]));
        assertEquals("x.npy is truncated: 4 bytes, shorter than the .npy preamble", failure(Arrays.copyOf(good, 4)));
        assertEquals("x.npy is truncated: 9 bytes, shorter than the .npy preamble", failure(Arrays.copyOf(good, 9)));
        byte[] v4 = good.clone();
        v4[6] = 4;
        assertEquals("x.npy: .npy format version 4.0 is not supported (versions 1.0, 2.0 and 3.0 are)", failure(v4));
        byte[] long1 = good.clone();
        long1[8] = (byte) 0xff;
        long1[9] = (byte) 0xff;
        assertEquals("x.npy: the header length 65535 runs past the end of the file (136 bytes)", failure(long1));
        byte[] v2 = NpyBytes.npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", NpyBytes.floats(1, 2));
        v2[8] = v2[9] = v2[10] = v2[11] = (byte) 0xff;
        assertEquals("x.npy: the header length 4294967295 runs past the end of the file (136 bytes)", failure(v2));
        byte[] extra = Arrays.copyOf(good, good.length + 4);
        assertTrue(failure(extra).endsWith("needs 8 data bytes, but the file holds 12 (extra bytes after the data)"));
    }

    @Test
    void validVariantsAreRead() {
        byte[] data = NpyBytes.floats(1, 2, 3, 4, 5, 6);
        for (int major = 1; major <= 3; major++) {
            for (String h : new String[] {
                    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                    "{ \"descr\" : \"<f4\" ,\n 'fortran_order':False,'shape':( 2 ,3 , ) }",
                    "{'shape': (2, 3), 'descr': '=f4', 'fortran_order': False}"}) {
                Tensor t = Npy.parse(NpyBytes.npy(major, h, data), "x.npy");
                assertEquals(DType.F32, t.dtype());
                assertArrayEquals(new int[] {2, 3}, t.shape());
                assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.floats());
            }
        }
        Tensor scalar = Npy.parse(NpyBytes.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", NpyBytes.floats(7)), "x.npy");
        assertArrayEquals(new int[0], scalar.shape());
        Tensor empty = Npy.parse(NpyBytes.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", new byte[0]), "x.npy");
        assertArrayEquals(new int[] {0, 4}, empty.shape());
    }

    @Test
    void fortranOrderIsRead() {
        // Column-major [[1, 2, 3], [4, 5, 6]] is stored 1, 4, 2, 5, 3, 6.
        Tensor t = Npy.parse(NpyBytes.npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", NpyBytes.floats(1, 4, 2, 5, 3, 6)), "x.npy");
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.floats());
        Tensor r3 = Npy.parse(NpyBytes.npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2, 3), }", NpyBytes.floats(1, 4, 2, 5, 3, 6)), "x.npy");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, r3.floats());
    }
}
