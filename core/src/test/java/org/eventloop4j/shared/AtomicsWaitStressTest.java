package org.eventloop4j.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.eventloop4j.shared.Atomics.WaitResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stress checks of {@code Atomics.wait}/{@code notify}: no lost wake-up (a ping-pong of infinite waits
 * would hang), exact counts (every wake-up {@code notify} reports is an {@code "ok"} some waiter
 * returned, with timed waits timing out meanwhile), and FIFO order while waiters keep arriving. Scaled by
 * {@code -Deventloop4j.stress}. Nothing sleeps: threads are observed through state, with deadlines only
 * as failure guards.
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

  /**
   * FIFO while waiters keep arriving. Per round, an enqueuer thread starts waiters 0, 1, 2, ... one at a
   * time, each only once the one before is enqueued, so the enqueue order is the id order. Meanwhile this
   * thread notifies random counts (1–4), sometimes while fewer waiters than that are there (racing the
   * newest append), and after each notify collects exactly the waiters it reported woken. Each batch must
   * be the oldest waiters still on the list, so the batches, concatenated, are 0, 1, 2, ...; a batch of one
   * pins the exact order. (Within one batch the order is not observable: the batch leaves the list in one
   * step under the lock.)
   */
  @Test
  void notify_whileWaitersArrive_wakesTheOldestFirst() throws Exception {
    int rounds = 50 * STRESS;
    for (int r = 0; r < rounds; r++) {
      fifoRound(r, 24);
    }
  }

  private static void fifoRound(long seed, int n) throws Exception {
    SharedArrayBuffer buffer = new SharedArrayBuffer(4);
    Int32Array a = new Int32Array(buffer);
    BlockingQueue<Integer> woken = new LinkedBlockingQueue<>();
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean over = new AtomicBoolean();
    threads.add(Thread.ofPlatform().name("fifo-enqueuer").start(() -> {
      try {
        for (int id = 0; id < n && !over.get(); id++) {
          Thread t = fifoWaiter(a, id, woken, errors);
          threads.add(t);
          awaitEnqueued(buffer, t);
        }
      } catch (Throwable e) {
        errors.add(e);
      }
    }));
    try {
      notifyInBatches(buffer, a, n, woken, new Random(seed));
      assertEquals(0, Atomics.notify(a, 0), "every waiter was woken once");
    } finally {
      release(a, over, threads);
    }
    assertTrue(errors.isEmpty(), errors::toString);
    assertTrue(threads.stream().noneMatch(Thread::isAlive), "a thread outlived its round");
  }

  /** The notifier: random counts, each batch checked against the oldest ids not yet woken. */
  private static void notifyInBatches(SharedArrayBuffer buffer, Int32Array a, int n, BlockingQueue<Integer> woken,
      Random rnd) throws InterruptedException {
    int next = 0;
    while (next < n) {
      int count = 1 + rnd.nextInt(4);
      int present = Math.min(rnd.nextInt(count + 1), n - next);
      awaitWaiting(buffer, present);
      int got = Atomics.notify(a, 0, count);
      assertTrue(got >= present && got <= count, "notify(" + count + ") with >= " + present + " waiting woke " + got);
      TreeSet<Integer> batch = new TreeSet<>();
      for (int i = 0; i < got; i++) {
        Integer id = woken.poll(10, TimeUnit.SECONDS);
        if (id == null) {
          throw new AssertionError("notify reported " + got + " woken, only " + batch + " returned");
        }
        batch.add(id);
      }
      List<Integer> oldest = IntStream.range(next, next + got).boxed().toList();
      assertEquals(oldest, List.copyOf(batch), "notify(" + count + ") did not wake the oldest waiters");
      next += got;
      if (got == 0) {
        Thread.yield();
      }
    }
  }

  /** A thread that waits on {@code a[0] == 0} forever and then reports its id. */
  private static Thread fifoWaiter(Int32Array a, int id, BlockingQueue<Integer> woken, List<Throwable> errors) {
    return Thread.ofPlatform().name("fifo-waiter-" + id).start(() -> {
      try {
        WaitResult r = Atomics.wait(a, 0, 0);
        if (r != WaitResult.OK) {
          throw new AssertionError("waiter " + id + " returned " + r);
        }
        woken.add(id);
      } catch (Throwable e) {
        errors.add(e);
      }
    });
  }

  /**
   * Spins until {@code t} is enqueued: parked with the buffer's Waiters as its park blocker (set only after
   * the append, under which a contended lock parks with another blocker) or already woken and finished.
   */
  private static void awaitEnqueued(SharedArrayBuffer buffer, Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (LockSupport.getBlocker(t) != buffer.waiters && t.isAlive()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(t.getName() + " neither parked in Atomics.wait nor finished: " + t.getState());
      }
      Thread.yield();
    }
  }

  /** Spins until at least {@code n} waiters are on the list (only notify shrinks it here). */
  private static void awaitWaiting(SharedArrayBuffer buffer, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (buffer.waiters.count(0) < n) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("expected " + n + " waiters, have " + buffer.waiters.count(0));
      }
      Thread.yield();
    }
  }

  /**
   * After a pass or a failure (so it asserts nothing, which would hide the failure): stops the enqueuer,
   * ends every wait, and joins every thread (the enqueuer first, so the list of threads is complete).
   */
  private static void release(Int32Array a, AtomicBoolean over, List<Thread> threads) throws InterruptedException {
    over.set(true);
    threads.getFirst().join(10_000);
    Atomics.store(a, 0, 1);
    Atomics.notify(a, 0);
    for (Thread t : List.copyOf(threads)) {
      t.join(10_000);
    }
  }
}
