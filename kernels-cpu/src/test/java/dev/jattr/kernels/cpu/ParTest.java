package dev.jattr.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParTest {
  @Test
  void everyTaskRunsExactlyOnce() {
    for (int n = 0; n < 40; n++) {
      AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(n, 1));
      Par.forEach(n, runs::incrementAndGet);
      for (int t = 0; t < n; t++) {
        assertEquals(1, runs.get(t), "task " + t + " of " + n);
      }
    }
  }

  @Test
  void rangesCoverTheIndicesWithoutOverlap() {
    for (int count : new int[] {1, 2, 3, 7, 8, 9, 100, 1001}) {
      AtomicIntegerArray hits = new AtomicIntegerArray(count);
      Par.forRange(count, true, (from, to) -> {
        for (int i = from; i < to; i++) {
          hits.incrementAndGet(i);
        }
      });
      for (int i = 0; i < count; i++) {
        assertEquals(1, hits.get(i), "index " + i + " of " + count);
      }
    }
  }

  @Test
  void aTaskFailureReachesTheCallerAndTheTeamStaysUsable() {
    IllegalArgumentException boom = new IllegalArgumentException("task 5");
    IllegalArgumentException seen = assertThrows(IllegalArgumentException.class,
        () -> Par.forEach(16, t -> {
          if (t == 5) {
            throw boom;
          }
        }));
    assertSame(boom, seen);
    AtomicIntegerArray runs = new AtomicIntegerArray(16);
    Par.forEach(16, runs::incrementAndGet);
    for (int t = 0; t < 16; t++) {
      assertEquals(1, runs.get(t));
    }
  }

  @Test
  void nestedCallsRunOnTheirOwnThread() {
    AtomicIntegerArray runs = new AtomicIntegerArray(8 * 8);
    Par.forEach(8, outer -> Par.forEach(8, inner -> runs.incrementAndGet(outer * 8 + inner)));
    for (int i = 0; i < 64; i++) {
      assertEquals(1, runs.get(i), "pair " + i);
    }
  }

  @Test
  void concurrentCallersAllFinish() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<long[]>> results = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int seed = c;
        results.add(callers.submit(() -> {
          long[] sums = new long[200];
          for (int rep = 0; rep < sums.length; rep++) {
            long[] part = new long[10];
            int base = seed * 1000 + rep;
            Par.forEach(10, t -> part[t] = (long) base * t);
            for (long p : part) {
              sums[rep] += p;
            }
          }
          return sums;
        }));
      }
      for (int c = 0; c < 4; c++) {
        long[] sums = results.get(c).get();
        for (int rep = 0; rep < sums.length; rep++) {
          assertEquals(45L * (c * 1000 + rep), sums[rep], "caller " + c + " call " + rep);
        }
      }
    } finally {
      callers.shutdownNow();
    }
  }

  /**
   * The parallelism property decides the threads by its own value: 0 is the caller alone (the JDK
   * reports 1 for it), unset or unreadable falls back to the pool's, and the cores bound it.
   */
  @Test
  void threadsFollowTheParallelismPropertyItself() {
    assertEquals(1, Par.threadsFor("0", 1, 16));
    assertEquals(1, Par.threadsFor(" 0 ", 1, 16));
    assertEquals(2, Par.threadsFor("1", 1, 16));
    assertEquals(4, Par.threadsFor("7", 7, 4));
    assertEquals(8, Par.threadsFor(null, 7, 16));
    assertEquals(3, Par.threadsFor("many", 2, 16));
    assertEquals(1, Par.threadsFor("-3", 1, 16));
    assertEquals(1, Par.threadsFor(null, 15, 1));
  }
}
