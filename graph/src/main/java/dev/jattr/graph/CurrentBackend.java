package dev.jattr.graph;

import dev.jattr.kernels.Backend;
import dev.jattr.kernels.Backends;
import java.util.function.Supplier;

/**
 * The one place ops get their {@link Backend}: the backend bound for the current thread by an
 * {@link Executor} (or by {@link #call}), else the CPU backend. The binding is a
 * {@link ScopedValue}, so it holds for the extent of a call and cannot leak into other threads or
 * later runs; a test runs code on another backend by binding it, without replacing any global.
 */
public final class CurrentBackend {
    private static final ScopedValue<Backend> BOUND = ScopedValue.newInstance();

    private CurrentBackend() {}

    /** Looked up on first use, so that merely loading the graph classes scans no classpath. */
    private static final class Default {
        static final Backend CPU = Backends.cpu();
    }

    /** The backend ops on this thread compute on now: the bound one, else {@link Backends#cpu()}. */
    public static Backend get() {
        return BOUND.orElse(Default.CPU);
    }

    /** Runs {@code body} with {@code backend} as the current backend and returns its result. */
    public static <T> T call(Backend backend, Supplier<T> body) {
        return ScopedValue.where(BOUND, backend).call(body::get);
    }
}
