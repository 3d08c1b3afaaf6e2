package dev.jattr.batch.parquet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of Parquet's {@code FileMetaData} that the reader uses, decoded from untrusted
 * Thrift. Fields the reader does not need are skipped; a required field that is missing is an
 * error.
 */
record Footer(List<SchemaElement> schema, long numRows, List<RowGroup> rowGroups, Map<String, String> keyValue,
        String createdBy) {

    /** One node of the flattened schema tree; absent optional ints are -1. */
    record SchemaElement(int type, int repetition, String name, int numChildren, int convertedType, int logicalType) {}

    /** A column chunk's {@code ColumnMetaData}; {@code dictionaryPageOffset} is -1 when absent. */
    record ColumnMeta(int type, List<String> path, int codec, long numValues, long totalCompressedSize,
            long dataPageOffset, long dictionaryPageOffset, String filePath) {}

    record RowGroup(List<ColumnMeta> columns, long numRows) {}

    static Footer decode(byte[] bytes, String file) {
        ThriftReader r = new ThriftReader(bytes, 0, bytes.length, file + ": footer");
        r.beginStruct();
        List<SchemaElement> schema = null;
        long numRows = -1;
        List<RowGroup> rowGroups = null;
        Map<String, String> kv = new LinkedHashMap<>();
        String createdBy = "";
        for (int f; (f = r.nextField()) != ThriftReader.STOP; ) {
            switch (f) {
                case 2 -> schema = r.list(() -> schemaElement(r));
                case 3 -> numRows = r.i64();
                case 4 -> rowGroups = r.list(() -> rowGroup(r));
                case 5 -> r.list(() -> {
                    keyValue(r, kv);
                    return null;
                });
                case 6 -> createdBy = r.string();
                default -> r.skip();
            }
        }
        if (schema == null || rowGroups == null || numRows < 0) {
            throw r.error("FileMetaData lacks its schema, row groups or a non-negative row count");
        }
        return new Footer(schema, numRows, rowGroups, Collections.unmodifiableMap(kv), createdBy);
    }

    private static SchemaElement schemaElement(ThriftReader r) {
        r.beginStruct();
        int type = -1;
        int repetition = -1;
        String name = null;
        int children = -1;
        int converted = -1;
        int logical = -1;
        for (int f; (f = r.nextField()) != ThriftReader.STOP; ) {
            switch (f) {
                case 1 -> type = r.i32();
                case 3 -> repetition = r.i32();
                case 4 -> name = r.string();
                case 5 -> children = r.i32();
                case 6 -> converted = r.i32();
                case 10 -> logical = unionField(r);
                default -> r.skip();
            }
        }
        if (name == null) {
            throw r.error("a schema element has no name");
        }
        return new SchemaElement(type, repetition, name, children, converted, logical);
    }

    /** The id of the one field set in a Thrift union (its value is skipped). */
    private static int unionField(ThriftReader r) {
        r.beginStruct();
        int which = -1;
        for (int f; (f = r.nextField()) != ThriftReader.STOP; ) {
            which = f;
            r.skip();
        }
        return which;
    }

    private static RowGroup rowGroup(ThriftReader r) {
        r.beginStruct();
        List<ColumnMeta> columns = null;
        long numRows = -1;
        for (int f; (f = r.nextField()) != ThriftReader.STOP; ) {
            switch (f) {
                case 1 -> columns = r.list(() -> columnChunk(r));
                case 3 -> numRows = r.i64();
                default -> r.skip();
            }
        }
        if (columns == null || numRows < 0) {
            throw r.error("a row group lacks its columns or a non-negative row count");
        }
        return new RowGroup(columns, numRows);
    }

    private static ColumnMeta columnChunk(ThriftReader r) {
        r.beginStruct();
        ColumnMeta meta = null;
        String filePath = null;
        for (int f; (f = r.nextField()) != ThriftReader.STOP; ) {
            switch (f) {
                case 1 -> filePath = r.string();
                case 3 -> meta = columnMeta(r);
                default -> r.skip();
            }
        }
        if (meta == null) {
            // encrypted column metadata, or a broken file: the reader reports it if the column is read
            return new ColumnMeta(-1, List.of(), -1, -1, -1, -1, -1, filePath);
        }
        return new ColumnMeta(meta.type(), meta.path(), meta.codec(), meta.numValues(), meta.totalCompressedSize(),
                meta.dataPageOffset(), meta.dictionaryPageOffset(), filePath);
    }

    private static ColumnMeta columnMeta(ThriftReader r) {
        r.beginStruct();
        int type = -1;
        List<String> path = List.of();
        int codec = -1;
        long numValues = -1;
        long compressed = -1;
        long dataOffset = -1;
        long dictOffset = -1;
        for (int f; (f = r.nextField()) != ThriftReader.STOP; ) {
            switch (f) {
                case 1 -> type = r.i32();
                case 3 -> path = r.list(r::string);
                case 4 -> codec = r.i32();
                case 5 -> numValues = r.i64();
                case 7 -> compressed = r.i64();
                case 9 -> dataOffset = r.i64();
                case 11 -> dictOffset = r.i64();
                default -> r.skip();
            }
        }
        return new ColumnMeta(type, List.copyOf(path), codec, numValues, compressed, dataOffset, dictOffset, null);
    }

    private static void keyValue(ThriftReader r, Map<String, String> kv) {
        r.beginStruct();
        String key = null;
        String value = null;
        for (int f; (f = r.nextField()) != ThriftReader.STOP; ) {
            switch (f) {
                case 1 -> key = r.string();
                case 2 -> value = r.string();
                default -> r.skip();
            }
        }
        if (key != null) {
            kv.put(key, value);
        }
    }

    /** A decoded {@code PageHeader}; the sub-header fields that do not apply are -1. */
    record PageHeader(int type, int uncompressedSize, int compressedSize, int numValues, int encoding,
            int defEncoding, int repEncoding, int defLength, int repLength, boolean compressed) {
        static final int DATA_PAGE = 0;
        static final int DICTIONARY_PAGE = 2;
        static final int DATA_PAGE_V2 = 3;

        static PageHeader decode(ThriftReader r) {
            r.beginStruct();
            int type = -1;
            int uncompressed = -1;
            int compressedSize = -1;
            int[] sub = {-1, -1, -1, -1, -1, -1, 1};
            for (int f; (f = r.nextField()) != ThriftReader.STOP; ) {
                switch (f) {
                    case 1 -> type = r.i32();
                    case 2 -> uncompressed = r.i32();
                    case 3 -> compressedSize = r.i32();
                    case 5 -> subHeader(r, sub, new int[] {0, 1, 2, 3});
                    case 7 -> subHeader(r, sub, new int[] {0, 1});
                    case 8 -> subHeader(r, sub, new int[] {0, -1, -1, 1, 4, 5, 6});
                    default -> r.skip();
                }
            }
            if (type < 0 || uncompressed < 0 || compressedSize < 0) {
                throw r.error("page header lacks its type or has a negative size");
            }
            return new PageHeader(type, uncompressed, compressedSize, sub[0], sub[1], sub[2], sub[3], sub[4], sub[5],
                    sub[6] != 0);
        }

        /**
         * Reads a data, dictionary or v2 data page header: its field {@code i + 1} goes to
         * {@code out[slots[i]]} (slots: 0 num_values, 1 encoding, 2 def encoding, 3 rep encoding,
         * 4 def length, 5 rep length, 6 is_compressed).
         */
        private static void subHeader(ThriftReader r, int[] out, int[] slots) {
            r.beginStruct();
            for (int f; (f = r.nextField()) != ThriftReader.STOP; ) {
                int slot = f >= 1 && f <= slots.length ? slots[f - 1] : -1;
                if (slot == 6) {
                    out[6] = r.bool() ? 1 : 0;
                } else if (slot >= 0) {
                    out[slot] = r.i32();
                } else {
                    r.skip();
                }
            }
        }
    }
}
