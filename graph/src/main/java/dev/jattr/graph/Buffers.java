package dev.jattr.graph;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The buffers of one planned run (or backward pass): the arrays it drew from its {@link Arena},
 * and how many live values share each. A buffer goes back to the arena only when it was drawn in
 * this scope and its last value dies; arrays from anywhere else (inputs, constants, an op's own
 * fields, another executor's run) are never given back. Confined to the thread that runs it.
 */
final class Buffers {
    private static final ScopedValue<Buffers> CURRENT = ScopedValue.newInstance();

    private final Arena arena;
    private final Map<Object, int[]> drawn = new IdentityHashMap<>();
    /** The arrays drawn since the last {@link #sweep}. */
    private final List<Object> recent = new ArrayList<>();

    /** A scope drawing from {@code arena}, or allocating afresh and giving nothing back when it is null. */
    Buffers(Arena arena) {
        this.arena = arena;
    }

    /** Runs {@code body} with tensor factories drawing from this scope. */
    <T> T call(Supplier<T> body) {
        return ScopedValue.where(CURRENT, this).call(body::get);
    }

    /**
     * An array of {@code n} elements of {@code type} from the scope bound to this thread (counted by
     * it), else a new one; zeroed only when {@code zeroed}: otherwise a reused one keeps what it
     * held, for a caller that overwrites every element.
     */
    static Object allocate(DType type, int n, boolean zeroed) {
        if (CURRENT.isBound()) {
            Buffers b = CURRENT.get();
            Object a = b.arena != null ? b.arena.take(type, n, zeroed) : Arena.freshFor(type, n, zeroed);
            b.drawn.put(a, new int[1]);
            b.recent.add(a);
            return a;
        }
        return Arena.fresh(type, n);
    }

    /** Whether this scope drew {@code t}'s array (so may give it back). */
    boolean owns(Tensor t) {
        return t != null && t.hasElements() && drawn.containsKey(t.data());
    }

    /** Counts one more live value on {@code t}'s array. */
    void hold(Tensor t) {
        if (t != null && t.hasElements()) {
            int[] c = drawn.get(t.data());
            if (c != null) {
                c[0]++;
            }
        }
    }

    /** The number of live values on {@code t}'s array (0 for arrays this scope did not draw). */
    int holders(Tensor t) {
        int[] c = t == null || !t.hasElements() ? null : drawn.get(t.data());
        return c == null ? 0 : c[0];
    }

    /** One value on {@code t}'s array died; the array goes back to the arena when it was the last. */
    void drop(Tensor t) {
        if (t == null || !t.hasElements()) {
            return;
        }
        int[] c = drawn.get(t.data());
        if (c != null && --c[0] <= 0) {
            drawn.remove(t.data());
            giveBack(t);
        }
    }

    private void giveBack(Tensor t) {
        if (arena != null) {
            arena.give(t.data());
        }
    }

    /** Forgets {@code t}'s array: from now on it is never given back by this scope. */
    void pin(Tensor t) {
        if (t != null && t.hasElements()) {
            drawn.remove(t.data());
        }
    }

    /**
     * Gives back the arrays drawn since the last sweep that no value holds: the temporaries of the
     * op (or backward rule) that just ran. Ops keep nothing between calls, so nothing else sees them.
     */
    void sweep() {
        for (Object a : recent) {
            int[] c = drawn.get(a);
            if (c != null && c[0] <= 0) {
                drawn.remove(a);
                if (arena != null) {
                    arena.give(a);
                }
            }
        }
        recent.clear();
    }

    /** Forgets every array no value holds (an op's temporaries), keeping the counts of the held ones. */
    void forgetUnheld() {
        drawn.values().removeIf(c -> c[0] <= 0);
    }
}
