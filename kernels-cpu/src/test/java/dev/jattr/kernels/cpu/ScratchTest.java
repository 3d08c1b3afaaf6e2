package dev.jattr.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sizes are odd and distinct per test, so that buffers other tests left on the thread never fit first. */
class ScratchTest {

  @Test
  void givenBufferIsReusedForSmallerOrEqualRequests() {
    float[] a = Scratch.take(1_000_003);
    assertTrue(a.length >= 1_000_003);
    Scratch.give(a);
    float[] b = Scratch.take(a.length);
    assertSame(a, b);
    Scratch.give(b);
  }

  @Test
  void theSmallestKeptBufferThatFitsIsTaken() {
    float[] large = Scratch.take(3_000_017);
    float[] medium = Scratch.take(2_000_011);
    Scratch.give(large);
    Scratch.give(medium);
    assertSame(medium, Scratch.take(1_900_000));
    assertSame(large, Scratch.take(2_500_000));
    Scratch.give(large);
    Scratch.give(medium);
  }

  @Test
  void bufferInUseIsNeverHandedOutTwice() {
    float[] outer = Scratch.take(500_009);
    float[] nested = Scratch.take(500_009);
    assertNotSame(outer, nested);
    Scratch.give(nested);
    Scratch.give(outer);
  }

  /** A convolution's unfold, its product's operand copy and a third level: warm, none allocates. */
  @Test
  void nestedLevelsAreServedWithoutAllocatingOnceWarm() {
    int[] sizes = {4_000_037, 4_000_039, 4_000_049};
    Set<float[]> first = Collections.newSetFromMap(new IdentityHashMap<>());
    float[][] out = new float[sizes.length][];
    for (int i = 0; i < sizes.length; i++) {
      out[i] = Scratch.take(sizes[i]);
      first.add(out[i]);
    }
    assertTrue(first.size() == sizes.length, "three levels get three arrays");
    for (int i = sizes.length - 1; i >= 0; i--) {
      Scratch.give(out[i]);
    }
    for (int i = 0; i < sizes.length; i++) {
      out[i] = Scratch.take(sizes[i]);
      assertTrue(first.contains(out[i]), "level " + i + " reuses a kept array");
    }
    for (float[] o : out) {
      Scratch.give(o);
    }
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
