package dev.jattr.kernels.cpu;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Package-private registry of the arrays whose elements never change (a graph's weights, marked
 * through {@link CpuBackend#markConstant}) and of the forms the kernels derive from them, such as
 * weights packed for the matrix product. A derived form is made on first use and kept for as long
 * as its array is reachable (weak keys, compared by identity as arrays are); an array that was
 * never marked has none, and its kernels derive what they need on every call.
 */
final class Constants {
  private static final Map<Object, Map<Object, Object>> DERIVED =
      Collections.synchronizedMap(new WeakHashMap<>());

  private Constants() {}

  /** Records that the elements of {@code array} will not change. */
  static void mark(Object array) {
    DERIVED.putIfAbsent(array, new ConcurrentHashMap<>());
  }

  /**
   * The form of constant {@code array} that {@code key} names, made by {@code make} on first use;
   * null when the array was not marked constant.
   */
  @SuppressWarnings("unchecked")
  static <T> T derived(Object array, Object key, Supplier<T> make) {
    Map<Object, Object> forms = DERIVED.get(array);
    return forms == null ? null : (T) forms.computeIfAbsent(key, k -> make.get());
  }
}
