package dev.jattr.batch.parquet;

import dev.jattr.batch.parquet.Footer.PageHeader;
import dev.jattr.batch.parquet.ReadableColumns.Plan;
import java.nio.charset.StandardCharsets;

/**
 * Walks one column chunk, held whole in memory, entry by entry: each entry is a repetition and
 * a definition level, and a value when the definition level is the maximum. Pages are decoded
 * one at a time, levels and dictionary indices lazily, so memory follows the chunk's bytes,
 * never the counts it declares.
 */
final class ColumnCursor {
    private static final int PLAIN = 0;
    private static final int PLAIN_DICTIONARY = 2;
    private static final int RLE = 3;
    private static final int RLE_DICTIONARY = 8;
    private static final int DELTA_BINARY_PACKED = 5;
    private static final int DELTA_LENGTH_BYTE_ARRAY = 6;
    private static final int DELTA_BYTE_ARRAY = 7;

    private final String where;
    private final Plan plan;
    private final ParquetType type;
    private final int codec;
    private final byte[] chunk;
    private int chunkPos;
    private long valuesLeft;
    private int pageIndex;

    private Object dictionary;
    private int dictionarySize;

    private int levelsLeft;
    private RleDecoder reps;
    private RleDecoder defs;
    private RleDecoder indices;
    private int encoding;
    private DeltaDecoder delta;
    private DeltaDecoder suffixes;
    private byte[] previous;
    private byte[] page;
    private int valuePos;
    private int valueEnd;
    private String pageWhere;

    private int rep;
    private int def;
    private boolean peeked;
    private int peekRep;
    private int peekDef;

    ColumnCursor(String where, Plan plan, int codec, byte[] chunk, long numValues) {
        this.where = where;
        this.plan = plan;
        this.type = plan.column().type().isList() ? elementOf(plan.column().type()) : plan.column().type();
        this.codec = codec;
        this.chunk = chunk;
        this.valuesLeft = numValues;
    }

    static ParquetType elementOf(ParquetType list) {
        return switch (list) {
            case INT32_LIST -> ParquetType.INT32;
            case INT64_LIST -> ParquetType.INT64;
            case FLOAT_LIST -> ParquetType.FLOAT;
            case DOUBLE_LIST -> ParquetType.DOUBLE;
            default -> list;
        };
    }

    String where() {
        return pageWhere == null ? where : pageWhere;
    }

    int rep() {
        return rep;
    }

    int def() {
        return def;
    }

    /** Moves to the next entry; false at the end of the chunk. */
    boolean next() {
        if (peeked) {
            peeked = false;
            rep = peekRep;
            def = peekDef;
            return true;
        }
        if (!readEntry()) {
            return false;
        }
        rep = peekRep;
        def = peekDef;
        return true;
    }

    /** The repetition level of the entry after the current one, or -1 at the end of the chunk. */
    int peekRep() {
        if (!peeked) {
            if (!readEntry()) {
                return -1;
            }
            peeked = true;
        }
        return peekRep;
    }

    private boolean readEntry() {
        while (levelsLeft == 0) {
            if (!loadPage()) {
                return false;
            }
        }
        levelsLeft--;
        peekRep = reps == null ? 0 : reps.next();
        peekDef = defs == null ? 0 : defs.next();
        if (peekRep > plan.maxRep() || peekDef > plan.maxDef()) {
            throw new ParquetException(pageWhere + ": level " + Math.max(peekRep, peekDef) + " exceeds the schema's maximum");
        }
        return true;
    }

