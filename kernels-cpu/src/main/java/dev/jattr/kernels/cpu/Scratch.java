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
 * the collector takes them back, so scratch space never makes a program run out of memory.
 */
final class Scratch {
  /** Largest buffer (floats) a thread keeps between calls: 64 MiB. */
  static final int MAX_KEPT = 1 << 24;
  /** Buffers a thread keeps: one per level of nesting (convolution → product → operand copy). */
  static final int SLOTS = 6;

  @SuppressWarnings("unchecked")
  private static final ThreadLocal<SoftReference<float[]>[]> KEPT =
      ThreadLocal.withInitial(() -> new SoftReference[SLOTS]);

  private Scratch() {}

  /**
   * A buffer of at least {@code n} floats with unspecified contents: the smallest kept one that
   * is large enough, taken out of its slot, else a new one.
   */
  static float[] take(int n) {
    SoftReference<float[]>[] kept = KEPT.get();
    int best = -1;
    float[] found = null;
    for (int i = 0; i < SLOTS; i++) {
      float[] k = kept[i] == null ? null : kept[i].get();
      if (k != null && k.length >= n && (found == null || k.length < found.length)) {
        best = i;
        found = k;
      }
    }
    if (found == null) {
      return new float[n];
    }
    kept[best] = null;
    return found;
  }

  /**
   * Hands {@code buf} back: into an empty (or collected) slot, else in place of the smallest kept
   * buffer when that is smaller.
   */
  static void give(float[] buf) {
    if (buf == null || buf.length > MAX_KEPT) {
      return;
    }
    SoftReference<float[]>[] kept = KEPT.get();
    int smallest = -1;
    int smallestLength = Integer.MAX_VALUE;
    for (int i = 0; i < SLOTS; i++) {
      float[] k = kept[i] == null ? null : kept[i].get();
      if (k == null) {
        kept[i] = new SoftReference<>(buf);
        return;
      }
      if (k.length < smallestLength) {
        smallest = i;
        smallestLength = k.length;
      }
    }
    if (smallestLength < buf.length) {
      kept[smallest] = new SoftReference<>(buf);
    }
  }
}
