package dev.jattr.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jattr.kernels.Activation;
import dev.jattr.kernels.Arithmetic;
import dev.jattr.kernels.Availability;
import dev.jattr.kernels.AxisView;
import dev.jattr.kernels.WindowGeometry;
import dev.jattr.kernels.cuda.driver.CudaErrors;
import dev.jattr.kernels.cuda.driver.CudaException;
import dev.jattr.kernels.cuda.driver.CudaUnavailableException;
import dev.jattr.kernels.cuda.driver.Dim3;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The CUDA backend's host side against a fake driver: launches, geometry, buffers, errors. */
class CudaBackendFakeTest {
  private final FakeDriver fake = new FakeDriver();
  private final CudaBackend backend = new CudaBackend(() -> fake, 0, false);

  private static WindowGeometry geometry2d() {
    return new WindowGeometry(new int[] {3, 3}, new int[] {2, 1}, new int[] {1, 0, 1, 2}, new int[] {1, 2});
  }

  @Test
  void unavailableBackendsSayWhyInOneLine() {
    CudaBackend noLibrary = new CudaBackend(() -> {
      throw new CudaUnavailableException("no NVIDIA driver: libcuda.so.1 is not in the loader path");
    }, 0, false);
    Availability a = noLibrary.availability();
    assertFalse(a.available());
    assertEquals("no NVIDIA driver: libcuda.so.1 is not in the loader path", a.reason());

    fake.devices = 0;
    assertEquals("the NVIDIA driver reports no CUDA device", backend.availability().reason());

    FakeDriver two = new FakeDriver();
    two.devices = 2;
    assertEquals("CUDA device 5 does not exist (the driver reports 2 devices)",
        new CudaBackend(() -> two, 5, false).availability().reason());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.gemm());
    assertTrue(e.getMessage().contains("no CUDA device"), e.getMessage());
  }

  @Test
  void aMissingDriverLibraryIsReportedNotThrown() {
    String old = System.getProperty("jattr.cuda.library");
    System.setProperty("jattr.cuda.library", "/nonexistent/libcuda.so.1");
    try {
      Availability a = new CudaBackend().availability();
      assertFalse(a.available());
      assertEquals("jattr.cuda.library=/nonexistent/libcuda.so.1 could not be loaded", a.reason());
    } finally {
      if (old == null) {
        System.clearProperty("jattr.cuda.library");
      } else {
        System.setProperty("jattr.cuda.library", old);
      }
    }
  }

  @Test
  void theBackendIsNamedCudaAndDescribesItsDevice() {
    assertTrue(backend.availability().available());
    assertEquals("cuda", backend.name());
    assertEquals("cuda:0", backend.device().name());
    assertEquals("cuda:0 Fake GPU, compute capability 9.0, 132 SMs at 1980 MHz, 16.0 GiB (8.0 GiB free), "
        + "driver CUDA 13.0", backend.description());
  }

  @Test
  void dataTravelsThroughAKernelAndBack() {
    fake.emulate("unary_f32", (l, mem) -> {
      assertEquals(Activation.RELU.ordinal(), l.i32(0));
      int n = l.i32(5);
      for (int i = 0; i < n; i++) {
        mem.setFloat(l.pointer(4), i, Math.max(0f, mem.getFloat(l.pointer(1), i)));
      }
    });
    float[] x = {-2f, 3f, -0.5f, 7f, 0f};
    float[] out = new float[5];
    backend.elementwise().unary(Activation.RELU, x, 0f, 0f, out, 5);
    assertArrayEquals(new float[] {0f, 3f, 0f, 7f, 0f}, out);
  }

  private void emulateRelu() {
    fake.emulate("unary_f32", (l, mem) -> {
      int n = l.i32(5);
      for (int i = 0; i < n; i++) {
        mem.setFloat(l.pointer(4), i, Math.max(0f, mem.getFloat(l.pointer(1), i)));
      }
    });
  }

  @Test
  void insideDeviceOpsOutputsStayOnTheDeviceUntilTheHostAsks() {
    emulateRelu();
    float[] x = {-1f, 2f, -3f, 4f}, y = new float[4], z = new float[4];
    backend.onDevice(() -> {
      backend.elementwise().unary(Activation.RELU, x, 0, 0, y, 4);
      backend.elementwise().unary(Activation.RELU, y, 0, 0, z, 4);
      return null;
    });
    assertArrayEquals(new float[4], y, "y is still on the device");
    assertArrayEquals(new float[4], z);
    int uploads = fake.uploads();
    assertEquals(1, uploads, "only x travelled to the device");
    backend.syncToHost(z);
    assertArrayEquals(new float[] {0f, 2f, 0f, 4f}, z);
    backend.syncToHost(z);
    assertEquals(1, fake.copiesToHost, "a synced array is not copied again");

    x[0] = 5f; // the host writes x: its device copy is stale
    backend.hostChanged(x);
    backend.onDevice(() -> {
      backend.elementwise().unary(Activation.RELU, x, 0, 0, y, 4);
      return null;
    });
    assertEquals(2, fake.uploads(), "x travelled again after the host wrote it");
    // outside device ops a kernel call reads y's newest numbers and copies its output back
    backend.elementwise().unary(Activation.RELU, y, 0, 0, z, 4);
    assertArrayEquals(new float[] {5f, 2f, 0f, 4f}, z);
  }

  @Test
  void reusedBuffersAreZeroedOnTheDeviceOnlyInsideDeviceOps() {
    float[] a = {7f, 8f, 9f};
    assertFalse(backend.zeroOnDevice(a), "outside device ops the host zeroes it");
    int zeroedBefore = fake.zeroings;
    boolean zeroed = backend.onDevice(() -> backend.zeroOnDevice(a));
    assertTrue(zeroed);
    assertEquals(zeroedBefore + 1, fake.zeroings);
    assertArrayEquals(new float[] {7f, 8f, 9f}, a, "the host array is left as it was");
    backend.syncToHost(a);
    assertArrayEquals(new float[3], a, "the host gets the zeros when it asks");
    assertFalse(backend.onDevice(() -> backend.zeroOnDevice(new int[2])), "only float and double arrays");
  }

  @Test
  void theBackwardPhaseBringsEverythingHomeAndForgetsTheDeviceCopies() {
    emulateRelu();
    float[] x = {-1f, 2f}, y = new float[2];
    backend.onDevice(() -> {
      backend.elementwise().unary(Activation.RELU, x, 0, 0, y, 2);
      return null;
    });
    float[] seen = backend.onHost(y::clone);
    assertArrayEquals(new float[] {0f, 2f}, seen);
    int before = fake.uploads();
    backend.onDevice(() -> {
      backend.elementwise().unary(Activation.RELU, x, 0, 0, y, 2);
      return null;
    });
    assertEquals(before + 1, fake.uploads(), "after the phase x is uploaded again");
  }

  @Test
  void oneDimensionalKernelsCoverTheirElementsAndCapTheGrid() {
    assertEquals(Dim3.of(1), CudaDevice.grid1d(1));
    assertEquals(Dim3.of(1), CudaDevice.grid1d(256));
    assertEquals(Dim3.of(2), CudaDevice.grid1d(257));
    assertEquals(Dim3.of(CudaDevice.MAX_BLOCKS), CudaDevice.grid1d(1L << 31));
    assertEquals(new Dim3(3, 2, 1), CudaGemm.grid(70, 130));
  }

  @Test
  void convolutionLaunchesCarryTheWindowAndTheActivation() {
    int[] xShape = {2, 4, 9, 7}, wShape = {6, 2, 3, 3}, yShape = {2, 6, 5, 3};
    backend.conv().forward(new float[2 * 4 * 9 * 7], xShape, new float[6 * 2 * 9], wShape, new float[6],
        geometry2d(), 2, Activation.HARD_SWISH, 1 / 6f, 0.5f, new float[2 * 6 * 5 * 3], yShape);
    FakeDriver.Launch l = fake.launches.getLast();
    assertEquals("conv_fwd_f32", l.kernel());
    assertEquals(Dim3.of(1), l.grid());
    assertEquals(Dim3.of(256), l.block());
    assertArrayEquals(new int[] {2, 4, 6, 2, 1, 9, 7, 1, 5, 3, 1, 3, 3, 1, 2, 1, 0, 1, 0, 0, 1, 2, 1, 1, 2},
        l.struct(4));
    assertEquals(Activation.HARD_SWISH.ordinal(), l.i32(5));

    backend.conv().backwardWeight(new float[2 * 6 * 5 * 3], yShape, new float[2 * 4 * 9 * 7], xShape, geometry2d(),
        2, new float[6 * 2 * 9], wShape);
    l = fake.launches.getLast();
    assertEquals("conv_bwd_weight_f32", l.kernel());
    assertEquals(Dim3.of(6 * 2 * 9), l.grid());
  }

  @Test
  void convolutionsWithSeveralChannelsPerGroupRunAsImplicitGemm() {
    // 3 groups of 4 input and 70 output channels: each group's product is 70 rows × (2·5·3)
    // columns, one tile column and two tile rows, a grid layer per group
    int[] xShape = {2, 12, 9, 7}, wShape = {210, 4, 3, 3}, yShape = {2, 210, 5, 3};
    backend.conv().forward(new float[2 * 12 * 9 * 7], xShape, new float[210 * 4 * 9], wShape, null, geometry2d(), 3,
        Activation.RELU, 0f, 0f, new float[2 * 210 * 5 * 3], yShape);
    FakeDriver.Launch l = fake.launches.getLast();
    assertEquals("conv_gemm_fwd_f32", l.kernel());
    assertEquals(new Dim3(1, 2, 3), l.grid());
    assertEquals(Dim3.of(256), l.block());
    assertEquals(Activation.RELU.ordinal(), l.i32(5));
    assertEquals(210, l.i32(8), "y's channel count");
    assertEquals(0, l.i32(9), "the first channel written");

    backend.conv().backwardData(new float[2 * 210 * 5 * 3], yShape, new float[210 * 4 * 9], wShape, geometry2d(), 3,
        new float[2 * 12 * 9 * 7], xShape);
    l = fake.launches.getLast();
    assertEquals("conv_gemm_bwd_data_f32", l.kernel());
    assertEquals(new Dim3(2, 1, 3), l.grid(), "4 rows (input channels) by 2·9·7 = 126 columns per group");

    // a depthwise convolution, and any double one, stays on the direct kernels
    int[] dw = {12, 1, 3, 3}, dy = {2, 12, 5, 3};
    backend.conv().forward(new float[2 * 12 * 9 * 7], xShape, new float[12 * 9], dw, null, geometry2d(), 12,
        new float[2 * 12 * 5 * 3], dy);
    assertEquals("conv_fwd_f32", fake.launches.getLast().kernel());
    backend.conv().forward(new double[2 * 12 * 9 * 7], xShape, new double[210 * 4 * 9], wShape, null, geometry2d(), 3,
        new double[2 * 210 * 5 * 3], yShape);
    assertEquals("conv_fwd_f64", fake.launches.getLast().kernel());
    assertFalse(CudaConv.usesGemm(12, new int[] {12, 1, 3, 3}, 12));
    assertFalse(CudaConv.usesGemm(8, new int[] {3, 8, 1, 1}, 1), "3 output channels");
    assertTrue(CudaConv.usesGemm(3, new int[] {16, 3, 3, 3}, 1), "an image model's stem");
  }

  @Test
  void uploadsQueueOnTheStreamAndStagingIsNotReusedBeforeItsCopiesAreDone() {
    // halves of 1 KB: each 800-byte upload fills one, so every upload after the second reuses
    // a half whose copy may not have run yet (the fake runs queued copies only at the next
    // launch, wait or synchronous copy, reading the staging bytes then)
    fake.devices = 1;
    CudaDevice dev = new CudaDevice(fake, 0, 1024);
    float[][] host = new float[7][200];
    for (int a = 0; a < host.length; a++) {
      for (int i = 0; i < 200; i++) {
        host[a][i] = a * 1000 + i;
      }
    }
    float[] big = new float[300]; // 1,200 bytes, more than a half: copied synchronously
    java.util.Arrays.fill(big, 7f);
    float[][] back = new float[host.length][200];
    float[] bigBack = new float[300];
    dev.call(call -> {
      long[] at = new long[host.length];
      for (int a = 0; a < host.length; a++) {
        at[a] = call.upload(host[a], 0, 200);
      }
      long b = call.upload(big, 0, 300);
      for (int a = 0; a < host.length; a++) {
        fake.copyToHost(java.lang.foreign.MemorySegment.ofArray(back[a]), at[a]);
      }
      fake.copyToHost(java.lang.foreign.MemorySegment.ofArray(bigBack), b);
    });
    for (int a = 0; a < host.length; a++) {
      assertArrayEquals(host[a], back[a], "upload " + a);
    }
    assertArrayEquals(big, bigBack);
    assertEquals(host.length, fake.asyncCopiesToDevice, "small uploads queue on the stream");
    assertEquals(1, fake.copiesToDevice, "only the upload larger than a half copies synchronously");
    assertEquals(host.length - 2, dev.stagingWaits(), "each reuse of a half waits for its event");
  }

  @Test
  void rowCopiesRunOnTheDeviceAndKeepTheGapsBetweenRows() {
    fake.emulate("copy_rows_f32", (l, mem) -> {
      int srcRow = l.i32(1), dstRow = l.i32(3), rows = l.i32(4), len = l.i32(5);
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < len; j++) {
          mem.setFloat(l.pointer(2), r * dstRow + j, mem.getFloat(l.pointer(0), r * srcRow + j));
        }
      }
    });
    float[] src = {1, 2, 3, 4, 5, 6}, dst = {-1, -1, -1, -1, -1, -1, -1, -1};
    // rows of 2 from every third source element into every fourth destination slot, from 1
    backend.copy().copyRows(src, 0, 3, dst, 1, 4, 2, 2);
    assertEquals("copy_rows_f32", fake.launches.getLast().kernel());
    assertArrayEquals(new float[] {-1, 1, 2, -1, -1, 4, 5, -1}, dst, "outside device ops");
    float[] dst2 = {-1, -1, -1, -1, -1, -1, -1, -1};
    backend.onDevice(() -> {
      backend.copy().copyRows(src, 0, 3, dst2, 1, 4, 2, 2);
      return null;
    });
    backend.syncToHost(dst2);
    assertArrayEquals(new float[] {-1, 1, 2, -1, -1, 4, 5, -1}, dst2, "inside device ops, brought back");
  }

  @Test
  void aRecordingRunsNothingUntilReplayedThenReplaysWithNewInputs() {
    emulateRelu();
    float[] x = {-1f, 2f, -3f, 4f}, y = new float[4], z = new float[4];
    backend.toDevice(x); // inputs go up before the recording, so that it does not copy them itself
    int launched = fake.launches.size();
    dev.jattr.kernels.DeviceRecording r = backend.record(() -> backend.onDevice(() -> {
      backend.elementwise().unary(Activation.RELU, x, 0, 0, y, 4);
      backend.elementwise().unary(Activation.RELU, y, 0, 0, z, 4);
      return null;
    }));
    assertEquals(launched, fake.launches.size(), "recorded, not run");
    r.replay();
    assertEquals(launched + 2, fake.launches.size());
    backend.syncToHost(z);
    assertArrayEquals(new float[] {0f, 2f, 0f, 4f}, z);

    x[0] = 5f;
    x[3] = -4f;
    backend.hostChanged(x);
    backend.toDevice(x);
    r.replay();
    backend.deviceWrote(z);
    backend.syncToHost(z);
    assertArrayEquals(new float[] {5f, 2f, 0f, 0f}, z, "the replay reads the new input");
    assertEquals(2, fake.graphLaunches);
    r.close();
    assertThrows(IllegalStateException.class, r::replay);
  }

  @Test
  void aRecordingThatWouldWaitForTheDeviceFailsAndLeavesTheBackendUsable() {
    emulateRelu();
    float[] x = {-1f, 2f}, y = new float[2], z = new float[2];
    backend.onDevice(() -> {
      backend.elementwise().unary(Activation.RELU, x, 0, 0, y, 2);
      return null;
    });
    CudaException e = assertThrows(CudaException.class, () -> backend.record(() -> {
      backend.syncToHost(y); // a copy back waits for the device: not in a recording
    }));
    assertTrue(e.getMessage().contains("cuMemcpyDtoH_v2"), e.getMessage());
    backend.elementwise().unary(Activation.RELU, y, 0, 0, z, 2);
    assertArrayEquals(new float[] {0f, 2f}, z, "after the failed recording calls run as before");
  }

  @Test
  void productsWithFewOutputsOverALongKSumInLanes() {
    backend.gemm().multiply(new float[50 * 1024], 0, false, new float[10 * 1024], 0, true, new float[500], 0, 50, 1024,
        10, false);
    FakeDriver.Launch l = fake.launches.getLast();
    assertEquals("gemm_dot_f32", l.kernel());
    assertEquals(Dim3.of(32), l.grid(), "16 outputs per block of 256");
    assertEquals(Dim3.of(256), l.block());
    backend.gemm().multiply(new float[64 * 32], 0, false, new float[32 * 48], 0, false, new float[64 * 48], 0, 64, 32,
        48, false);
    assertEquals("gemm_f32", fake.launches.getLast().kernel(), "a short k stays on the tiles");
    assertTrue(CudaGemm.usesDot(1, 1024, 10));
    assertFalse(CudaGemm.usesDot(512, 512, 512));
  }

  @Test
  void windowsOfLowerRankArePaddedAtTheFront() {
    WindowGeometry g1 = new WindowGeometry(new int[] {3}, new int[] {2}, new int[] {1, 2}, new int[] {2});
    assertArrayEquals(new int[] {1, 3, 3, 1, 1, 1, 10, 1, 1, 6, 1, 1, 3, 1, 1, 2, 0, 0, 1, 0, 0, 2, 1, 1, 2},
        Windows.of(new int[] {1, 3, 10}, 3, 1, new int[] {1, 3, 6}, g1));
    WindowGeometry g3 = new WindowGeometry(new int[] {1, 2, 3}, null, null, null);
    int[] f = Windows.of(new int[] {1, 1, 4, 5, 6}, 2, 1, new int[] {1, 2, 4, 4, 4}, g3);
    assertArrayEquals(new int[] {4, 5, 6}, java.util.Arrays.copyOfRange(f, 4, 7));
    assertArrayEquals(new int[] {1, 2, 3}, java.util.Arrays.copyOfRange(f, 10, 13));
    assertThrows(IllegalArgumentException.class,
        () -> Windows.of(new int[] {1, 1, 2, 2, 2, 2}, 1, 1, new int[] {1, 1, 2, 2, 2, 2},
            new WindowGeometry(new int[] {1, 1, 1, 1}, null, null, null)));
  }

  @Test
  void steadyStateCallsAllocateNoDeviceMemory() {
    float[] a = new float[64 * 32], b = new float[32 * 48], c = new float[64 * 48];
    backend.gemm().multiply(a, 0, false, b, 0, true, c, 0, 64, 32, 48, false);
    long first = backend.deviceAllocations();
    assertEquals(3, first);
    for (int i = 0; i < 5; i++) {
      backend.gemm().multiply(a, 0, false, b, 0, true, c, 0, 64, 32, 48, true);
    }
    assertEquals(first, backend.deviceAllocations());
  }

  @Test
  void sizeClassesArePowersOfTwoFrom256Bytes() {
    assertEquals(256, CudaDevice.sizeClass(0));
    assertEquals(256, CudaDevice.sizeClass(256));
    assertEquals(512, CudaDevice.sizeClass(257));
    assertEquals(1L << 30, CudaDevice.sizeClass((1L << 29) + 1));
  }

  @Test
  void driverErrorsNameTheFunctionAndReturnTheBuffers() {
    float[] x = new float[100];
    backend.elementwise().unary(Activation.TANH, x, 0, 0, x, 100);
    long before = backend.deviceAllocations();
    fake.failNext("cuLaunchKernel", 700);
    CudaException e = assertThrows(CudaException.class,
        () -> backend.elementwise().unary(Activation.TANH, x, 0, 0, x, 100));
    assertEquals("cuLaunchKernel: CUDA_ERROR_ILLEGAL_ADDRESS (an illegal memory access was encountered)",
        e.getMessage());
    assertEquals("cuLaunchKernel", e.function());
    assertEquals(700, e.code());
    backend.elementwise().unary(Activation.TANH, x, 0, 0, x, 100);
    assertEquals(before, backend.deviceAllocations());
  }

  @Test
  void outOfDeviceMemoryEmptiesTheCacheAndTriesOnce() {
    float[] big = new float[1 << 16];
    backend.elementwise().unary(Activation.SIGMOID, big, 0, 0, big, big.length);
    int freesBefore = fake.frees;
    fake.failNext("cuMemAlloc_v2", CudaException.OUT_OF_MEMORY);
    float[] other = new float[1 << 18];
    backend.elementwise().unary(Activation.SIGMOID, other, 0, 0, other, other.length);
    assertTrue(fake.frees > freesBefore, "the cached buffers were freed");
  }

  @Test
  void driverErrorTextUsesWhatTheDriverKnows() {
    assertEquals("CUDA_ERROR_INVALID_VALUE (invalid argument)",
        CudaErrors.describe(1, rc -> "CUDA_ERROR_INVALID_VALUE", rc -> "invalid argument"));
    assertEquals("CUresult 9999 (unknown to the driver)", CudaErrors.describe(9999, rc -> null, rc -> null));
    assertEquals("CUresult 3 (initialization error)", CudaErrors.describe(3, rc -> null, rc -> "initialization error"));
  }

  @Test
  void badGatherIndicesFailBeforeAnyLaunch() {
    AxisView v = new AxisView(2, 5, 3);
    assertThrows(IndexOutOfBoundsException.class,
        () -> backend.index().gather(new float[30], v, new int[] {1, 5}, new float[12]));
    assertThrows(IndexOutOfBoundsException.class,
        () -> backend.index().scatterAdd(new float[12], new int[] {-1, 0}, v, new float[30]));
    assertTrue(fake.launches.isEmpty());
  }

  @Test
  void reversedCopiesUploadOnlyTheSpanAndPointIntoIt() {
    float[] src = new float[40];
    float[] dst = new float[6];
    assertArrayEquals(new long[] {5, 16}, CudaCopy.span(15, new int[] {-5, 1}, new int[] {3, 2}));
    backend.copy().copy(src, 15, new int[] {-5, 1}, new int[] {3, 2}, dst, 0);
    FakeDriver.Launch l = fake.launches.getLast();
    assertEquals("strided_copy_f32", l.kernel());
    int[] s = l.struct(1);
    assertEquals(2, s[0]);
    assertArrayEquals(new int[] {3, 2}, java.util.Arrays.copyOfRange(s, 1, 3));
    assertArrayEquals(new int[] {-5, 1}, java.util.Arrays.copyOfRange(s, 9, 11));
  }

  @Test
  void eachModuleIsLoadedOnceAndEveryJavaLaunchMatchesThePtx() {
    exerciseEveryFamily();
    Set<String> launched = fake.launches.stream().map(FakeDriver.Launch::kernel)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected = new TreeSet<>(Set.of("gemm_f32", "gemm_f64", "conv_fwd_f32", "conv_bwd_data_f32",
        "conv_bwd_weight_f32", "conv_fwd_f64", "conv_bwd_data_f64", "conv_bwd_weight_f64", "maxpool_fwd_f32",
        "maxpool_bwd_f32", "avgpool_fwd_f32", "avgpool_bwd_f32", "maxpool_fwd_f64", "maxpool_bwd_f64",
        "avgpool_fwd_f64", "avgpool_bwd_f64", "unary_f32", "unary_bwd_f32", "binary_f32", "affine_f32",
        "sum_over_axis_f32", "sum_to_axis_f32", "softmax_f32", "sum_over_axis_f64", "sum_to_axis_f64", "softmax_f64",
        "gather_f32", "scatter_add_f32", "gather_f64", "scatter_add_f64", "strided_copy_f32", "strided_copy_f64",
        "cast_f32_f64", "cast_f64_f32"));
    assertEquals(expected, launched);
    assertEquals(7, fake.modulesLoaded.size(), "one load per module: " + fake.modulesLoaded);
    CudaBackend tf32 = new CudaBackend(() -> fake, 0, true);
    tf32.gemm().multiply(new float[6], 0, false, new float[6], 0, false, new float[4], 0, 2, 3, 2, false);
    assertEquals("gemm_tf32", fake.launches.getLast().kernel());
  }

  private void exerciseEveryFamily() {
    float[] f = new float[4096];
    double[] d = new double[4096];
    int[] arg = new int[64];
    backend.gemm().multiply(f, 1, true, f, 2, false, f, 3, 4, 5, 6, false);
    backend.gemm().multiply(d, 1, false, d, 2, true, d, 3, 4, 5, 6, true);
    backend.gemm().multiplyBatched(f, new int[] {0, 10}, false, f, new int[] {0, 0}, false, f, new int[] {100, 100},
        2, 3, 4, true);
    int[] xs = {1, 2, 5, 5}, ws = {2, 2, 3, 3}, ys = {1, 2, 2, 2};
    WindowGeometry g = new WindowGeometry(new int[] {3, 3}, new int[] {2, 2}, null, null);
    backend.conv().forward(f, xs, f, ws, null, g, 1, f, ys);
    backend.conv().backwardData(f, ys, f, ws, g, 1, f, xs);
    backend.conv().backwardWeight(f, ys, f, xs, g, 1, f, ws);
    backend.conv().forward(d, xs, d, ws, d, g, 1, d, ys);
    backend.conv().backwardData(d, ys, d, ws, g, 1, d, xs);
    backend.conv().backwardWeight(d, ys, d, xs, g, 1, d, ws);
    int[] ps = {1, 2, 2, 2};
    backend.pool().maxForward(f, xs, g, f, ps, arg);
    backend.pool().maxBackward(f, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, f);
    backend.pool().averageForward(f, xs, g, true, f, ps);
    backend.pool().averageBackward(f, ps, g, false, f, xs);
    backend.pool().maxForward(d, xs, g, d, ps, arg);
    backend.pool().maxBackward(d, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, d);
    backend.pool().averageForward(d, xs, g, true, d, ps);
    backend.pool().averageBackward(d, ps, g, false, d, xs);
    backend.elementwise().unary(Activation.RELU, f, 0, 0, f, 10);
    backend.elementwise().unaryBackward(Activation.SIGMOID, null, f, f, 0, 0, f, 10);
    AxisView v = new AxisView(2, 3, 4);
    backend.elementwise().binary(Arithmetic.DIV, f, f, true, v, f);
    backend.elementwise().affine(f, f, f, v, f);
    backend.reduce().sumOverAxis(f, v, f);
    backend.reduce().sumToAxis(f, v, f);
    backend.reduce().softmax(f, v, true, f);
    backend.reduce().sumOverAxis(d, v, d);
    backend.reduce().sumToAxis(d, v, d);
    backend.reduce().softmax(d, v, false, d);
    backend.index().gather(f, v, new int[] {2, 2, 0}, f);
    backend.index().scatterAdd(f, new int[] {2, 2, 0}, v, f);
    backend.index().gather(d, v, new int[] {1}, d);
    backend.index().scatterAdd(d, new int[] {1}, v, d);
    backend.copy().copy(f, 0, new int[] {1, 0}, new int[] {3, 4}, f, 100);
    backend.copy().copy(d, 0, new int[] {4, 1}, new int[] {3, 4}, d, 100);
    backend.copy().cast(f, d, 10);
    backend.copy().cast(d, f, 10);
  }
}