    private boolean loadPage() {
        if (valuesLeft <= 0 || chunkPos >= chunk.length) {
            return false;
        }
        pageWhere = where + " page " + pageIndex;
        ThriftReader r = new ThriftReader(chunk, chunkPos, chunk.length, pageWhere + " header");
        PageHeader h = PageHeader.decode(r);
        int body = r.position();
        if (h.compressedSize() > chunk.length - body) {
            throw new ParquetException(pageWhere + " declares " + fmt(h.compressedSize()) + " bytes, but only "
                    + fmt(chunk.length - body) + " remain in its column chunk");
        }
        chunkPos = body + h.compressedSize();
        pageIndex++;
        switch (h.type()) {
            case PageHeader.DICTIONARY_PAGE -> readDictionary(h, body);
            case PageHeader.DATA_PAGE -> dataPageV1(h, body);
            case PageHeader.DATA_PAGE_V2 -> dataPageV2(h, body);
            default -> { } // index pages and unknown kinds carry no values
        }
        return true;
    }

    private void checkValueCount(PageHeader h) {
        if (h.numValues() < 0 || h.numValues() > valuesLeft) {
            throw new ParquetException(pageWhere + " declares " + fmt(h.numValues()) + " values, but its column chunk has "
                    + fmt(Math.max(valuesLeft, 0)) + " left");
        }
        valuesLeft -= h.numValues();
        levelsLeft = h.numValues();
    }

    private void dataPageV1(PageHeader h, int body) {
        checkValueCount(h);
        page = PageCodec.decompress(codec, chunk, body, h.compressedSize(), h.uncompressedSize(), pageWhere);
        int pos = 0;
        reps = null;
        defs = null;
        if (plan.maxRep() > 0) {
            int[] range = prefixedLevels(pos, h.repEncoding(), "repetition");
            reps = new RleDecoder(page, range[0], range[1], RleEncoder.bitWidth(plan.maxRep()), h.numValues(),
                    pageWhere + " repetition levels");
            pos = range[1];
        }
        if (plan.maxDef() > 0) {
            int[] range = prefixedLevels(pos, h.defEncoding(), "definition");
            defs = new RleDecoder(page, range[0], range[1], RleEncoder.bitWidth(plan.maxDef()), h.numValues(),
                    pageWhere + " definition levels");
            pos = range[1];
        }
        values(h, pos, page.length);
    }

    /** The byte range of v1 levels: a 4-byte little-endian length, then that many bytes. */
    private int[] prefixedLevels(int pos, int encoding, String kind) {
        if (encoding != RLE) {
            throw new ParquetException(pageWhere + ": " + kind + " levels in encoding " + encodingName(encoding)
                    + " are not supported");
        }
        if (page.length - pos < 4) {
            throw new ParquetException(pageWhere + ": " + kind + " levels run past the page");
        }
        long len = (page[pos] & 0xFFL) | (page[pos + 1] & 0xFFL) << 8 | (page[pos + 2] & 0xFFL) << 16
                | (page[pos + 3] & 0xFFL) << 24;
        if (len > page.length - pos - 4) {
            throw new ParquetException(pageWhere + ": " + kind + " levels declare " + fmt(len) + " bytes, but only "
                    + fmt(page.length - pos - 4) + " remain in the page");
        }
        return new int[] {pos + 4, pos + 4 + (int) len};
    }

    private void dataPageV2(PageHeader h, int body) {
        checkValueCount(h);
        int repLen = h.repLength();
        int defLen = h.defLength();
        if (repLen < 0 || defLen < 0 || (long) repLen + defLen > h.compressedSize()
                || (long) repLen + defLen > h.uncompressedSize()) {
            throw new ParquetException(pageWhere + ": level lengths " + repLen + " and " + defLen + " do not fit the page");
        }
        int levelEnd = body + repLen + defLen;
        reps = plan.maxRep() == 0 ? null : new RleDecoder(chunk, body, body + repLen,
                RleEncoder.bitWidth(plan.maxRep()), h.numValues(), pageWhere + " repetition levels");
        defs = plan.maxDef() == 0 ? null : new RleDecoder(chunk, body + repLen, levelEnd,
                RleEncoder.bitWidth(plan.maxDef()), h.numValues(), pageWhere + " definition levels");
        int dataLen = h.compressedSize() - repLen - defLen;
        int size = h.uncompressedSize() - repLen - defLen;
        boolean compressed = h.compressed() && codec != PageCodec.UNCOMPRESSED;
        page = PageCodec.decompress(compressed ? codec : PageCodec.UNCOMPRESSED, chunk, levelEnd, dataLen,
                compressed ? size : dataLen, pageWhere);
        values(h, 0, page.length);
    }

