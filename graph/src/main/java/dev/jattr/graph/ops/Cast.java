package dev.jattr.graph.ops;

import dev.jattr.graph.DType;
import dev.jattr.graph.Op;
import dev.jattr.graph.Tensor;

/**
 * ONNX Cast: converts to another element type. Floats become integers by truncation toward zero;
 * ONNX types narrower than the engine type that holds them (float16, bfloat16, 8- and 16-bit and
 * unsigned 32-bit integers) are rounded or wrapped to their range by {@code narrowing}. The
 * gradient passes through float-to-float casts and stops at integers.
 *
 * @param to        the engine type of the result
 * @param narrowing the ONNX type's rounding or wrap-around within {@code to}
 */
public record Cast(DType to, Narrowing narrowing) implements Op {
    /** How a value is brought into an ONNX type held in a wider engine type. */
    public enum Narrowing {
        /** The engine type is the ONNX type. */
        NONE,
        /** IEEE half precision, round to nearest even. */
        FLOAT16,
        /** bfloat16 (the top 16 bits of a float32), round to nearest even. */
        BFLOAT16,
        /** Signed 8-bit, wrapping. */
        INT8,
        /** Unsigned 8-bit, wrapping. */
        UINT8,
        /** Signed 16-bit, wrapping. */
        INT16,
        /** Unsigned 16-bit, wrapping. */
        UINT16,
        /** Unsigned 32-bit, wrapping. */
        UINT32;

        double apply(double v) {
            return switch (this) {
                case NONE -> v;
                case FLOAT16 -> Float.float16ToFloat(Float.floatToFloat16((float) v));
                case BFLOAT16 -> bfloat16((float) v);
                case INT8 -> (byte) (long) v;
                case UINT8 -> (long) v & 0xff;
                case INT16 -> (short) (long) v;
                case UINT16 -> (long) v & 0xffff;
                case UINT32 -> (long) v & 0xffffffffL;
            };
        }

        private static float bfloat16(float f) {
            if (Float.isNaN(f)) {
                return f;
            }
            int bits = Float.floatToRawIntBits(f);
            bits += 0x7fff + (bits >>> 16 & 1);
            return Float.intBitsToFloat(bits & 0xffff0000);
        }
    }

    @Override
    public String type() {
        return "Cast";
    }

    /** {@code x} converted to {@code to} and narrowed. */
    static Tensor convert(Tensor x, DType to, Narrowing narrowing) {
        if (narrowing == Narrowing.NONE) {
            return x.dtype() == to ? x.copy() : x.cast(to);
        }
        Tensor r = Tensor.zeros(to, x.shape());
        for (int i = 0, n = x.size(); i < n; i++) {
            r.setDouble(i, narrowing.apply(x.getDouble(i)));
        }
        return r;
    }

    @Override
    public Tensor[] forward(Tensor[] in) {
        return new Tensor[] {convert(in[0], to, narrowing)};
    }

    @Override
    public Tensor[] backward(Tensor[] in, Tensor[] out, Tensor[] g, boolean[] wanted) {
        return passBack(in, g, wanted);
    }

    /** The gradient of a cast: the output gradient in the input's type where both are floating. */
    static Tensor[] passBack(Tensor[] in, Tensor[] g, boolean[] wanted) {
        Tensor[] r = new Tensor[in.length];
        if (wanted[0]) {
            r[0] = g[0] == null ? Tensor.zeros(in[0].dtype(), in[0].shape()) : g[0].cast(in[0].dtype());
        }
        return r;
    }
}
