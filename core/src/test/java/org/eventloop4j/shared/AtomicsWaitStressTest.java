package org.eventloop4j.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.eventloop4j.shared.Atomics.WaitResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stress checks of {@code Atomics.wait}/{@code notify}: no lost wake-up (a ping-pong of infinite waits
 * would hang), and exact counts (every wake-up {@code notify} reports is an {@code "ok"} some waiter
 * returned, with timed waits timing out meanwhile). Scaled by {@code -Deventloop4j.stress}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AtomicsWaitStressTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  /**
   * Two threads take turns through one counter with infinite waits: each waits while the counter is not
   * its parity, then increments it and notifies. A single lost wake-up leaves both waiting forever.
   */
  @Test
  void pingPong_infiniteWaits_neverLoseAWakeUp() throws Exception {
    int rounds = 20_000 * STRESS;
    Int32Array c = new Int32Array(1);
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    Thread even = player(c, 0, rounds, errors);
    Thread odd = player(c, 1, rounds, errors);
    even.join(40_000);
    odd.join(40_000);
    boolean hung = even.isAlive() || odd.isAlive();
    if (hung) {
      Atomics.store(c, 0, Integer.MIN_VALUE);
      Atomics.notify(c, 0);
    }
    assertFalse(hung, "lost wake-up: both players wait at counter " + Atomics.load(c, 0));
    assertTrue(errors.isEmpty(), errors::toString);
    assertEquals(2 * rounds, Atomics.load(c, 0));
  }

  private static Thread player(Int32Array c, int parity, int rounds, List<Throwable> errors) {
    return Thread.ofPlatform().name("player-" + parity).start(() -> {
      try {
        for (int i = 0; i < rounds; i++) {
          int v;
          while (((v = Atomics.load(c, 0)) & 1) != parity) {
            if (v == Integer.MIN_VALUE) {
              return;
            }
            Atomics.wait(c, 0, v);
          }
          Atomics.add(c, 0, 1);
          Atomics.notify(c, 0, 1);
        }
      } catch (Throwable e) {
        errors.add(e);
      }
    });
  }

  /**
   * Waiters repeatedly wait on an element that never changes, some with short timeouts; a notifier keeps
   * waking one at a time. The sum of what notify returned must equal the number of "ok" results.
   */
  @Test
  void notify_withTimedWaitsRacing_countsExactlyTheWaitersItWoke() throws Exception {
    int waiters = 3;
    int perWaiter = 2_000 * STRESS;
    Int32Array a = new Int32Array(1);
    AtomicLong oks = new AtomicLong();
    AtomicLong timeouts = new AtomicLong();
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < waiters; w++) {
      long seed = w;
      threads.add(Thread.ofPlatform().name("counted-waiter-" + w).start(() -> {
        Random rnd = new Random(seed);
        try {
          for (int i = 0; i < perWaiter; i++) {
            long timeout = rnd.nextInt(4) == 0 ? rnd.nextInt(2) : Atomics.NO_TIMEOUT;
            WaitResult r = Atomics.wait(a, 0, 0, timeout);
            (r == WaitResult.OK ? oks : timeouts).incrementAndGet();
            if (r == WaitResult.NOT_EQUAL) {
              throw new AssertionError("the element never changes, yet wait returned not-equal");
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }));
    }
    long woken = 0;
    while (threads.stream().anyMatch(Thread::isAlive)) {
      woken += Atomics.notify(a, 0, 1);
      Thread.onSpinWait();
    }
    for (Thread t : threads) {
      t.join(10_000);
    }
    assertTrue(errors.isEmpty(), errors::toString);
    assertEquals(waiters * (long) perWaiter, oks.get() + timeouts.get());
    assertEquals(woken, oks.get(), "what notify reported vs the waiters that returned ok");
    assertEquals(0, Atomics.notify(a, 0));
  }
}
