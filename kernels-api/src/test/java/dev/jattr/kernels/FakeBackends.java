package dev.jattr.kernels;

/**
 * Backends registered for this module's tests only: one that runs, one without its device, one
 * whose constructor fails, and one that reuses a name.
 */
public final class FakeBackends {
  private FakeBackends() {}

  /** A backend with no kernels; enough for discovery. */
  abstract static class Stub implements Backend {
    private final Device device;

    Stub(Device device) {
      this.device = device;
    }

    @Override
    public Device device() {
      return device;
    }

    @Override
    public Availability availability() {
      return Availability.ready();
    }

    private static UnsupportedOperationException none() {
      return new UnsupportedOperationException("a discovery fake has no kernels");
    }

    @Override
    public Allocator allocator() {
      throw none();
    }

    @Override
    public GemmKernels gemm() {
      throw none();
    }

    @Override
    public ConvKernels conv() {
      throw none();
    }

    @Override
    public PoolKernels pool() {
      throw none();
    }

    @Override
    public ElementwiseKernels elementwise() {
      throw none();
    }

    @Override
    public ReduceKernels reduce() {
      throw none();
    }

    @Override
    public IndexKernels index() {
      throw none();
    }

    @Override
    public CopyKernels copy() {
      throw none();
    }
  }

  /** Ready. */
  public static final class Ready extends Stub {
    /** For the service loader. */
    public Ready() {
      super(new Device("fake", Device.Kind.CPU));
    }
  }

  /** Its device is missing. */
  public static final class NoDevice extends Stub {
    /** For the service loader. */
    public NoDevice() {
      super(new Device("fake-gpu", Device.Kind.GPU));
    }

    @Override
    public Availability availability() {
      return Availability.unavailable("no fake GPU in this machine");
    }
  }

  /** Fails in its constructor, as a backend whose native library is missing might. */
  public static final class Broken extends Stub {
    /** For the service loader; always throws. */
    public Broken() {
      super(fail());
    }

    private static Device fail() {
      throw new IllegalStateException("libfake.so not found");
    }
  }

  /** Named like {@link Ready}, found after it. */
  public static final class SameName extends Stub {
    /** For the service loader. */
    public SameName() {
      super(new Device("fake", Device.Kind.GPU));
    }
  }
}
