package dev.jattr.batch.parquet;

/**
 * Decodes Parquet's DELTA_BINARY_PACKED integers lazily from untrusted bytes: a header (block
 * size, miniblocks per block, value count, first value), then blocks of a minimum delta, one bit
 * width per miniblock, and the bit-packed deltas. Nothing is allocated per value or per block.
 */
final class DeltaDecoder {
    private final byte[] buf;
    private final int end;
    private final String where;
    private final int miniblocks;
    private final int perMiniblock;
    private final int total;
    private int pos;
    private int produced;
    private long last;
    private long minDelta;
    private int widthsAt;
    private int miniblock;
    private int width;
    private int leftInMiniblock;
    private long bit;

    /** Reads the header at {@code pos}; the stream may declare at most {@code maxCount} values. */
    DeltaDecoder(byte[] buf, int pos, int end, int maxCount, String where) {
        this.buf = buf;
        this.pos = pos;
        this.end = end;
        this.where = where;
        long blockSize = varint();
        long minis = varint();
        long count = varint();
        if (blockSize <= 0 || blockSize % 128 != 0 || blockSize > 1 << 20 || minis <= 0 || blockSize % minis != 0
                || (blockSize / minis) % 32 != 0) {
            throw new ParquetException(where + ": bad DELTA_BINARY_PACKED header (block " + blockSize + ", miniblocks "
                    + minis + ")");
        }
        if (count > maxCount) {
            throw new ParquetException(where + ": DELTA_BINARY_PACKED declares " + count + " values, more than the page's "
                    + maxCount);
        }
        this.miniblocks = (int) minis;
        this.perMiniblock = (int) (blockSize / minis);
        this.total = (int) count;
        this.last = zigzag(varint());
        this.miniblock = miniblocks;
    }

    private long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new ParquetException(where + ": DELTA_BINARY_PACKED data ends early");
            }
            int b = buf[pos++] & 0xFF;
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new ParquetException(where + ": DELTA_BINARY_PACKED varint longer than 10 bytes");
    }

    private static long zigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    long next() {
        if (produced == total) {
            throw new ParquetException(where + ": more than the " + total + " DELTA_BINARY_PACKED values are needed");
        }
        if (produced++ == 0) {
            return last;
        }
        if (leftInMiniblock == 0) {
            startMiniblock();
        }
        leftInMiniblock--;
        long delta = unpack(bit);
        bit += width;
        last += minDelta + delta;
        return last;
    }

    /** Skips the values not yet read and returns the offset just past the stream. */
    int end() {
        if (produced == 0 && total > 0) {
            produced = 1;
        }
        while (produced < total) {
            if (leftInMiniblock == 0) {
                startMiniblock();
            }
            produced += leftInMiniblock;
            leftInMiniblock = 0;
        }
        return pos;
    }

    private void startMiniblock() {
        if (miniblock == miniblocks) {
            minDelta = zigzag(varint());
            if (miniblocks > end - pos) {
                throw new ParquetException(where + ": DELTA_BINARY_PACKED bit widths run past the data");
            }
            widthsAt = pos;
            pos += miniblocks;
            miniblock = 0;
        }
        width = buf[widthsAt + miniblock++] & 0xFF;
        if (width > 64) {
            throw new ParquetException(where + ": DELTA_BINARY_PACKED bit width " + width);
        }
        int n = Math.min(perMiniblock, total - produced + 1);
        long needed = ((long) n * width + 7) / 8;
        if (needed > end - pos) {
            throw new ParquetException(where + ": DELTA_BINARY_PACKED miniblock needs " + needed + " bytes, but only "
                    + (end - pos) + " remain");
        }
        bit = (long) pos * 8;
        pos += (int) Math.min((long) perMiniblock * width / 8, end - pos);
        leftInMiniblock = n;
    }

    private long unpack(long at) {
        if (width == 0) {
            return 0;
        }
        int first = (int) (at >>> 3);
        int shift = (int) (at & 7);
        int bytes = (shift + width + 7) / 8;
        long acc = 0;
        for (int i = 0; i < Math.min(bytes, 8) && first + i < end; i++) {
            acc |= (buf[first + i] & 0xFFL) << (8 * i);
        }
        long v = acc >>> shift;
        if (bytes == 9 && first + 8 < end) {
            v |= (buf[first + 8] & 0xFFL) << (64 - shift);
        }
        return width == 64 ? v : v & ((1L << width) - 1);
    }
}