    private void values(PageHeader h, int from, int to) {
        valuePos = from;
        valueEnd = to;
        encoding = h.encoding();
        indices = null;
        String what = pageWhere + " " + encodingName(encoding) + " values";
        boolean strings = type == ParquetType.STRING;
        switch (encoding) {
            case PLAIN -> { }
            case PLAIN_DICTIONARY, RLE_DICTIONARY -> {
                if (dictionary == null) {
                    throw new ParquetException(pageWhere + ": dictionary-encoded page without a dictionary page");
                }
                if (from >= to) {
                    throw new ParquetException(pageWhere + ": dictionary indices lack their bit width");
                }
                indices = new RleDecoder(page, from + 1, to, page[from] & 0xFF, h.numValues(),
                        pageWhere + " dictionary indices");
            }
            case DELTA_BINARY_PACKED -> {
                if (strings) {
                    throw unsupportedEncoding();
                }
                delta = new DeltaDecoder(page, from, to, h.numValues(), what);
            }
            case DELTA_LENGTH_BYTE_ARRAY -> {
                if (!strings) {
                    throw unsupportedEncoding();
                }
                valuePos = new DeltaDecoder(page, from, to, h.numValues(), what).end();
                delta = new DeltaDecoder(page, from, to, h.numValues(), what);
            }
            case DELTA_BYTE_ARRAY -> {
                if (!strings) {
                    throw unsupportedEncoding();
                }
                int suffixAt = new DeltaDecoder(page, from, to, h.numValues(), what).end();
                valuePos = new DeltaDecoder(page, suffixAt, to, h.numValues(), what).end();
                delta = new DeltaDecoder(page, from, to, h.numValues(), what);
                suffixes = new DeltaDecoder(page, suffixAt, to, h.numValues(), what);
                previous = new byte[0];
            }
            default -> throw unsupportedEncoding();
        }
    }

    private ParquetException unsupportedEncoding() {
        return new ParquetException(pageWhere + ": value encoding " + encodingName(encoding) + " of "
                + ReadableColumns.physicalName(type.physicalType()) + " is not supported");
    }

