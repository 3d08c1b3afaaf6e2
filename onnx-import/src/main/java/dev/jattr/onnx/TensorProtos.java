package dev.jattr.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.jattr.graph.DType;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import dev.jattr.graph.Limits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/** Converts ONNX {@code TensorProto}s (inline, raw or external data) into {@link Tensor}s. */
public final class TensorProtos {
    private TensorProtos() {}

    /** ONNX TensorProto.DataType codes. */
    static final int FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7, STRING = 8, BOOL = 9,
            FLOAT16 = 10, DOUBLE = 11, UINT32 = 12, UINT64 = 13, BFLOAT16 = 16;

    /** The engine type ONNX data type {@code code} is held in, or a failure naming the type. */
    public static DType dtypeOf(int code, String where) {
        return switch (code) {
            case FLOAT, FLOAT16, BFLOAT16 -> DType.F32;
            case DOUBLE -> DType.F64;
            case INT64, UINT32, UINT64 -> DType.I64;
            case INT32, INT8, UINT8, INT16, UINT16 -> DType.I32;
            case BOOL -> DType.BOOL;
            default -> throw new UnsupportedModelException(where + ": tensor element type " + typeName(code) + " is not supported");
        };
    }

    /** ONNX's name of a data type code. */
    public static String typeName(int code) {
        return switch (code) {
            case FLOAT -> "float";
            case UINT8 -> "uint8";
            case INT8 -> "int8";
            case UINT16 -> "uint16";
            case INT16 -> "int16";
            case INT32 -> "int32";
            case INT64 -> "int64";
            case STRING -> "string";
            case BOOL -> "bool";
            case FLOAT16 -> "float16";
            case DOUBLE -> "double";
            case UINT32 -> "uint32";
            case UINT64 -> "uint64";
            case 14 -> "complex64";
            case 15 -> "complex128";
            case BFLOAT16 -> "bfloat16";
            default -> "type#" + code;
        };
    }

    /**
     * The tensor held by {@code t}; {@code baseDir} resolves external data files (may be null
     * when the model has none).
     */
    public static Tensor toTensor(TensorProto t, Path baseDir) {
        return toTensor(t, baseDir, "tensor '" + t.getName() + "'");
    }

