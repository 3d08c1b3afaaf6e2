package dev.jattr.batch.parquet;

/**
 * Encodes small non-negative integers (repetition and definition levels) in Parquet's
 * RLE/bit-packed hybrid: a run of eight or more equal values becomes an RLE run, anything else
 * is bit-packed eight values at a time, least significant bit first.
 */
final class RleEncoder {
    private static final int MAX_GROUPS = 63; // keeps a bit-packed header in one varint byte

    private RleEncoder() {}

    /** The bits needed for values up to {@code max}. */
    static int bitWidth(int max) {
        return 32 - Integer.numberOfLeadingZeros(max);
    }

    static void encode(byte[] values, int count, int bitWidth, ByteSink out) {
        int i = 0;
        while (i < count) {
            int run = runLength(values, i, count);
            if (run >= 8) {
                out.writeUnsignedVarint((long) run << 1);
                int v = values[i];
                for (int b = 0; b < bitWidth; b += 8) {
                    out.writeByte(v >>> b);
                }
                i += run;
                continue;
            }
            int start = i;
            int groups = 0;
            do {
                i += 8;
                groups++;
            } while (i < count && groups < MAX_GROUPS && runLength(values, i, count) < 8);
            out.writeUnsignedVarint((long) groups << 1 | 1);
            long acc = 0;
            int bits = 0;
            for (int k = start; k < start + groups * 8; k++) {
                acc |= (long) (k < count ? values[k] : 0) << bits;
                bits += bitWidth;
                while (bits >= 8) {
                    out.writeByte((int) acc);
                    acc >>>= 8;
                    bits -= 8;
                }
            }
        }
    }

    private static int runLength(byte[] values, int from, int count) {
        int j = from + 1;
        while (j < count && values[j] == values[from]) {
            j++;
        }
        return j - from;
    }
}