    private void readDictionary(PageHeader h, int body) {
        if (dictionary != null) {
            throw new ParquetException(pageWhere + ": a second dictionary page");
        }
        if (h.encoding() != PLAIN && h.encoding() != PLAIN_DICTIONARY) {
            throw new ParquetException(pageWhere + ": dictionary encoding " + encodingName(h.encoding()) + " is not supported");
        }
        page = PageCodec.decompress(codec, chunk, body, h.compressedSize(), h.uncompressedSize(), pageWhere);
        int n = h.numValues();
        if (n < 0 || (long) n * type.minPlainBytes() > page.length) {
            throw new ParquetException(pageWhere + ": dictionary declares " + fmt(n) + " values, but has only "
                    + fmt(page.length) + " bytes");
        }
        valuePos = 0;
        valueEnd = page.length;
        encoding = PLAIN;
        dictionary = switch (type) {
            case INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = plainInt();
                }
                yield a;
            }
            case INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = plainLong();
                }
                yield a;
            }
            case FLOAT -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Float.intBitsToFloat(plainInt());
                }
                yield a;
            }
            case DOUBLE -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Double.longBitsToDouble(plainLong());
                }
                yield a;
            }
            default -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    a[i] = plainString();
                }
                yield a;
            }
        };
        dictionarySize = n;
    }

    private int index() {
        int i = indices.next();
        if (i < 0 || i >= dictionarySize) {
            throw new ParquetException(pageWhere + ": dictionary index " + (i & 0xFFFFFFFFL) + " is not below the "
                    + dictionarySize + " entries");
        }
        return i;
    }

    private void need(int bytes) {
        if (bytes > valueEnd - valuePos) {
            throw new ParquetException(pageWhere + ": values end early (" + bytes + " more bytes needed, "
                    + (valueEnd - valuePos) + " remain)");
        }
    }

    private int plainInt() {
        need(4);
        int p = valuePos;
        valuePos += 4;
        return (page[p] & 0xFF) | (page[p + 1] & 0xFF) << 8 | (page[p + 2] & 0xFF) << 16 | (page[p + 3] & 0xFF) << 24;
    }

    private long plainLong() {
        long lo = plainInt() & 0xFFFFFFFFL;
        return lo | (long) plainInt() << 32;
    }

    private String plainString() {
        int len = plainInt();
        if (len < 0) {
            throw new ParquetException(pageWhere + ": string of negative length " + len);
        }
        need(len);
        String s = new String(page, valuePos, len, StandardCharsets.UTF_8);
        valuePos += len;
        return s;
    }

    int intValue() {
        return switch (encoding) {
            case PLAIN -> plainInt();
            case DELTA_BINARY_PACKED -> (int) delta.next();
            default -> ((int[]) dictionary)[index()];
        };
    }

    long longValue() {
        return switch (encoding) {
            case PLAIN -> plainLong();
            case DELTA_BINARY_PACKED -> delta.next();
            default -> ((long[]) dictionary)[index()];
        };
    }

    float floatValue() {
        return encoding == PLAIN ? Float.intBitsToFloat(plainInt()) : ((float[]) dictionary)[index()];
    }

    double doubleValue() {
        return encoding == PLAIN ? Double.longBitsToDouble(plainLong()) : ((double[]) dictionary)[index()];
    }

    String stringValue() {
        return switch (encoding) {
            case PLAIN -> plainString();
            case DELTA_LENGTH_BYTE_ARRAY -> {
                int len = length(delta.next());
                need(len);
                valuePos += len;
                yield new String(page, valuePos - len, len, StandardCharsets.UTF_8);
            }
            case DELTA_BYTE_ARRAY -> {
                long prefix = delta.next();
                int suffix = length(suffixes.next());
                if (prefix < 0 || prefix > previous.length) {
                    throw new ParquetException(pageWhere + ": prefix length " + prefix + " exceeds the previous value's "
                            + previous.length + " bytes");
                }
                need(suffix);
                byte[] value = java.util.Arrays.copyOf(previous, (int) prefix + suffix);
                System.arraycopy(page, valuePos, value, (int) prefix, suffix);
                valuePos += suffix;
                previous = value;
                yield new String(value, StandardCharsets.UTF_8);
            }
            default -> ((String[]) dictionary)[index()];
        };
    }

    private int length(long n) {
        if (n < 0 || n > valueEnd - valuePos) {
            throw new ParquetException(pageWhere + ": value length " + n + ", but only " + (valueEnd - valuePos)
                    + " bytes remain");
        }
        return (int) n;
    }

    /** The current entry's value, boxed as its column's Java type. */
    Object scalarValue() {
        return switch (type) {
            case INT32 -> intValue();
            case INT64 -> longValue();
            case FLOAT -> floatValue();
            case DOUBLE -> doubleValue();
            default -> stringValue();
        };
    }

    static String encodingName(int encoding) {
        return switch (encoding) {
            case 0 -> "PLAIN";
            case 2 -> "PLAIN_DICTIONARY";
            case 3 -> "RLE";
            case 4 -> "BIT_PACKED";
            case 5 -> "DELTA_BINARY_PACKED";
            case 6 -> "DELTA_LENGTH_BYTE_ARRAY";
            case 7 -> "DELTA_BYTE_ARRAY";
            case 8 -> "RLE_DICTIONARY";
            case 9 -> "BYTE_STREAM_SPLIT";
            default -> "#" + encoding;
        };
    }

    static String fmt(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

}
