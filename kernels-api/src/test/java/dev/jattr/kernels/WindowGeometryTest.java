package dev.jattr.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WindowGeometryTest {

  @Test
  void validatesLengthsNamingTheField() {
    int[] k = {3, 3};
    var e = assertThrows(IllegalArgumentException.class,
        () -> new WindowGeometry(k, new int[] {1}, new int[4], new int[] {1, 1}));
    assertTrue(e.getMessage().contains("strides"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new WindowGeometry(k, new int[] {1, 1}, new int[2], new int[] {1, 1}));
    assertTrue(e.getMessage().contains("pads"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new WindowGeometry(k, new int[] {1, 1}, new int[4], new int[] {1}));
    assertTrue(e.getMessage().contains("dilations"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new WindowGeometry(new int[0], null, null, null));
    assertTrue(e.getMessage().contains("kernel"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new WindowGeometry(k, new int[] {0, 1}, new int[4], new int[] {1, 1}));
    assertTrue(e.getMessage().contains("strides"), e.getMessage());
  }

  @Test
  void defaultsAndCopies() {
    int[] k = {2, 3};
    WindowGeometry g = new WindowGeometry(k, null, null, null);
    k[0] = 9;
    assertEquals(2, g.rank());
    assertArrayEquals(new int[] {2, 3}, g.kernel());
    assertArrayEquals(new int[] {1, 1}, g.strides());
    assertArrayEquals(new int[] {0, 0, 0, 0}, g.pads());
    assertArrayEquals(new int[] {1, 1}, g.dilations());
    assertEquals(g, WindowGeometry.of(2, 3));
    assertEquals(g.hashCode(), WindowGeometry.of(2, 3).hashCode());
  }

  @Test
  void outputSize() {
    // in 7, k 3, stride 2, pads 1/0, dil 1: (7+1+0-2-1)/2+1 = 5/2+1 = 3 floor, 4 ceil
    WindowGeometry g = new WindowGeometry(new int[] {3}, new int[] {2}, new int[] {1, 0},
        new int[] {1});
    assertEquals(3, g.outputSize(0, 7, false));
    assertEquals(4, g.outputSize(0, 7, true));
    // dilation 2, k 3 spans 5: (8 - 4 - 1)/1 + 1 = 4
    WindowGeometry h = new WindowGeometry(new int[] {3}, null, null, new int[] {2});
    assertEquals(4, h.outputSize(0, 8, false));
    assertEquals(4, h.outputSize(0, 8, true));
    // exact division: ceil equals floor
    WindowGeometry p = new WindowGeometry(new int[] {2, 2}, new int[] {2, 2}, null, null);
    assertEquals(2, p.outputSize(1, 4, true));
    assertEquals(2, p.outputSize(1, 5, false));
    assertEquals(3, p.outputSize(1, 5, true));
  }
}