    /**
     * The tensor held by {@code t}, with failures starting with {@code where} ("initializer 'w'",
     * say). The element count its dims declare is checked against the bytes or values actually
     * present before anything is allocated: a tensor must hold exactly one source of data (raw
     * bytes, one typed field, or external data) of exactly the size its dims need.
     */
    public static Tensor toTensor(TensorProto t, Path baseDir, String where) {
        int code = t.getDataType();
        DType dtype = dtypeOf(code, where);
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        for (long d : dims) {
            if (d < 0) {
                throw new UnsupportedModelException(where + ": dims " + Arrays.toString(dims) + " hold a negative dimension");
            }
        }
        long elements = Shapes.elements(dims);
        if (elements > Integer.MAX_VALUE - 8) {
            throw new UnsupportedModelException(where + ": dims " + Arrays.toString(dims) + " declare "
                    + (elements == Long.MAX_VALUE ? "2^63 or more" : String.valueOf(elements))
                    + " elements, more than a tensor can hold (2^31)");
        }
        int n = (int) elements;
        int width = width(code);
        int typed = t.getFloatDataCount() + t.getDoubleDataCount() + t.getInt32DataCount() + t.getInt64DataCount()
                + t.getUint64DataCount() + t.getStringDataCount();
        boolean external = t.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
        if (external && (t.hasRawData() || typed > 0) || t.hasRawData() && typed > 0) {
            throw new UnsupportedModelException(where + ": holds its data twice (" + (external ? "external data and " : "")
                    + (t.hasRawData() ? "raw_data" : "") + (t.hasRawData() && typed > 0 ? " and " : "")
                    + (typed > 0 ? "typed values" : "") + "); a tensor holds one of them");
        }
        ByteBuffer raw = null;
        if (external) {
            raw = ExternalData.map(t, baseDir, where, (long) n * width);
        } else if (t.hasRawData()) {
            if (t.getRawData().size() != (long) n * width) {
                throw new UnsupportedModelException(where + ": raw_data holds " + t.getRawData().size() + " bytes, its dims "
                        + Arrays.toString(dims) + " of " + typeName(code) + " need " + (long) n * width);
            }
            raw = t.getRawData().asReadOnlyByteBuffer();
        } else {
            checkTyped(t, code, n, where, Arrays.toString(dims));
        }
        allocatable(dims, where);
        Tensor r = Tensor.zeros(dtype, Shapes.fromLongs(dims));
        if (raw != null) {
            raw = raw.order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                int at = raw.position() + i * width;
                switch (code) {
                    case FLOAT -> r.floats()[i] = raw.getFloat(at);
                    case DOUBLE -> r.doubles()[i] = raw.getDouble(at);
                    case INT64, UINT64 -> r.longs()[i] = raw.getLong(at);
                    case UINT32 -> r.longs()[i] = raw.getInt(at) & 0xffffffffL;
                    case INT32 -> r.ints()[i] = raw.getInt(at);
                    case INT16 -> r.ints()[i] = raw.getShort(at);
                    case UINT16 -> r.ints()[i] = raw.getShort(at) & 0xffff;
                    case INT8 -> r.ints()[i] = raw.get(at);
                    case UINT8 -> r.ints()[i] = raw.get(at) & 0xff;
                    case BOOL -> r.bools()[i] = raw.get(at) != 0;
                    case FLOAT16 -> r.floats()[i] = Float.float16ToFloat(raw.getShort(at));
                    case BFLOAT16 -> r.floats()[i] = Float.intBitsToFloat((raw.getShort(at) & 0xffff) << 16);
                    default -> throw new AssertionError();
                }
            }
            return r;
        }
        for (int i = 0; i < n; i++) {
            switch (code) {
                case FLOAT -> r.floats()[i] = t.getFloatData(i);
                case DOUBLE -> r.doubles()[i] = t.getDoubleData(i);
                case INT64 -> r.longs()[i] = t.getInt64Data(i);
                case UINT32, UINT64 -> r.longs()[i] = t.getUint64Data(i);
                case BOOL -> r.bools()[i] = t.getInt32Data(i) != 0;
                case FLOAT16 -> r.floats()[i] = Float.float16ToFloat((short) t.getInt32Data(i));
                case BFLOAT16 -> r.floats()[i] = Float.intBitsToFloat(t.getInt32Data(i) << 16);
                default -> r.ints()[i] = t.getInt32Data(i);
            }
        }
        return r;
    }

    /** Fails unless the typed field ONNX keeps {@code code}'s values in holds exactly {@code n} of them, and no other holds any. */
    private static void checkTyped(TensorProto t, int code, int n, String where, String dims) {
        String field = switch (code) {
            case FLOAT -> "float_data";
            case DOUBLE -> "double_data";
            case INT64 -> "int64_data";
            case UINT32, UINT64 -> "uint64_data";
            default -> "int32_data";
        };
        int[] counts = {t.getFloatDataCount(), t.getDoubleDataCount(), t.getInt64DataCount(), t.getUint64DataCount(),
                t.getInt32DataCount(), t.getStringDataCount()};
        String[] names = {"float_data", "double_data", "int64_data", "uint64_data", "int32_data", "string_data"};
        for (int i = 0; i < names.length; i++) {
            if (!names[i].equals(field) && counts[i] > 0) {
                throw new UnsupportedModelException(where + ": a " + typeName(code) + " tensor holds " + names[i]
                        + " (its values belong in " + field + ")");
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(field) && counts[i] != n) {
                throw new UnsupportedModelException(where + ": " + field + " holds " + counts[i] + " values, its dims " + dims
                        + " need " + n);
            }
        }
    }

    /** Fails naming {@code where} when a tensor of {@code dims} would pass the per-tensor limit. */
    private static void allocatable(long[] dims, String where) {
        try {
            Limits.checkAllocation(dims);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException(where + ": " + e.getMessage(), e);
        }
    }

    /** The bytes one element of type {@code code} takes in raw data. */
    static int width(int code) {
        return switch (code) {
            case DOUBLE, INT64, UINT64 -> 8;
            case FLOAT, INT32, UINT32 -> 4;
            case INT16, UINT16, FLOAT16, BFLOAT16 -> 2;
            default -> 1;
        };
    }
}
