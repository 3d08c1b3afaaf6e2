package dev.jattr.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Allocates buffers in a device's memory. Tensors still hold heap arrays; buffers from the
 * allocator are where device-owned tensor storage goes next (see {@code docs/design.md}).
 */
public interface Allocator {
  /**
   * The device whose memory this allocator hands out.
   *
   * @return the device
   */
  Device device();

  /**
   * A zeroed buffer of {@code byteSize} bytes aligned to {@code byteAlignment}. The device owns
   * it: the buffer is freed once it is no longer reachable. A device buffer that the host cannot
   * read is a segment whose address is the device pointer.
   *
   * @param byteSize size in bytes (at least 0)
   * @param byteAlignment alignment in bytes, a power of two
   * @return the buffer
   * @throws IllegalArgumentException when the size is negative or the alignment not a power of two
   */
  MemorySegment allocate(long byteSize, long byteAlignment);
}
