package dev.jattr.kernels.cpu;

import dev.jattr.kernels.Allocator;
import dev.jattr.kernels.Device;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Host memory from an automatic arena per buffer: freed by the garbage collector once unreachable. */
final class CpuAllocator implements Allocator {
  @Override
  public Device device() {
    return Device.CPU;
  }

  @Override
  public MemorySegment allocate(long byteSize, long byteAlignment) {
    if (byteSize < 0) {
      throw new IllegalArgumentException("negative buffer size " + byteSize);
    }
    if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1) {
      throw new IllegalArgumentException("alignment " + byteAlignment + " is not a power of two");
    }
    return Arena.ofAuto().allocate(byteSize, byteAlignment);
  }
}
