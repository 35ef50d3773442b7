package org.eventloop4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The memory targets of the core, by heap deltas around 2·10^5 live objects (the reference array's 4 bytes
 * per slot subtracted): a pending timer ≤ 64 bytes, a settled promise without reactions ≤ 32 bytes, a
 * {@code then} link (derived promise + reaction, capture-free function) ≤ 80 bytes. Prints the figures.
 */
class MemoryFootprintTest {
  private static final int N = 200_000;

  @Test
  void pendingTimer_settledPromise_thenLink_fitTheirBudgets() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    Runnable noop = () -> { };
    double timer = perObject(() -> {
      Object[] keep = new Object[N];
      for (int i = 0; i < N; i++) {
        keep[i] = loop.setTimeout(noop, 1000 + (i & 1023));
      }
      return keep;
    });
    double[] promise = {0};
    double[] link = {0};
    EventLoop other = EventLoop.builder().virtualTime().build();
    other.run(() -> {
      promise[0] = perObject(() -> {
        Object[] keep = new Object[N];
        for (int i = 0; i < N; i++) {
          keep[i] = Promise.resolve(keep);
        }
        return keep;
      });
      Promise<Object> root = Promise.withResolvers().promise();
      link[0] = perObject(() -> {
        Object[] keep = new Object[N];
        Promise<Object> p = root;
        for (int i = 0; i < N; i++) {
          p = p.then(v -> v);
          keep[i] = p;
        }
        return keep;
      });
    });
    System.out.printf("pending timer %.1f B, settled promise %.1f B, then link %.1f B (heap deltas)%n", timer, promise[0], link[0]);
    assertTrue(aligned(timer) <= 64, "pending timer: " + timer + " B");
    assertTrue(aligned(promise[0]) <= 32, "settled promise: " + promise[0] + " B");
    assertTrue(aligned(link[0]) <= 80, "then link: " + link[0] + " B");
  }

  /** Objects take multiples of 8 bytes; a heap delta is off by GC noise, so round to the nearest 8. */
  private static long aligned(double bytes) {
    return Math.round(bytes / 8) * 8;
  }

  private interface Allocation {
    Object[] allocate();
  }

  private static double perObject(Allocation allocation) {
    long before = usedAfterGc();
    Object[] keep = allocation.allocate();
    long after = usedAfterGc();
    double per = (after - before) / (double) keep.length - 4;
    if (keep[keep.length - 1] == null) {
      throw new AssertionError("nothing allocated");
    }
    return per;
  }

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
