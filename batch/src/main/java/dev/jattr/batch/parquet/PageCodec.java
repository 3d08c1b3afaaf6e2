package dev.jattr.batch.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/** Decompresses one page with the column chunk's codec; the codecs that are not supported name themselves. */
final class PageCodec {
    static final int UNCOMPRESSED = 0;
    static final int SNAPPY = 1;
    static final int GZIP = 2;
    // Snappy expands at most ~21x (a 3-byte copy of 64 bytes); deflate at most ~1032x.
    private static final long SNAPPY_RATIO = 24;
    private static final long DEFLATE_RATIO = 1040;

    private PageCodec() {}

    static String name(int codec) {
        return switch (codec) {
            case 0 -> "UNCOMPRESSED";
            case 1 -> "SNAPPY";
            case 2 -> "GZIP";
            case 3 -> "LZO";
            case 4 -> "BROTLI";
            case 5 -> "LZ4";
            case 6 -> "ZSTD";
            case 7 -> "LZ4_RAW";
            default -> "#" + codec;
        };
    }

    static boolean supported(int codec) {
        return codec == UNCOMPRESSED || codec == SNAPPY || codec == GZIP;
    }

    /** Decompresses {@code in[off, off + len)} to exactly {@code size} bytes. */
    static byte[] decompress(int codec, byte[] in, int off, int len, int size, String where) {
        switch (codec) {
            case UNCOMPRESSED -> {
                if (len != size) {
                    throw new ParquetException(where + ": uncompressed page of " + len + " bytes declares " + size);
                }
                return Arrays.copyOfRange(in, off, off + len);
            }
            case SNAPPY -> {
                checkRatio(len, size, SNAPPY_RATIO, "SNAPPY", where);
                return Snappy.decompress(in, off, len, size, where);
            }
            case GZIP -> {
                checkRatio(len, size, DEFLATE_RATIO, "GZIP", where);
                return gunzip(in, off, len, size, where);
            }
            default -> throw new ParquetException(where + ": compression codec " + name(codec) + " is not supported");
        }
    }

    private static void checkRatio(int len, int size, long ratio, String codec, String where) {
        if (size > ratio * len + 64) {
            throw new ParquetException(where + ": " + len + " bytes of " + codec + " data cannot expand to the declared "
                    + size + " bytes");
        }
    }

    private static byte[] gunzip(byte[] in, int off, int len, int size, String where) {
        // grow as the data really expands: the declared size is only an upper bound until proven
        byte[] out = new byte[Math.min(size, Math.max(1024, 4 * len))];
        int n = 0;
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(in, off, len), 8192)) {
            while (true) {
                if (n == out.length) {
                    if (n == size) {
                        if (gz.read() != -1) {
                            throw new ParquetException(where + ": GZIP data expands past the declared " + size + " bytes");
                        }
                        break;
                    }
                    out = Arrays.copyOf(out, (int) Math.min(size, 2L * n));
                }
                int r = gz.read(out, n, out.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ParquetException p) {
                throw p;
            }
            throw new ParquetException(where + ": bad GZIP data (" + e.getMessage() + ")", e);
        }
        if (n != size) {
            throw new ParquetException(where + ": GZIP data expands to " + n + " bytes, but the page declares " + size);
        }
        return out;
    }
}
