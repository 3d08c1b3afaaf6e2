package dev.jattr.kernels.cpu;

/**
 * Package-private per-thread float scratch buffers, so that large work arrays (the im2col
 * unfold) are not allocated and zeroed on every call.
 *
 * <p>Lifetime: a buffer obtained from {@link #take} belongs to the caller alone until it hands it
 * back with {@link #give} (or drops it); while it is out, the thread's slot is empty, so a nested
 * call on the same thread (a kernel called from a task of another) gets a different
 * array and can never clobber it. Contents are unspecified: callers must overwrite every element
 * they read. At most one buffer of at most {@link #MAX_KEPT} floats is kept per thread.
 */
final class Scratch {
  /** Largest buffer (floats) a thread keeps between calls: 64 MiB. */
  static final int MAX_KEPT = 1 << 24;

  private static final ThreadLocal<float[]> KEPT = new ThreadLocal<>();

  private Scratch() {}

  /**
   * A buffer of at least {@code n} floats with unspecified contents, taken out of this thread's
   * slot when it is large enough, otherwise newly allocated.
   */
  static float[] take(int n) {
    float[] kept = KEPT.get();
    if (kept != null && kept.length >= n) {
      KEPT.remove();
      return kept;
    }
    return new float[n];
  }

  /** Hands {@code buf} back to this thread's slot, keeping the larger of it and the slot's. */
  static void give(float[] buf) {
    if (buf == null || buf.length > MAX_KEPT) {
      return;
    }
    float[] kept = KEPT.get();
    if (kept == null || kept.length < buf.length) {
      KEPT.set(buf);
    }
  }
}
