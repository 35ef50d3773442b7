package org.eventloop4j.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lock-free count window: against a deque model, packed-field decoding, and exact totals under threads. */
@Timeout(30)
class CountWindowTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  @Test
  void field_negativeAndPositiveValues_decodeExactly() {
    long[][] cases = {{0, 0, 0}, {5, -1, 2}, {-3, 7, -2}, {(1 << 19) - 1, -(1 << 19), 12}, {-1, -1, -1}};
    for (long[] c : cases) {
      long packed = c[0] + (c[1] << 21) + (c[2] << 42);
      assertEquals(c[0], CountWindow.field(packed, 0));
      assertEquals(c[1], CountWindow.field(packed, 1));
      assertEquals(c[2], CountWindow.field(packed, 2));
    }
  }

  @Test
  void record_randomOutcomes_matchLastNModel() {
    for (int run = 0; run < 300 * STRESS; run++) {
      Random r = new Random(run);
      int size = 1 + r.nextInt(12);
      Window.Thresholds t = new Window.Thresholds(1 + r.nextInt(size), 1 + r.nextInt(100), 1 + r.nextInt(100));
      CountWindow w = new CountWindow(size, t);
      ArrayDeque<boolean[]> model = new ArrayDeque<>();
      for (int i = 0; i < 200; i++) {
        boolean failure = r.nextInt(3) == 0;
        boolean slow = r.nextInt(4) == 0;
        boolean tripped = w.record(failure, slow);
        boolean changed = model.size() < size || !sameAs(model.peekFirst(), failure, slow);
        model.addLast(new boolean[] {failure, slow});
        if (model.size() > size) {
          model.removeFirst();
        }
        int[] n = counts(model);
        assertEquals(new Window.Counts(n[0], n[1], n[2], t.rate(n[1], n[0]), t.rate(n[2], n[0])), w.counts(), "run " + run);
        if (changed) {
          assertEquals(t.exceeded(n[0], n[1], n[2]), tripped, "run " + run + " step " + i);
        } else {
          assertTrue(!tripped || t.exceeded(n[0], n[1], n[2]), "run " + run + " step " + i);
        }
      }
    }
  }

  private static boolean sameAs(boolean[] oldest, boolean failure, boolean slow) {
    return oldest[0] == failure && oldest[1] == slow;
  }

  private static int[] counts(ArrayDeque<boolean[]> model) {
    int[] n = new int[3];
    for (boolean[] o : model) {
      n[0]++;
      n[1] += o[0] ? 1 : 0;
      n[2] += o[1] ? 1 : 0;
    }
    return n;
  }

  @Test
  void record_concurrentThreads_totalsEqualSlotContents() throws InterruptedException {
    int threads = 4;
    int perThread = Math.min(50_000 * STRESS, CountWindow.MAX_SIZE / threads);
    for (int size : new int[] {3, 1000, threads * perThread}) {
      CountWindow w = new CountWindow(size, new Window.Thresholds(Integer.MAX_VALUE, 100, 100));
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int k = 0; k < threads; k++) {
        int id = k;
        workers.add(Thread.ofPlatform().start(() -> {
          awaitQuietly(start);
          for (int i = 0; i < perThread; i++) {
            w.record((i + id) % 3 == 0, i % 5 == 0);
          }
        }));
      }
      start.countDown();
      for (Thread t : workers) {
        t.join(TimeUnit.SECONDS.toMillis(20));
      }
      Window.Counts c = w.counts();
      assertEquals(Math.min(size, threads * perThread), c.calls(), "size " + size);
      if (size == threads * perThread) {
        int failures = 0;
        int slow = 0;
        for (int k = 0; k < threads; k++) {
          for (int i = 0; i < perThread; i++) {
            failures += (i + k) % 3 == 0 ? 1 : 0;
            slow += i % 5 == 0 ? 1 : 0;
          }
        }
        assertEquals(failures, c.failures(), "no outcome lost or counted twice");
        assertEquals(slow, c.slow());
      }
      assertTrue(c.failures() >= 0 && c.failures() <= c.calls() && c.slow() >= 0 && c.slow() <= c.calls());
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
