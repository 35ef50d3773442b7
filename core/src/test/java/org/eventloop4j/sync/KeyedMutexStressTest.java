package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.eventloop4j.AbortController;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several started loops and a plain thread lock a few hot keys of one {@link KeyedMutex} (so entries are
 * made and dropped all the time while other threads lock the same keys); sizes scale with {@code
 * -Deventloop4j.stress}. Plain per-key counters must come out exact (two holders of one key lose
 * increments), and once everything settled no key is left.
 */
class KeyedMutexStressTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  private static final int LOOPS = 3;
  private static final int KEYS = 4;
  private final StartedLoops loops = new StartedLoops();

  @AfterEach
  void closeLoops() {
    loops.close();
  }

  @Test
  void hotKeys_loopsAndAThread_perKeyCountsExact_noKeyLeft() throws InterruptedException {
    int perLoop = 5_000 * STRESS;
    int perThread = 20_000 * STRESS;
    KeyedMutex<Integer> keyed = new KeyedMutex<>();
    int[] counters = new int[KEYS]; // plain: the key's lock must make each exact
    int[] expected = new int[KEYS];
    CountDownLatch done = new CountDownLatch(LOOPS * perLoop + 1);
    for (int i = 0; i < LOOPS; i++) {
      loops.start().execute(() -> {
        for (int k = 0; k < perLoop; k++) {
          int key = k % KEYS;
          Promise<?> p;
          if (k % 7 == 0) { // an abort that may come before or after the grant
            AbortController c = new AbortController();
            p = keyed.execute(key, c.signal(), () -> increment(counters, key));
            c.abort(new IllegalStateException("abort"));
          } else {
            p = keyed.execute(key, () -> increment(counters, key));
          }
          p.andFinally(done::countDown).catchError(e -> null);
        }
      });
    }
    int[] byThread = new int[KEYS];
    Thread.ofPlatform().start(() -> {
      for (int k = 0; k < perThread; k++) {
        int key = k % KEYS;
        if (keyed.tryLock(key)) {
          int seen = counters[key];
          counters[key] = seen + 1;
          byThread[key]++;
          keyed.unlock(key);
        }
      }
      done.countDown();
    });
    assertTrue(done.await(60, TimeUnit.SECONDS), "timed out; " + done.getCount() + " left");
    loops.assertNoFailure();
    for (int key = 0; key < KEYS; key++) {
      expected[key] = executed.get(key) + byThread[key];
    }
    assertEquals(Arrays.toString(expected), Arrays.toString(counters));
    assertEquals(0, keyed.size());
  }

  /** The executions, counted atomically: exact whether or not the keys exclude each other. */
  private final AtomicIntegerArray executed = new AtomicIntegerArray(KEYS);

  private Promise<@Nullable Void> increment(int[] counters, int key) {
    int seen = counters[key];
    Thread.yield(); // widens the window a second holder of the key would need
    counters[key] = seen + 1;
    executed.incrementAndGet(key);
    return Promise.resolve();
  }
}
