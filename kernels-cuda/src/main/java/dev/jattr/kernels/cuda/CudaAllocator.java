package dev.jattr.kernels.cuda;

import dev.jattr.kernels.Allocator;
import dev.jattr.kernels.Device;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Device memory as segments whose address is the device pointer (the host must not read them);
 * the memory returns to the device once its segment is unreachable.
 */
final class CudaAllocator implements Allocator {
  private final CudaDevice dev;

  CudaAllocator(CudaDevice dev) {
    this.dev = dev;
  }

  @Override
  public Device device() {
    return new Device(CudaBackend.NAME + ":" + dev.ordinal(), Device.Kind.GPU);
  }

  @Override
  public MemorySegment allocate(long byteSize, long byteAlignment) {
    if (byteSize < 0) {
      throw new IllegalArgumentException("negative size " + byteSize);
    }
    if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1) {
      throw new IllegalArgumentException("alignment " + byteAlignment + " is not a power of two");
    }
    if (byteAlignment > 256) {
      throw new IllegalArgumentException("device memory is aligned to 256 bytes, not " + byteAlignment);
    }
    long[] p = new long[1];
    dev.call(c -> {
      p[0] = dev.driver().allocate(Math.max(1, byteSize));
      dev.driver().zero(p[0], byteSize, dev.stream());
    });
    long pointer = p[0];
    return MemorySegment.ofAddress(pointer).reinterpret(byteSize, Arena.ofAuto(), s -> dev.freeLater(pointer));
  }
}
