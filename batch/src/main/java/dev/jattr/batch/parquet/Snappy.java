package dev.jattr.batch.parquet;

/**
 * Decompresses a raw Snappy block (the format Parquet's SNAPPY codec stores per page): a varint
 * of the uncompressed length, then literals and back-references. Every length and offset is
 * checked, so malformed input ends in a {@link ParquetException}.
 */
final class Snappy {
    private Snappy() {}

    /**
     * Decompresses {@code in[off, off + len)}, which must expand to exactly {@code expected} bytes.
     *
     * @param where names the page, for messages
     */
    static byte[] decompress(byte[] in, int off, int len, int expected, String where) {
        int end = off + len;
        int pos = off;
        long declared = 0;
        for (int shift = 0; ; shift += 7) {
            if (pos >= end || shift > 28) {
                throw new ParquetException(where + ": bad Snappy length header");
            }
            int b = in[pos++] & 0xFF;
            declared |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (declared != expected) {
            throw new ParquetException(where + ": Snappy data expands to " + declared + " bytes, but the page declares "
                    + expected);
        }
        byte[] out = new byte[expected];
        int o = 0;
        while (pos < end) {
            int tag = in[pos++] & 0xFF;
            int kind = tag & 3;
            if (kind == 0) {
                long n = tag >>> 2;
                if (n >= 60) {
                    int bytes = (int) n - 59;
                    if (bytes > end - pos) {
                        throw new ParquetException(where + ": Snappy literal length runs past the input");
                    }
                    n = 0;
                    for (int i = 0; i < bytes; i++) {
                        n |= (long) (in[pos++] & 0xFF) << (8 * i);
                    }
                }
                n++;
                if (n > end - pos || n > out.length - o) {
                    throw new ParquetException(where + ": Snappy literal of " + n + " bytes runs past the "
                            + (n > end - pos ? "input" : "output"));
                }
                System.arraycopy(in, pos, out, o, (int) n);
                pos += (int) n;
                o += (int) n;
                continue;
            }
            int length;
            long offset;
            if (kind == 1) {
                if (pos >= end) {
                    throw new ParquetException(where + ": Snappy copy runs past the input");
                }
                length = 4 + ((tag >>> 2) & 7);
                offset = ((long) (tag >>> 5) << 8) | (in[pos++] & 0xFF);
            } else {
                int bytes = kind == 2 ? 2 : 4;
                if (bytes > end - pos) {
                    throw new ParquetException(where + ": Snappy copy runs past the input");
                }
                length = 1 + (tag >>> 2);
                offset = 0;
                for (int i = 0; i < bytes; i++) {
                    offset |= (long) (in[pos++] & 0xFF) << (8 * i);
                }
            }
            if (offset == 0 || offset > o) {
                throw new ParquetException(where + ": Snappy copy offset " + offset + " at output byte " + o
                        + " points outside the output");
            }
            if (length > out.length - o) {
                throw new ParquetException(where + ": Snappy copy of " + length + " bytes runs past the output");
            }
            int from = o - (int) offset;
            for (int i = 0; i < length; i++) {
                out[o++] = out[from + i];
            }
        }
        if (o != expected) {
            throw new ParquetException(where + ": Snappy data ends after " + o + " of " + expected + " bytes");
        }
        return out;
    }
}
