package dev.jattr.attr;

import dev.jattr.kernels.Allocator;
import dev.jattr.kernels.Availability;
import dev.jattr.kernels.Backend;
import dev.jattr.kernels.ConvKernels;
import dev.jattr.kernels.CopyKernels;
import dev.jattr.kernels.Device;
import dev.jattr.kernels.ElementwiseKernels;
import dev.jattr.kernels.GemmKernels;
import dev.jattr.kernels.IndexKernels;
import dev.jattr.kernels.PoolKernels;
import dev.jattr.kernels.ReduceKernels;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.WeakHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A CPU stand-in for a GPU backend that keeps device copies: every float and double array a
 * kernel touches has a shadow copy ("device memory"), kernels compute on the shadows, and the
 * host array is left stale until the graph asks for it with {@link #syncToHost}. Where the graph's
 * protocol misses a sync, the host reads stale numbers and results go wrong, which the parity
 * corpus then shows. Semantics as the CUDA backend's: kernels compute on shadows only inside
 * {@link #onDevice}; elsewhere they run on the host arrays, newer shadows synced first;
 * {@link #hostChanged} makes a shadow stale.
 */
final class ShadowBackend implements Backend {
    private static final int SYNCED = 0, DEVICE_NEWER = 1, HOST_NEWER = 2;

    private final Backend cpu;
    // arrays compare by identity, so weak maps keyed by them are identity maps
    private final Map<Object, Object> shadows = new WeakHashMap<>();
    private final Map<Object, Integer> states = new WeakHashMap<>();
    private int hostPhases;
    private int devicePhases;
    long syncs;
    long deviceCalls;
    long zeroed;
    long replays;
    /** The device work of a recording under way, run only when it is replayed; null when none is. */
    private java.util.List<Runnable> recording;

    ShadowBackend(Backend cpu) {
        this.cpu = cpu;
    }

    @Override
    public String name() {
        return "shadow";
    }

    @Override
    public Device device() {
        return new Device("shadow:0", Device.Kind.GPU);
    }

    @Override
    public Availability availability() {
        return Availability.ready();
    }

    @Override
    public boolean keepsDeviceCopies() {
        return true;
    }

    @Override
    public synchronized void syncToHost(Object array) {
        if (states.getOrDefault(array, SYNCED) == DEVICE_NEWER) {
            if (recording != null) {
                throw new IllegalStateException("a copy back waits for the device: not while recording");
            }
            System.arraycopy(shadows.get(array), 0, array, 0, java.lang.reflect.Array.getLength(array));
            states.put(array, SYNCED);
            syncs++;
        }
    }

    @Override
    public synchronized void hostChanged(Object array) {
        if (shadows.containsKey(array)) {
            states.put(array, HOST_NEWER);
        }
    }

    @Override
    public <T> T onHost(Supplier<T> phase) {
        synchronized (this) {
            for (Object a : new java.util.ArrayList<>(shadows.keySet())) {
                if (a != null) {
                    syncToHost(a);
                }
            }
            hostPhases++;
        }
        try {
            return phase.get();
        } finally {
            synchronized (this) {
                hostPhases--;
                shadows.keySet().forEach(a -> states.put(a, HOST_NEWER));
            }
        }
    }

    /**
     * Inside device ops: zeroes the shadow and poisons the host array with NaN (or a sentinel), so
     * that a host read without a sync shows in the results.
     */
    @Override
    public synchronized boolean zeroOnDevice(Object array) {
        if (devicePhases == 0 || hostPhases > 0 || !(array instanceof float[] || array instanceof double[])) {
            return false;
        }
        Object sh = shadow(array);
        Runnable zero = () -> {
            if (sh instanceof float[] f) {
                java.util.Arrays.fill(f, 0f);
            } else {
                java.util.Arrays.fill((double[]) sh, 0d);
            }
        };
        if (recording != null) {
            recording.add(zero);
        } else {
            zero.run();
        }
        if (array instanceof float[] f) {
            java.util.Arrays.fill(f, Float.NaN);
        } else {
            java.util.Arrays.fill((double[]) array, Double.NaN);
        }
        states.put(array, DEVICE_NEWER);
        zeroed++;
        return true;
    }

    /** Records the device calls {@code run} makes, to be run by each replay (as a CUDA graph does). */
    @Override
    public synchronized dev.jattr.kernels.DeviceRecording record(Runnable run) {
        java.util.List<Runnable> work = new java.util.ArrayList<>();
        recording = work;
        try {
            run.run();
        } finally {
            recording = null;
        }
        return new dev.jattr.kernels.DeviceRecording() {
            @Override
            public void replay() {
                synchronized (ShadowBackend.this) {
                    work.forEach(Runnable::run);
                    replays++;
                }
            }

            @Override
            public void close() {
                work.clear();
            }
        };
    }

    @Override
    public synchronized void toDevice(Object array) {
        if (array instanceof float[] || array instanceof double[]) {
            shadow(array);
        }
    }

    @Override
    public synchronized void copyToDevice(Object source, Object target) {
        Object sh = shadow(target);
        System.arraycopy(source, 0, sh, 0, java.lang.reflect.Array.getLength(sh));
        states.put(target, DEVICE_NEWER);
    }

    @Override
    public synchronized void deviceWrote(Object array) {
        if (shadows.containsKey(array)) {
            states.put(array, DEVICE_NEWER);
        }
    }

    @Override
    public <T> T onDevice(Supplier<T> op) {
        synchronized (this) {
            devicePhases++;
        }
        try {
            return op.get();
        } finally {
            synchronized (this) {
                devicePhases--;
            }
        }
    }

    private synchronized Object call(Object family, java.lang.reflect.Method m, Object[] args) throws Throwable {
        Object[] actual = args == null ? null : args.clone();
        boolean device = devicePhases > 0 && hostPhases == 0;
        if (actual != null) {
            for (int i = 0; i < actual.length; i++) {
                Object a = actual[i];
                if (a instanceof float[] || a instanceof double[]) {
                    if (device) {
                        actual[i] = shadow(a);
                    } else {
                        syncToHost(a); // a kernel call on the host reads the newest numbers
                    }
                }
            }
        }
        if (device) {
            deviceCalls++;
        }
        if (device && recording != null) {
            if (m.getReturnType() != void.class) {
                throw new IllegalStateException(m.getName() + " returns a value: not recordable");
            }
            Object[] recorded = actual.clone();
            for (int i = 0; i < recorded.length; i++) {
                if (recorded[i] instanceof int[] v) {
                    recorded[i] = v.clone(); // a recording keeps its arguments' values, as a kernel launch does
                }
            }
            recording.add(() -> {
                try {
                    m.invoke(family, recorded);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            });
            Object out = output(args);
            if (out != null && shadows.containsKey(out)) {
                states.put(out, DEVICE_NEWER);
            }
            return null;
        }
        try {
            return m.invoke(family, actual);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            Object out = output(args);
            if (out != null && shadows.containsKey(out)) {
                // on the device the kernel's output is newer there; on the host it makes the shadow stale
                states.put(out, device ? DEVICE_NEWER : HOST_NEWER);
            }
        }
    }

    /** The output of a kernel call: its last float or double array argument, in every family. */
    private static Object output(Object[] args) {
        Object out = null;
        if (args != null) {
            for (Object a : args) {
                if (a instanceof float[] || a instanceof double[]) {
                    out = a;
                }
            }
        }
        return out;
    }

    private Object shadow(Object a) {
        Object s = shadows.get(a);
        int n = java.lang.reflect.Array.getLength(a);
        if (s == null) {
            s = java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), n);
            shadows.put(a, s);
            states.put(a, HOST_NEWER);
        }
        if (states.get(a) == HOST_NEWER) {
            System.arraycopy(a, 0, s, 0, n);
            states.put(a, SYNCED);
        }
        return s;
    }

    /** Default methods the CUDA backend overrides with device work: the shadow runs them as its kernels, on shadows. */
    private static final java.util.Set<String> DEVICE_DEFAULTS = java.util.Set.of("multiplyBatched", "forward", "productToAxis",
            "copyRows");

    @SuppressWarnings("unchecked")
    private <F> F wrap(Class<F> type, F family) {
        return (F) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, m, args) -> m.isDefault() && !DEVICE_DEFAULTS.contains(m.getName())
                        ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, m, args)
                        : call(family, m, args));
    }

    @Override
    public Allocator allocator() {
        return cpu.allocator();
    }

    @Override
    public GemmKernels gemm() {
        return wrap(GemmKernels.class, cpu.gemm());
    }

    @Override
    public ConvKernels conv() {
        return wrap(ConvKernels.class, cpu.conv());
    }

    @Override
    public PoolKernels pool() {
        return wrap(PoolKernels.class, cpu.pool());
    }

    @Override
    public ElementwiseKernels elementwise() {
        return wrap(ElementwiseKernels.class, cpu.elementwise());
    }

    @Override
    public ReduceKernels reduce() {
        return wrap(ReduceKernels.class, cpu.reduce());
    }

    @Override
    public IndexKernels index() {
        return wrap(IndexKernels.class, cpu.index());
    }

    @Override
    public CopyKernels copy() {
        return wrap(CopyKernels.class, cpu.copy());
    }
}
