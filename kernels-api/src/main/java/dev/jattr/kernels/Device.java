package dev.jattr.kernels;

import java.util.Objects;

/**
 * A device a {@link Backend} computes on: where its buffers live and its kernels run.
 *
 * @param name the device's name, unique among the backends found ({@code "cpu"}, {@code "cuda:0"})
 * @param kind what kind of device it is
 */
public record Device(String name, Kind kind) {
  /** The host CPU: the device of the pure-Java backend and of every heap-array tensor. */
  public static final Device CPU = new Device("cpu", Kind.CPU);

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException when the name is blank
   */
  public Device {
    Objects.requireNonNull(kind, "kind");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a device needs a name");
    }
  }

  /** The kinds of device. */
  public enum Kind {
    /** The host processor; buffers are host memory. */
    CPU,
    /** A graphics processor; buffers are device memory the host cannot read directly. */
    GPU
  }
}
