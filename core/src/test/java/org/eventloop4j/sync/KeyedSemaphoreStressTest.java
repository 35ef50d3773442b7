package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.AbortController;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several started loops and a plain thread take weighted permits (1 or 2 of 3) of a few hot keys of one
 * {@link KeyedSemaphore}, so entries are made and dropped all the time while other threads use the same
 * keys; sizes scale with {@code -Deventloop4j.stress}. The permits in use per key, counted by every holder,
 * must never exceed 3 (a key's entry dropped while still in use would let a second entry hand out 3 more),
 * every request must settle, and once everything settled no key is left.
 */
class KeyedSemaphoreStressTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  private static final int LOOPS = 3;
  private static final int KEYS = 4;
  private static final int PERMITS = 3;
  private final StartedLoops loops = new StartedLoops();
  private final AtomicIntegerArray inUse = new AtomicIntegerArray(KEYS);
  private final AtomicInteger overLimit = new AtomicInteger();
  private final AtomicInteger ran = new AtomicInteger();

  @AfterEach
  void closeLoops() {
    loops.close();
  }

  @Test
  void hotKeys_loopsAndAThread_neverMorePermitsThanPerKey_noKeyLeft() throws InterruptedException {
    int perLoop = 5_000 * STRESS;
    int perThread = 20_000 * STRESS;
    KeyedSemaphore<Integer> keyed = new KeyedSemaphore<>(PERMITS);
    CountDownLatch done = new CountDownLatch(LOOPS * perLoop + 1);
    for (int i = 0; i < LOOPS; i++) {
      loops.start().execute(() -> {
        for (int k = 0; k < perLoop; k++) {
          int key = k % KEYS;
          int n = 1 + k % 2;
          Promise<?> p;
          if (k % 7 == 0) { // an abort that may come before or after the grant
            AbortController c = new AbortController();
            p = keyed.execute(key, n, c.signal(), () -> hold(key, n));
            c.abort(new IllegalStateException("abort"));
          } else {
            p = keyed.execute(key, n, () -> hold(key, n));
          }
          p.andFinally(done::countDown).catchError(e -> null);
        }
      });
    }
    AtomicReference<@Nullable Throwable> threadFailure = new AtomicReference<>();
    Thread.ofPlatform().start(() -> {
      try {
        tryAcquireAndRelease(keyed, perThread);
      } catch (Throwable t) {
        threadFailure.set(t);
      } finally {
        done.countDown();
      }
    });
    assertTrue(done.await(60, TimeUnit.SECONDS), "timed out; " + done.getCount() + " left");
    assertNull(threadFailure.get());
    loops.assertNoFailure();
    assertEquals(0, overLimit.get(), "times a key had more than " + PERMITS + " permits in use");
    assertTrue(ran.get() > LOOPS * perLoop / 2, "ran " + ran.get());
    assertEquals(0, keyed.size());
  }

  private void tryAcquireAndRelease(KeyedSemaphore<Integer> keyed, int times) {
    for (int k = 0; k < times; k++) {
      int key = k % KEYS;
      int n = 1 + k % 2;
      if (keyed.tryAcquire(key, n)) {
        use(key, n);
        keyed.release(key, n);
      }
    }
  }

  /** A task holding {@code n} permits of {@code key}: uses them, then settles. On a loop. */
  private Promise<@Nullable Void> hold(int key, int n) {
    use(key, n);
    return Promise.resolve();
  }

  private void use(int key, int n) {
    if (inUse.addAndGet(key, n) > PERMITS) {
      overLimit.incrementAndGet();
    }
    Thread.yield(); // widens the window a holder of a dropped entry would need
    inUse.addAndGet(key, -n);
    ran.incrementAndGet();
  }
}
