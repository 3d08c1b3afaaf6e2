package dev.jattr.batch.parquet;

/**
 * Decodes Parquet's RLE/bit-packed hybrid from untrusted bytes, one value at a time, so that a
 * run that claims billions of values costs nothing until they are read. It yields exactly
 * {@code count} values; runs past that are cut, and data that ends before it is an error.
 */
final class RleDecoder {
    private final byte[] buf;
    private final int end;
    private final int bitWidth;
    private final String where;
    private final int count;
    private int pos;
    private int produced;
    private int runLeft;
    private boolean packed;
    private int runValue;
    private long bitOffset;

    RleDecoder(byte[] buf, int pos, int end, int bitWidth, int count, String where) {
        if (bitWidth < 0 || bitWidth > 32) {
            throw new ParquetException(where + ": bit width " + bitWidth + " is out of range");
        }
        this.buf = buf;
        this.pos = pos;
        this.end = end;
        this.bitWidth = bitWidth;
        this.count = count;
        this.where = where;
    }

    int next() {
        if (produced == count) {
            throw new ParquetException(where + ": more than the declared " + count + " values are needed");
        }
        produced++;
        if (bitWidth == 0) {
            return 0;
        }
        if (runLeft == 0) {
            readRun();
        }
        runLeft--;
        if (!packed) {
            return runValue;
        }
        int v = unpack(bitOffset);
        bitOffset += bitWidth;
        return v;
    }

    /** Reads run headers until one yields values; empty runs are skipped (each costs a byte). */
    private void readRun() {
        long wanted = count - (produced - 1);
        while (runLeft == 0) {
            long header = readHeader();
            if ((header & 1) == 1) {
                long declared = (header >>> 1) * 8;
                int n = (int) Math.min(declared, wanted);
                long needBytes = ((long) n * bitWidth + 7) / 8;
                if (needBytes > end - pos) {
                    throw new ParquetException(where + ": bit-packed run of " + n + " values needs " + needBytes
                            + " bytes, but only " + (end - pos) + " remain");
                }
                packed = true;
                bitOffset = (long) pos * 8;
                runLeft = n;
                pos += (int) Math.min((header >>> 1) * bitWidth, end - pos);
            } else {
                int width = (bitWidth + 7) / 8;
                if (width > end - pos) {
                    throw new ParquetException(where + ": RLE run value needs " + width + " bytes, but only "
                            + (end - pos) + " remain");
                }
                long v = 0;
                for (int i = 0; i < width; i++) {
                    v |= (long) (buf[pos++] & 0xFF) << (8 * i);
                }
                if (bitWidth < 32 && v >>> bitWidth != 0) {
                    throw new ParquetException(where + ": RLE run value " + v + " does not fit in " + bitWidth + " bits");
                }
                packed = false;
                runValue = (int) v;
                runLeft = (int) Math.min(header >>> 1, wanted);
            }
        }
    }

    private long readHeader() {
        long header = 0;
        for (int shift = 0; ; shift += 7) {
            if (pos >= end) {
                throw new ParquetException(where + ": encoded data ends after " + (produced - 1) + " of " + count + " values");
            }
            int b = buf[pos++] & 0xFF;
            header |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return header;
            }
            if (shift >= 28) {
                throw new ParquetException(where + ": run header longer than 5 bytes");
            }
        }
    }

    private int unpack(long bit) {
        int at = (int) (bit >>> 3);
        int shift = (int) (bit & 7);
        long acc = 0;
        int need = (shift + bitWidth + 7) / 8;
        for (int i = 0; i < need && at + i < end; i++) {
            acc |= (long) (buf[at + i] & 0xFF) << (8 * i);
        }
        return (int) ((acc >>> shift) & ((1L << bitWidth) - 1));
    }
}
