package dev.jattr.kernels;

/**
 * The device work of one run, recorded once ({@link Backend#record}) and replayed as a whole: a
 * CUDA graph, launched with one call where the run issued one call per kernel. A replay reads and
 * writes the same device memory as the recorded run did, so whoever holds a recording keeps the
 * arrays of that run for it and changes only the elements of its inputs between replays.
 * {@link #close} frees what the recording holds on the device.
 */
public interface DeviceRecording extends AutoCloseable {
  /** Queues the recorded work again; the device runs it after everything queued before. */
  void replay();

  /** Frees the recording's device resources; replaying afterwards fails. */
  @Override
  void close();
}
