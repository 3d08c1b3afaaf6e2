package dev.jattr.kernels.cpu;

import java.lang.ref.SoftReference;

/**
 * Package-private per-thread float scratch buffers, so that work arrays (the im2col unfold, a
 * transposed operand, a spread gradient) are not allocated and zeroed on every call.
 *
 * <p>Lifetime: a buffer obtained from {@link #take} belongs to the caller alone until it hands it
 * back with {@link #give} (or drops it); while it is out, no other take on the thread can return
 * it, so a nested call on the same thread (a kernel called from a task of another, a product
 * inside a convolution) gets a different array and can never clobber it. Contents are
 * unspecified: callers must overwrite every element they read. A thread keeps up to
 * {@link #SLOTS} buffers of at most {@link #MAX_KEPT} floats, so that nested calls, too, run
 * without allocating once warm. They are held through soft references: under memory pressure
 * the collector takes them back, so scratch space never makes a program run out of memory. A
 * slot keeps its reference while its buffer is out, so taking and giving back allocate nothing.
 */
final class Scratch {
  /** Largest buffer (floats) a thread keeps between calls: 64 MiB. */
  static final int MAX_KEPT = 1 << 24;
  /** Buffers a thread keeps: one per level of nesting (convolution → product → operand copy). */
  static final int SLOTS = 6;

  /** One thread's slots: a buffer (softly held) and whether it is out. */
  private static final class Slots {
    @SuppressWarnings("unchecked")
    final SoftReference<float[]>[] refs = new SoftReference[SLOTS];
    final boolean[] out = new boolean[SLOTS];
  }

  private static final ThreadLocal<Slots> KEPT = ThreadLocal.withInitial(Slots::new);

  private Scratch() {}

  /**
   * A buffer of at least {@code n} floats with unspecified contents: the smallest kept one that
   * is in and large enough, else a new one.
   */
  static float[] take(int n) {
    Slots s = KEPT.get();
    int best = -1;
    float[] found = null;
    for (int i = 0; i < SLOTS; i++) {
      float[] k = s.out[i] || s.refs[i] == null ? null : s.refs[i].get();
      if (k != null && k.length >= n && (found == null || k.length < found.length)) {
        best = i;
        found = k;
      }
    }
    if (found == null) {
      return new float[n];
    }
    s.out[best] = true;
    return found;
  }

  /**
   * Hands {@code buf} back: to its own slot when it came from one; else into a free slot that is
   * empty (or collected), or in place of the smallest free buffer when that is smaller.
   */
  static void give(float[] buf) {
    if (buf == null || buf.length > MAX_KEPT) {
      return;
    }
    Slots s = KEPT.get();
    int smallest = -1;
    int smallestLength = Integer.MAX_VALUE;
    int empty = -1;
    for (int i = 0; i < SLOTS; i++) {
      float[] k = s.refs[i] == null ? null : s.refs[i].get();
      if (k == buf) {
        s.out[i] = false;
        return;
      }
      if (s.out[i]) {
        continue;
      }
      if (k == null) {
        empty = i;
      } else if (k.length < smallestLength) {
        smallest = i;
        smallestLength = k.length;
      }
    }
    int slot = empty >= 0 ? empty : smallestLength < buf.length ? smallest : -1;
    if (slot >= 0) {
      s.refs[slot] = new SoftReference<>(buf);
      s.out[slot] = false;
    }
  }
}
