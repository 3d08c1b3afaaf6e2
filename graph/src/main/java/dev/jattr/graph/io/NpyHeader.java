package dev.jattr.graph.io;

import dev.jattr.graph.DType;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The header dictionary of a {@code .npy} file, read as the Python literal it is and checked
 * field by field: exactly the keys {@code descr}, {@code fortran_order} and {@code shape}, each
 * once; a dtype jattr reads; non-negative dimensions whose product fits one Java array.
 *
 * @param dtype        the element type
 * @param order        the byte order of the data
 * @param fortranOrder whether the data is stored column-major
 * @param shape        the dimensions
 */
record NpyHeader(DType dtype, ByteOrder order, boolean fortranOrder, int[] shape) {
    private static final List<String> FIELDS = List.of("descr", "fortran_order", "shape");

    /** Reads the header text of file {@code file}; failures name the file and the field. */
    static NpyHeader parse(String text, String file) {
        Object parsed;
        try {
            parsed = PythonLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": the header is not a valid Python dictionary: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(file + ": the header is " + PythonLiteral.show(parsed) + ", not a dictionary");
        }
        for (Object key : m.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new IllegalArgumentException(file + ": header field '" + PythonLiteral.printable((String) key)
                        + "' is unknown; a .npy header holds 'descr', 'fortran_order' and 'shape'");
            }
        }
        for (String f : FIELDS) {
            if (!m.containsKey(f)) {
                throw new IllegalArgumentException(file + ": header field '" + f + "' is missing");
            }
        }
        if (!(m.get("fortran_order") instanceof Boolean fortran)) {
            throw new IllegalArgumentException(file + ": header field 'fortran_order' must be True or False, not "
                    + PythonLiteral.show(m.get("fortran_order")));
        }
        Object descr = m.get("descr");
        DType dtype = dtype(descr, file);
        String d = (String) descr;
        ByteOrder order = d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        return new NpyHeader(dtype, order, fortran, shape(m.get("shape"), file));
    }

    /** The bytes of one element of {@code dtype}. */
    static int width(DType dtype) {
        return switch (dtype) {
            case F32, I32 -> 4;
            case F64, I64 -> 8;
            case BOOL -> 1;
        };
    }

    /** The number of elements (the shape's product, checked to fit an int when parsed). */
    int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static DType dtype(Object descr, String file) {
        if (!(descr instanceof String s) || s.length() < 2) {
            throw new IllegalArgumentException(file + ": header field 'descr' must be a dtype string such as '<f4', not "
                    + PythonLiteral.show(descr));
        }
        char order = s.charAt(0);
        String kind = "<>|=".indexOf(order) >= 0 ? s.substring(1) : s;
        DType t = switch (kind) {
            case "f4" -> DType.F32;
            case "f8" -> DType.F64;
            case "i8" -> DType.I64;
            case "i4" -> DType.I32;
            case "b1", "?" -> DType.BOOL;
            default -> null;
        };
        if (t == null) {
            throw new IllegalArgumentException(file + ": header field 'descr' is " + PythonLiteral.show(descr) + describe(kind)
                    + ", a dtype jattr does not read; save the array as float32, float64, int64, int32 or bool");
        }
        return t;
    }

    /** A few words on what a NumPy type code holds, for messages. */
    private static String describe(String kind) {
        if (kind.isEmpty()) {
            return "";
        }
        String what = switch (kind.charAt(0)) {
            case 'U' -> "unicode strings";
            case 'S', 'a' -> "byte strings";
            case 'O' -> "Python objects";
            case 'c' -> "complex numbers";
            case 'u' -> "unsigned integers";
            case 'f' -> "floats of " + kind.substring(1) + " bytes";
            case 'i' -> "integers of " + kind.substring(1) + " bytes";
            case 'V' -> "raw records";
            case 'M', 'm' -> "dates or times";
            default -> null;
        };
        return what == null ? "" : " (" + PythonLiteral.printable(what) + ")";
    }

    private static int[] shape(Object shape, String file) {
        if (!(shape instanceof PythonLiteral.Tuple(List<Object> items))) {
            throw new IllegalArgumentException(file + ": header field 'shape' must be a tuple of non-negative integers, not "
                    + PythonLiteral.show(shape));
        }
        if (items.size() > 64) {
            throw new IllegalArgumentException(file + ": header field 'shape' has " + items.size() + " dimensions, more than 64");
        }
        int[] dims = new int[items.size()];
        BigInteger product = BigInteger.ONE;
        for (int i = 0; i < dims.length; i++) {
            if (!(items.get(i) instanceof BigInteger d) || d.signum() < 0) {
                throw new IllegalArgumentException(file + ": header field 'shape' " + shape + " has dimension "
                        + PythonLiteral.show(items.get(i)) + "; dimensions must be non-negative integers");
            }
            if (d.bitLength() > 31) {
                throw new IllegalArgumentException(file + ": header field 'shape' " + shape + " has dimension " + d
                        + ", more than one array may hold (" + Integer.MAX_VALUE + ")");
            }
            product = product.multiply(d);
            dims[i] = d.intValueExact();
        }
        if (product.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(file + ": header field 'shape' " + shape + " declares " + product
                    + " elements, more than one array may hold (" + Integer.MAX_VALUE + ")");
        }
        return dims;
    }

    @Override
    public String toString() {
        return dtype + " " + Arrays.toString(shape) + (fortranOrder ? " (Fortran order)" : "");
    }
}
