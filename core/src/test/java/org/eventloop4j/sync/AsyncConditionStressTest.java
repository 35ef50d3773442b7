package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bounded buffer guarded by one {@link Mutex} and two {@link AsyncCondition}s (not full, not empty),
 * with producers and consumers on several started loops; sizes scale with {@code -Deventloop4j.stress}.
 * Checks that every item arrives exactly once (a lost signal deadlocks and times out, a waiter that
 * did not re-lock breaks the bound or the plain deque) and the buffer never exceeds its bound.
 */
class AsyncConditionStressTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  private static final int BOUND = 4;
  private final StartedLoops loops = new StartedLoops();
  private final Mutex mutex = new Mutex();
  private final AsyncCondition notFull = mutex.newCondition();
  private final AsyncCondition notEmpty = mutex.newCondition();
  private final ArrayDeque<Integer> items = new ArrayDeque<>(); // plain: only touched holding the mutex
  private int worst;

  @AfterEach
  void closeLoops() {
    loops.close();
  }

  private Promise<@org.jspecify.annotations.Nullable Void> put(int v) {
    return mutex.lock().thenCompose(x -> putLocked(v));
  }

  private Promise<@org.jspecify.annotations.Nullable Void> putLocked(int v) {
    if (items.size() == BOUND) {
      return notFull.await().thenCompose(x -> putLocked(v));
    }
    items.add(v);
    worst = Math.max(worst, items.size());
    notEmpty.signal();
    mutex.unlock();
    return Promise.resolve();
  }

  private Promise<Integer> take() {
    return mutex.lock().thenCompose(x -> takeLocked());
  }

  private Promise<Integer> takeLocked() {
    Integer v = items.poll();
    if (v == null) {
      return notEmpty.await().thenCompose(x -> takeLocked());
    }
    notFull.signal();
    mutex.unlock();
    return Promise.resolve(v);
  }

  private void produce(int from, int to, CountDownLatch done) {
    if (from == to) {
      done.countDown();
      return;
    }
    put(from).thenRun(() -> produce(from + 1, to, done));
  }

  private void consume(int left, AtomicLong sum, CountDownLatch done) {
    if (left == 0) {
      done.countDown();
      return;
    }
    take().then(v -> {
      sum.addAndGet(v);
      consume(left - 1, sum, done);
      return null;
    });
  }

  @Test
  void boundedBuffer_producersAndConsumersOnLoops_everyItemOnce() throws InterruptedException {
    int perProducer = 5_000 * STRESS;
    int producers = 2;
    int consumers = 2;
    int total = producers * perProducer;
    AtomicLong sum = new AtomicLong();
    CountDownLatch done = new CountDownLatch(producers + consumers);
    for (int p = 0; p < producers; p++) {
      int base = p * perProducer;
      loops.start().execute(() -> produce(base, base + perProducer, done));
    }
    for (int c = 0; c < consumers; c++) {
      loops.start().execute(() -> consume(total / consumers, sum, done));
    }
    assertTrue(done.await(60, TimeUnit.SECONDS), "timed out (a lost signal?); " + done.getCount() + " left");
    loops.assertNoFailure();
    assertEquals((long) total * (total - 1) / 2, sum.get());
    assertTrue(mutex.tryLock());
    assertTrue(worst <= BOUND, "at most " + BOUND + " items, saw " + worst);
    assertEquals(0, notFull.waiting() + notEmpty.waiting());
  }

  private volatile boolean stop;
  private boolean flag; // guarded by the mutex

  /** One round per call: reset the flag, wait until the other thread set it; then the next round. */
  private void rounds(int left, CountDownLatch done) {
    if (left == 0) {
      stop = true;
      done.countDown();
      return;
    }
    mutex.lock().thenCompose(x -> {
      flag = false;
      return waitForFlag();
    }).thenRun(() -> {
      mutex.unlock();
      rounds(left - 1, done);
    });
  }

  private Promise<@org.jspecify.annotations.Nullable Void> waitForFlag() {
    return flag ? Promise.resolve() : notEmpty.await().thenCompose(x -> waitForFlag());
  }

  @Test
  void await_plainThreadSignalsTheMomentTheMutexIsFree_noSignalLost() throws InterruptedException {
    int rounds = 20_000 * STRESS;
    CountDownLatch done = new CountDownLatch(1);
    Thread signaller = Thread.ofPlatform().start(() -> {
      while (!stop) {
        if (mutex.tryLock()) { // grabs the mutex as soon as an await unlocked it
          if (!flag) {
            flag = true;
            notEmpty.signal();
          }
          mutex.unlock();
        }
      }
    });
    loops.start().execute(() -> rounds(rounds, done));
    boolean finished = done.await(60, TimeUnit.SECONDS);
    stop = true;
    signaller.join();
    assertTrue(finished, "a round never ended: a signal was lost");
    loops.assertNoFailure();
  }
}
