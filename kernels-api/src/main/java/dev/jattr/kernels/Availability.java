package dev.jattr.kernels;

import java.util.Objects;

/**
 * Whether a {@link Backend} can run here, and if not, why (no driver, no device, a library
 * missing). {@link Backends} skips a backend that is not ready and reports the reason.
 *
 * @param available whether the backend can run
 * @param reason why it cannot run; empty when it is ready
 */
public record Availability(boolean available, String reason) {
  private static final Availability READY = new Availability(true, "");

  /**
   * Checks that a backend that is not ready says why.
   *
   * @throws IllegalArgumentException when {@code available} is false and the reason is blank
   */
  public Availability {
    Objects.requireNonNull(reason, "reason");
    if (!available && reason.isBlank()) {
      throw new IllegalArgumentException("an unavailable backend must say why");
    }
  }

  /**
   * The backend can run.
   *
   * @return the ready availability
   */
  public static Availability ready() {
    return READY;
  }

  /**
   * The backend cannot run.
   *
   * @param reason why, in words a user can act on
   * @return an availability that is not ready
   */
  public static Availability unavailable(String reason) {
    return new Availability(false, reason);
  }
}
