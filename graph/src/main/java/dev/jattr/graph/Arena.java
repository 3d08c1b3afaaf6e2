package dev.jattr.graph;

import dev.jattr.kernels.Backend;
import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Free lists of tensor backing arrays, one per element type and length (the size class: a tensor's
 * array has exactly its size). An {@link Executor} owns one for its lifetime; while one of its
 * planned runs executes, {@link Tensor#zeros} and the factories built on it draw from it, and the
 * run gives back every array that no live value, result, trace or caller can see any more.
 *
 * <p>Pooled arrays are held through soft references, so a pool never makes a program run out of
 * memory: under pressure the collector takes them back. Heap arrays need no closing; {@link #close}
 * empties the pools. Safe for concurrent runs of one executor.
 */
public final class Arena implements AutoCloseable {
    private static final ScopedValue<Boolean> DISABLED = ScopedValue.newInstance();
    private static final boolean OFF = "off".equals(System.getProperty("jattr.arena"));

    private final Map<DType, Map<Integer, ArrayDeque<SoftReference<Object>>>> free = new HashMap<>();
    private long reused;
    private long created;

    /** Runs {@code body} with pooling off for every executor it uses (for comparing results with and without). */
    public static <T> T disabledDuring(Supplier<T> body) {
        return ScopedValue.where(DISABLED, Boolean.TRUE).call(body::get);
    }

    /** Whether planned runs starting here pool their buffers ({@code -Djattr.arena=off} turns pooling off everywhere). */
    static boolean enabled() {
        return !OFF && !DISABLED.isBound();
    }

    /**
     * An array of {@code n} elements of {@code type}, a pooled one when there is one, zeroed when
     * {@code zeroed} (else holding what it last held, for a caller that overwrites it all).
     */
    synchronized Object take(DType type, int n, boolean zeroed) {
        ArrayDeque<SoftReference<Object>> q = queue(type, n);
        while (!q.isEmpty()) {
            Object a = q.pop().get();
            if (a != null) {
                reused++;
                Backend b = CurrentBackend.get();
                if (!zeroed) {
                    if (POISON) {
                        poison(a);
                    }
                    b.hostChanged(a); // its next writer decides where it is newer
                } else if (!b.zeroOnDevice(a)) {
                    clear(a);
                    b.hostChanged(a); // a device copy of its last use is stale now
                }
                return a;
            }
        }
        created++;
        return freshFor(type, n, zeroed);
    }

    /**
     * A new array; where it must read as zeros inside a device op, its device copy is zeroed there
     * ({@link Backend#zeroOnDevice}) rather than sent up from the host: a part written later (a
     * slot of a concatenation) then uploads nothing.
     */
    static Object freshFor(DType type, int n, boolean zeroed) {
        Object a = fresh(type, n);
        if (zeroed) {
            CurrentBackend.get().zeroOnDevice(a);
        }
        return a;
    }

    /** A new zeroed array of {@code n} elements of {@code type}. */
    static Object fresh(DType type, int n) {
        return switch (type) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I64 -> new long[n];
            case I32 -> new int[n];
            case BOOL -> new boolean[n];
        };
    }

    /** Takes back an array nothing refers to any more. */
    synchronized void give(Object array) {
        DType type = switch (array) {
            case float[] a -> DType.F32;
            case double[] a -> DType.F64;
            case long[] a -> DType.I64;
            case int[] a -> DType.I32;
            case boolean[] a -> DType.BOOL;
            default -> throw new IllegalArgumentException("not a tensor array: " + array.getClass());
        };
        queue(type, java.lang.reflect.Array.getLength(array)).push(new SoftReference<>(array));
    }

    private ArrayDeque<SoftReference<Object>> queue(DType type, int n) {
        return free.computeIfAbsent(type, t -> new HashMap<>()).computeIfAbsent(n, k -> new ArrayDeque<>());
    }

    /**
     * With {@code -Djattr.arena.poison=true} (the tests' setting) a reused buffer handed out
     * without zeroing is filled with NaN (integers: their minimum), so that an op that leaves
     * part of such an output unwritten shows in its results.
     */
    private static final boolean POISON = Boolean.getBoolean("jattr.arena.poison");

    private static void poison(Object a) {
        switch (a) {
            case float[] x -> java.util.Arrays.fill(x, Float.NaN);
            case double[] x -> java.util.Arrays.fill(x, Double.NaN);
            case long[] x -> java.util.Arrays.fill(x, Long.MIN_VALUE);
            case int[] x -> java.util.Arrays.fill(x, Integer.MIN_VALUE);
            case boolean[] x -> java.util.Arrays.fill(x, true);
            default -> throw new AssertionError();
        }
    }

    private static void clear(Object a) {
        switch (a) {
            case float[] x -> java.util.Arrays.fill(x, 0f);
            case double[] x -> java.util.Arrays.fill(x, 0d);
            case long[] x -> java.util.Arrays.fill(x, 0L);
            case int[] x -> java.util.Arrays.fill(x, 0);
            case boolean[] x -> java.util.Arrays.fill(x, false);
            default -> throw new AssertionError();
        }
    }

    /** How many requests a pooled array served. */
    public synchronized long reused() {
        return reused;
    }

    /** How many requests needed a new array. */
    public synchronized long created() {
        return created;
    }

    @Override
    public synchronized void close() {
        free.clear();
    }
}
