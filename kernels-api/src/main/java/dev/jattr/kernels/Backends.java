package dev.jattr.kernels;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The backends on the classpath, found once with {@link ServiceLoader}. A backend that cannot be
 * instantiated or reports itself unavailable is skipped, and {@link #unavailable()} says why. The
 * default backend is the CPU one, which {@code jattr-kernels-cpu} always provides.
 */
public final class Backends {
  /** The name of the pure-Java CPU backend. */
  public static final String CPU = Device.CPU.name();

  /** Errors from a broken service configuration after which discovery stops looking. */
  private static final int MAX_ERRORS = 32;

  private Backends() {}

  /**
   * A backend that was found but skipped.
   *
   * @param backend its name, or the provider as the service loader named it
   * @param reason why it was skipped
   */
  public record Unavailable(String backend, String reason) {}

  /**
   * The outcome of a discovery: the ready backends by name, in classpath order, and the skipped.
   *
   * @param ready the backends that can run, by name
   * @param skipped the backends that cannot, with the reason
   */
  record Discovery(Map<String, Backend> ready, List<Unavailable> skipped) {}

  /** Initialised on first use, so that loading this class does not scan the classpath. */
  private static final class Found {
    static final Discovery DISCOVERY = discover(ServiceLoader.load(Backend.class));
  }

  /**
   * The pure-Java CPU backend.
   *
   * @return the CPU backend
   * @throws IllegalStateException when {@code jattr-kernels-cpu} is not on the classpath
   */
  public static Backend cpu() {
    return byName(CPU);
  }

  /**
   * The default backend: the CPU one.
   *
   * @return the CPU backend
   * @throws IllegalStateException when {@code jattr-kernels-cpu} is not on the classpath
   */
  public static Backend defaultBackend() {
    return cpu();
  }

  /**
   * The ready backend of this name.
   *
   * @param name a backend name ({@code "cpu"})
   * @return the backend
   * @throws IllegalStateException when no ready backend has the name; the message says why a
   *     skipped backend of that name was skipped, or names the ones available
   */
  public static Backend byName(String name) {
    return byName(Found.DISCOVERY, name);
  }

  /**
   * The backends that can run here, in classpath order.
   *
   * @return the ready backends
   */
  public static List<Backend> available() {
    return List.copyOf(Found.DISCOVERY.ready().values());
  }

  /**
   * The backends that were found but cannot run, with the reason.
   *
   * @return the skipped backends
   */
  public static List<Unavailable> unavailable() {
    return Found.DISCOVERY.skipped();
  }

  static Backend byName(Discovery d, String name) {
    Backend b = d.ready().get(name);
    if (b != null) {
      return b;
    }
    for (Unavailable u : d.skipped()) {
      if (u.backend().equals(name)) {
        throw new IllegalStateException("backend '" + name + "' cannot run: " + u.reason());
      }
    }
    String hint = name.equals(CPU) ? " (is jattr-kernels-cpu on the classpath?)" : "";
    throw new IllegalStateException("no backend named '" + name + "'" + hint + "; available: "
        + d.ready().keySet());
  }

  /** Instantiates every provider, keeping those that are ready and recording why others are not. */
  static Discovery discover(ServiceLoader<Backend> loader) {
    Map<String, Backend> ready = new LinkedHashMap<>();
    List<Unavailable> skipped = new ArrayList<>();
    Iterator<Backend> it = loader.iterator();
    int errors = 0;
    while (errors < MAX_ERRORS) {
      Backend b;
      try {
        if (!it.hasNext()) {
          break;
        }
        b = it.next();
      } catch (ServiceConfigurationError e) {
        // a provider that failed to load or construct; the iterator moves on to the next one
        skipped.add(new Unavailable(providerName(e), e.getMessage() + causeOf(e)));
        errors++;
        continue;
      }
      Availability a = b.availability();
      if (!a.available()) {
        skipped.add(new Unavailable(b.name(), a.reason()));
      } else if (ready.containsKey(b.name())) {
        skipped.add(new Unavailable(b.name(), b.getClass().getName() + " has the same name as "
            + ready.get(b.name()).getClass().getName() + ", found first"));
      } else {
        ready.put(b.name(), b);
      }
    }
    return new Discovery(Collections.unmodifiableMap(ready), List.copyOf(skipped));
  }

  private static String providerName(ServiceConfigurationError e) {
    String m = String.valueOf(e.getMessage());
    // "dev.jattr.kernels.Backend: Provider x.Y could not be instantiated"
    int at = m.indexOf("Provider ");
    if (at < 0) {
      return m;
    }
    int end = m.indexOf(' ', at + 9);
    return m.substring(at + 9, end < 0 ? m.length() : end);
  }

  private static String causeOf(ServiceConfigurationError e) {
    return e.getCause() == null ? "" : ": " + e.getCause();
  }
}
