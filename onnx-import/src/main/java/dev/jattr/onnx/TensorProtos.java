package dev.jattr.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.jattr.graph.DType;
import dev.jattr.graph.Shapes;
import dev.jattr.graph.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
        String where = "tensor '" + t.getName() + "'";
        int code = t.getDataType();
        DType dtype = dtypeOf(code, where);
        int[] shape = Shapes.fromLongs(t.getDimsList().stream().mapToLong(Long::longValue).toArray());
        int n = Shapes.size(shape);
        ByteBuffer raw = null;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            raw = external(t, baseDir, where);
        } else if (t.hasRawData()) {
            raw = t.getRawData().asReadOnlyByteBuffer();
        }
        Tensor r = Tensor.zeros(dtype, shape);
        if (raw != null) {
            raw = raw.order(ByteOrder.LITTLE_ENDIAN);
            int width = width(code);
            if (raw.remaining() < (long) n * width) {
                throw new UnsupportedModelException(where + ": raw data holds " + raw.remaining() + " bytes, "
                        + n * width + " expected");
            }
            for (int i = 0; i < n; i++) {
                int at = raw.position() + i * width;
                r.setDouble(i, 0);
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
        int count = switch (code) {
            case FLOAT -> t.getFloatDataCount();
            case DOUBLE -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            case UINT32, UINT64 -> t.getUint64DataCount();
            default -> t.getInt32DataCount();
        };
        if (count != n) {
            throw new UnsupportedModelException(where + ": holds " + count + " values, its shape needs " + n);
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

    private static int width(int code) {
        return switch (code) {
            case DOUBLE, INT64, UINT64 -> 8;
            case FLOAT, INT32, UINT32 -> 4;
            case INT16, UINT16, FLOAT16, BFLOAT16 -> 2;
            default -> 1;
        };
    }

    private static ByteBuffer external(TensorProto t, Path baseDir, String where) {
        String location = null;
        long offset = 0, length = -1;
        for (var e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = Long.parseLong(e.getValue());
                case "length" -> length = Long.parseLong(e.getValue());
                default -> { }
            }
        }
        if (location == null || baseDir == null) {
            throw new UnsupportedModelException(where + ": external data without a location");
        }
        Path file = baseDir.resolve(location).normalize();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long len = length >= 0 ? length : ch.size() - offset;
            return ch.map(FileChannel.MapMode.READ_ONLY, offset, len);
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": cannot read external data " + file, e);
        }
    }
}
