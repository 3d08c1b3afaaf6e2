package dev.jattr.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Discovery with the fakes this module's tests register (the CPU backend lives in kernels-cpu,
 * which this module does not see).
 */
class BackendsTest {
  @Test
  void findsTheReadyBackendsInClasspathOrder() {
    assertEquals(List.of("fake"), Backends.available().stream().map(Backend::name).toList());
    assertInstanceOf(FakeBackends.Ready.class, Backends.byName("fake"));
  }

  @Test
  void skipsTheOthersSayingWhy() {
    Map<String, String> why = Backends.unavailable().stream()
        .collect(Collectors.toMap(Backends.Unavailable::backend, Backends.Unavailable::reason, (a, b) -> a + b));
    assertEquals("no fake GPU in this machine", why.get("fake-gpu"));
    String broken = why.get(FakeBackends.Broken.class.getName());
    assertTrue(broken != null && broken.contains("libfake.so not found"), why.toString());
    assertTrue(why.get("fake").contains(FakeBackends.SameName.class.getName()), why.toString());
    assertEquals(3, why.size(), why.toString());
  }

  @Test
  void aMissingOrSkippedBackendFailsByName() {
    var gpu = assertThrows(IllegalStateException.class, () -> Backends.byName("fake-gpu"));
    assertTrue(gpu.getMessage().contains("no fake GPU"), gpu.getMessage());
    var none = assertThrows(IllegalStateException.class, () -> Backends.byName("tpu"));
    assertTrue(none.getMessage().contains("[fake]"), none.getMessage());
    var cpu = assertThrows(IllegalStateException.class, Backends::cpu);
    assertTrue(cpu.getMessage().contains("jattr-kernels-cpu"), cpu.getMessage());
  }

  @Test
  void valueTypesCheckTheirFields() {
    assertThrows(IllegalArgumentException.class, () -> new Device(" ", Device.Kind.CPU));
    assertThrows(IllegalArgumentException.class, () -> Availability.unavailable(""));
    assertTrue(Availability.ready().available());
    assertThrows(IllegalArgumentException.class, () -> new AxisView(2, -1, 3));
    assertThrows(IllegalArgumentException.class, () -> new AxisView(1 << 16, 1 << 16, 2));
    AxisView v = new AxisView(2, 3, 4);
    assertEquals(24, v.size());
    assertEquals(new AxisView(2, 5, 4), v.withMid(5));
  }

  @Test
  void theBatchedProductRunsEachProductInOrder() {
    StringBuilder calls = new StringBuilder();
    GemmKernels logging = new GemmKernels() {
      @Override
      public void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff, boolean transB, float[] c,
          int cOff, int m, int k, int n, boolean accumulate) {
        calls.append(aOff).append(',').append(bOff).append(',').append(cOff).append(';');
      }

      @Override
      public void multiply(double[] a, int aOff, boolean transA, double[] b, int bOff, boolean transB, double[] c,
          int cOff, int m, int k, int n, boolean accumulate) {
        calls.append('d');
      }
    };
    logging.multiplyBatched(new float[0], new int[] {0, 4}, false, new float[0], new int[] {0, 0}, false,
        new float[0], new int[] {8, 8}, 1, 1, 1, true);
    assertEquals("0,0,8;4,0,8;", calls.toString());
    assertThrows(IllegalArgumentException.class, () -> logging.multiplyBatched(new double[0], new int[1], false,
        new double[0], new int[2], false, new double[0], new int[1], 1, 1, 1, false));
  }
}
