package dev.jattr.graph;

import dev.jattr.kernels.Device;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * A dense, row-major (C order) tensor of one {@link DType}. Tensors are treated as immutable once
 * handed to the engine: ops allocate fresh outputs and never write into their inputs.
 *
 * <p>The backing array is a {@code float[]}, {@code double[]}, {@code long[]}, {@code int[]} or
 * {@code boolean[]}, according to the type; the typed accessors ({@link #floats()}…) fail with a
 * message naming both types when asked for the wrong one. The array is host memory, so every
 * tensor lives on {@link Device#CPU}; storage owned by another device (a {@code MemorySegment} from
 * a backend's allocator) is the next step of the execution core.
 */
public final class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final Object data;

    private Tensor(DType dtype, int[] shape, Object data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = java.util.Objects.requireNonNull(data, "data");
        int n = Shapes.size(shape);
        if (length(data) != n) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " needs " + n
                    + " elements, got " + length(data));
        }
    }

    private static int length(Object data) {
        return switch (data) {
            case float[] a -> a.length;
            case double[] a -> a.length;
            case long[] a -> a.length;
            case int[] a -> a.length;
            case boolean[] a -> a.length;
            default -> throw new IllegalArgumentException("unsupported backing array " + data.getClass());
        };
    }

    /** A float32 tensor over {@code data} (not copied). */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(DType.F32, shape, data);
    }

    /** A float64 tensor over {@code data} (not copied). */
    public static Tensor of(double[] data, int... shape) {
        return new Tensor(DType.F64, shape, data);
    }

    /** An int64 tensor over {@code data} (not copied). */
    public static Tensor of(long[] data, int... shape) {
        return new Tensor(DType.I64, shape, data);
    }

    /** An int32 tensor over {@code data} (not copied). */
    public static Tensor of(int[] data, int... shape) {
        return new Tensor(DType.I32, shape, data);
    }

    /** A boolean tensor over {@code data} (not copied). */
    public static Tensor of(boolean[] data, int... shape) {
        return new Tensor(DType.BOOL, shape, data);
    }

    /** A scalar (rank 0) float32 tensor. */
    public static Tensor scalar(float v) {
        return of(new float[] {v});
    }

    /** A tensor of zeros. */
    public static Tensor zeros(DType dtype, int... shape) {
        return allocated(dtype, shape, true);
    }

    /**
     * What remains of {@code t} once its elements are released after the forward pass: its type and
     * shape, which a vector-Jacobian product may read although it declared that it reads no elements
     * ({@link Op#backwardReads}). Reading an element fails naming the cause.
     */
    /**
     * A tensor whose elements the caller overwrites, all of them, before anything reads it: a
     * reused buffer is not zeroed first (a fresh one is). For outputs that a kernel writes whole.
     */
    public static Tensor empty(DType dtype, int... shape) {
        return allocated(dtype, shape, false);
    }

    /** A tensor on an array drawn from the current buffers (zeroed or not), its size checked first. */
    private static Tensor allocated(DType dtype, int[] shape, boolean zeroed) {
        int n = Shapes.size(shape);
        if (n > 1 << 20) {
            Limits.checkAllocation(Arrays.stream(shape).asLongStream().toArray());
        }
        return new Tensor(dtype, shape, Buffers.allocate(dtype, n, zeroed));
    }

    static Tensor released(Tensor t) {
        return shapeOnly(t.dtype, t.shape);
    }

    private Tensor(DType dtype, int[] shape) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = null;
    }

    /** A tensor of this type and shape without elements (for shape rules); reading an element fails. */
    public static Tensor shapeOnly(DType dtype, int... shape) {
        return new Tensor(dtype, shape);
    }

    /** Whether the elements are here (false for {@link #shapeOnly} tensors and released values). */
    public boolean hasElements() {
        return data != null;
    }

    /** The backing array, for identity checks by the run's buffer accounting. */
    Object data() {
        if (data == null) {
            throw new IllegalStateException("the elements of this " + dtype + " " + Arrays.toString(shape)
                    + " value were released after the forward pass: an op read a value its backwardReads() says it does not read");
        }
        return data;
    }

    /** A tensor of the given type and shape with every element {@code value}. */
    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = zeros(dtype, shape);
        switch (t.data) {
            case float[] a -> Arrays.fill(a, (float) value);
            case double[] a -> Arrays.fill(a, value);
            case long[] a -> Arrays.fill(a, (long) value);
            case int[] a -> Arrays.fill(a, (int) value);
            case boolean[] a -> Arrays.fill(a, value != 0);
            default -> throw new AssertionError();
        }
        return t;
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The device whose memory holds the elements: for now always the host, {@link Device#CPU}. */
    public Device device() {
        return Device.CPU;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of dimension {@code d} (negative counts from the end). */
    public int dim(int d) {
        return shape[d < 0 ? d + shape.length : d];
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The number of elements. */
    public int size() {
        return Shapes.size(shape);
    }

    /** The backing float array (F32 only). */
    public float[] floats() {
        if (data() instanceof float[] a) {
            return a;
        }
        throw wrongType(DType.F32);
    }

    /** The backing double array (F64 only). */
    public double[] doubles() {
        if (data() instanceof double[] a) {
            return a;
        }
        throw wrongType(DType.F64);
    }

    /** The backing long array (I64 only). */
    public long[] longs() {
        if (data() instanceof long[] a) {
            return a;
        }
        throw wrongType(DType.I64);
    }

    /** The backing int array (I32 only). */
    public int[] ints() {
        if (data() instanceof int[] a) {
            return a;
        }
        throw wrongType(DType.I32);
    }

    /** The backing boolean array (BOOL only). */
    public boolean[] bools() {
        if (data() instanceof boolean[] a) {
            return a;
        }
        throw wrongType(DType.BOOL);
    }

    private IllegalStateException wrongType(DType wanted) {
        return new IllegalStateException("expected a " + wanted + " tensor, got " + dtype + " " + Arrays.toString(shape));
    }

    /** Element {@code i} (flat, row-major) as a double, whatever the type. */
    public double getDouble(int i) {
        return switch (data()) {
            case float[] a -> a[i];
            case double[] a -> a[i];
            case long[] a -> a[i];
            case int[] a -> a[i];
            case boolean[] a -> a[i] ? 1 : 0;
            default -> throw new AssertionError();
        };
    }

    /** Element {@code i} (flat) as a long, whatever the type (floats are truncated). */
    public long getLong(int i) {
        return switch (data()) {
            case long[] a -> a[i];
            case int[] a -> a[i];
            default -> (long) getDouble(i);
        };
    }

    /** All elements as longs (for shape and index tensors). */
    public long[] toLongs() {
        long[] r = new long[size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = getLong(i);
        }
        return r;
    }

    /** All elements as doubles. */
    public double[] toDoubles() {
        if (data() instanceof double[] a) {
            return a.clone();
        }
        double[] r = new double[size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = getDouble(i);
        }
        return r;
    }

    /** A tensor sharing this one's data with another shape of the same size. */
    public Tensor reshape(int... newShape) {
        return data == null ? new Tensor(dtype, newShape) : new Tensor(dtype, newShape, data);
    }

    /** A copy converted to {@code target} (this tensor itself when the type already matches). */
    public Tensor cast(DType target) {
        if (target == dtype) {
            return this;
        }
        Tensor r = zeros(target, shape);
        int n = size();
        switch (r.data) {
            case float[] a -> { for (int i = 0; i < n; i++) a[i] = (float) getDouble(i); }
            case double[] a -> { for (int i = 0; i < n; i++) a[i] = getDouble(i); }
            case long[] a -> { for (int i = 0; i < n; i++) a[i] = getLong(i); }
            case int[] a -> { for (int i = 0; i < n; i++) a[i] = (int) getLong(i); }
            case boolean[] a -> { for (int i = 0; i < n; i++) a[i] = getDouble(i) != 0; }
            default -> throw new AssertionError();
        }
        return r;
    }

    /** A deep copy. */
    public Tensor copy() {
        Object d = switch (data()) {
            case float[] a -> a.clone();
            case double[] a -> a.clone();
            case long[] a -> a.clone();
            case int[] a -> a.clone();
            case boolean[] a -> a.clone();
            default -> throw new AssertionError();
        };
        return new Tensor(dtype, shape, d);
    }

    /** Elementwise {@code f} over a floating tensor, keeping its type. */
    public Tensor map(DoubleUnaryOperator f) {
        Tensor r = zeros(dtype, shape);
        switch (data()) {
            case float[] a -> {
                float[] o = r.floats();
                for (int i = 0; i < a.length; i++) o[i] = (float) f.applyAsDouble(a[i]);
            }
            case double[] a -> {
                double[] o = r.doubles();
                for (int i = 0; i < a.length; i++) o[i] = f.applyAsDouble(a[i]);
            }
            default -> throw new IllegalStateException("map needs a floating tensor, got " + dtype);
        }
        return r;
    }

    /** A new floating tensor of this one's type and the given shape, filled by {@code f(flatIndex)}. */
    public static Tensor generate(DType dtype, int[] shape, java.util.function.IntToDoubleFunction f) {
        Tensor r = zeros(dtype, shape);
        switch (r.data) {
            case float[] a -> { for (int i = 0; i < a.length; i++) a[i] = (float) f.applyAsDouble(i); }
            case double[] a -> { for (int i = 0; i < a.length; i++) a[i] = f.applyAsDouble(i); }
            case long[] a -> { for (int i = 0; i < a.length; i++) a[i] = (long) f.applyAsDouble(i); }
            case int[] a -> { for (int i = 0; i < a.length; i++) a[i] = (int) f.applyAsDouble(i); }
            case boolean[] a -> { for (int i = 0; i < a.length; i++) a[i] = f.applyAsDouble(i) != 0; }
            default -> throw new AssertionError();
        }
        return r;
    }

    /** Sets element {@code i} of a floating or integer tensor built by the engine (not for tensors already shared). */
    public void setDouble(int i, double v) {
        switch (data()) {
            case float[] a -> a[i] = (float) v;
            case double[] a -> a[i] = v;
            case long[] a -> a[i] = (long) v;
            case int[] a -> a[i] = (int) v;
            case boolean[] a -> a[i] = v != 0;
            default -> throw new AssertionError();
        }
    }

    /** The largest absolute value (0 for an empty tensor). */
    public double maxAbs() {
        double m = 0;
        for (int i = 0, n = size(); i < n; i++) {
            m = Math.max(m, Math.abs(getDouble(i)));
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Tensor[").append(dtype).append(' ').append(Arrays.toString(shape));
        int n = Math.min(size(), 8);
        b.append(" {");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append(getDouble(i));
        }
        return b.append(size() > n ? ", …}]" : "}]").toString();
    }
}
