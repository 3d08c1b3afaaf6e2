package dev.jattr.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScratchTest {

  @Test
  void givenBufferIsReusedForSmallerOrEqualRequests() {
    float[] a = Scratch.take(1000);
    assertTrue(a.length >= 1000);
    Scratch.give(a);
    float[] b = Scratch.take(a.length);
    assertSame(a, b);
    Scratch.give(b);
    float[] c = Scratch.take(10);
    assertSame(a, c);
    Scratch.give(c);
  }

  @Test
  void bufferInUseIsNeverHandedOutTwice() {
    float[] outer = Scratch.take(500);
    Scratch.give(new float[0]);
    float[] nested = Scratch.take(500);
    assertNotSame(outer, nested);
    Scratch.give(nested);
    Scratch.give(outer);
  }

  @Test
  void tooSmallKeptBufferIsReplacedByALargerOne() {
    float[] small = Scratch.take(16);
    Scratch.give(small);
    float[] big = Scratch.take(small.length + 1);
    assertNotSame(small, big);
    assertTrue(big.length > small.length);
    Scratch.give(big);
    assertSame(big, Scratch.take(small.length + 1));
  }

  @Test
  void oversizedBuffersAreNotKept() {
    float[] kept = Scratch.take(8);
    Scratch.give(kept);
    Scratch.give(new float[Scratch.MAX_KEPT + 1]);
    float[] again = Scratch.take(8);
    assertTrue(again.length <= Scratch.MAX_KEPT);
    Scratch.give(again);
  }
}
