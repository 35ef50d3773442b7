package org.eventloop4j.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.TypeError;
import org.eventloop4j.shared.Atomics.WaitResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AtomicsWaitTest {
  private final SharedArrayBuffer buffer = new SharedArrayBuffer(16);
  private final Int32Array a = new Int32Array(buffer);
  private final List<Thread> threads = new ArrayList<>();

  @AfterEach
  void noThreadOutlivesTheTest() throws InterruptedException {
    Atomics.notify(a, 0);
    for (Thread t : threads) {
      t.join(10_000);
      assertFalse(t.isAlive(), t.getName() + " outlived the test");
    }
  }

  /** Waits (spinning, without sleeping) until {@code n} waiters are on {@code a[index]}. */
  private void awaitWaiters(int index, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (buffer.waiters.count((long) index * 4) != n) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("expected " + n + " waiters, have " + buffer.waiters.count((long) index * 4));
      }
      Thread.yield();
    }
  }

  /** Starts a thread that waits on {@code a[0] == 0} and then puts its id and result into {@code results}. */
  private Thread waiter(int id, BlockingQueue<String> results) {
    Thread t = Thread.ofPlatform().name("waiter-" + id).start(() -> {
      try {
        results.add(id + " " + Atomics.wait(a, 0, 0));
      } catch (InterruptedException e) {
        results.add(id + " interrupted");
      }
    });
    threads.add(t);
    return t;
  }

  // ---- wait ----

  @Test
  void wait_valueDiffers_returnsNotEqual() throws InterruptedException {
    Atomics.store(a, 0, 1);
    assertEquals(WaitResult.NOT_EQUAL, Atomics.wait(a, 0, 0, 1000));
    assertEquals("not-equal", WaitResult.NOT_EQUAL.toString());
  }

  @Test
  void wait_zeroOrNegativeTimeout_timesOutAtOnce() throws InterruptedException {
    assertEquals(WaitResult.TIMED_OUT, Atomics.wait(a, 0, 0, 0));
    assertEquals(WaitResult.TIMED_OUT, Atomics.wait(a, 0, 0, -5));
    assertEquals("timed-out", WaitResult.TIMED_OUT.toString());
  }

  @Test
  void wait_timeoutWithoutNotify_timesOutAndLeavesTheList() throws InterruptedException {
    assertEquals(WaitResult.TIMED_OUT, Atomics.wait(a, 0, 0, 2));
    assertEquals(0, buffer.waiters.count(0));
    assertEquals(0, Atomics.notify(a, 0));
  }

  @Test
  void wait_notified_returnsOkAndNotifyCountsIt() throws Exception {
    BlockingQueue<String> results = new LinkedBlockingQueue<>();
    waiter(0, results);
    awaitWaiters(0, 1);
    assertEquals(0, Atomics.notify(a, 1), "another index has no waiters");
    assertEquals(1, Atomics.notify(a, 0, 1));
    assertEquals("0 ok", results.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void notify_count_wakesExactlyThatManyOldestFirst() throws Exception {
    BlockingQueue<String> results = new LinkedBlockingQueue<>();
    for (int i = 0; i < 5; i++) {
      waiter(i, results);
      awaitWaiters(0, i + 1);
    }
    assertEquals(2, Atomics.notify(a, 0, 2));
    List<String> first = List.of(results.poll(10, TimeUnit.SECONDS), results.poll(10, TimeUnit.SECONDS));
    assertTrue(first.containsAll(List.of("0 ok", "1 ok")), first::toString);
    assertEquals(3, buffer.waiters.count(0));
    assertEquals(1, Atomics.notify(a, 0, 1));
    assertEquals("2 ok", results.poll(10, TimeUnit.SECONDS));
    assertEquals(0, Atomics.notify(a, 0, 0));
    assertEquals(0, Atomics.notify(a, 0, -3));
    assertEquals(2, Atomics.notify(a, 0));
    List<String> rest = List.of(results.poll(10, TimeUnit.SECONDS), results.poll(10, TimeUnit.SECONDS));
    assertTrue(rest.containsAll(List.of("3 ok", "4 ok")), rest::toString);
    assertEquals(0, Atomics.notify(a, 0));
  }

  @Test
  void wait_interrupted_throwsAndIsNotCountedByNotify() throws Exception {
    BlockingQueue<String> results = new LinkedBlockingQueue<>();
    Thread t = waiter(0, results);
    awaitWaiters(0, 1);
    t.interrupt();
    assertEquals("0 interrupted", results.poll(10, TimeUnit.SECONDS));
    assertEquals(0, buffer.waiters.count(0));
    assertEquals(0, Atomics.notify(a, 0));
  }

  @Test
  void wait_bigInt64_notifiedReturnsOk() throws Exception {
    BigInt64Array big = new BigInt64Array(buffer);
    Atomics.store(big, 1, 1L << 40);
    assertEquals(WaitResult.NOT_EQUAL, Atomics.wait(big, 1, 5, 0));
    AtomicReference<WaitResult> result = new AtomicReference<>();
    Thread t = Thread.ofPlatform().start(() -> {
      try {
        result.set(Atomics.wait(big, 1, 1L << 40, Atomics.NO_TIMEOUT));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    threads.add(t);
    awaitWaiters(2, 1);
    assertEquals(1, Atomics.notify(big, 1, 1));
    t.join(10_000);
    assertEquals(WaitResult.OK, result.get());
  }

  @Test
  void wait_wrongViewType_throwsTypeError() {
    assertThrows(TypeError.class, () -> Atomics.wait(new Uint32Array(buffer), 0, 0, 0));
    assertThrows(TypeError.class, () -> Atomics.wait(new BigUint64Array(buffer), 0, 0, 0));
    assertThrows(TypeError.class, () -> Atomics.wait(new Int16Array(buffer), 0, 0, 0));
    assertThrows(TypeError.class, () -> Atomics.notify(new Uint8Array(buffer), 0, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> Atomics.wait(a, 4, 0, 0));
  }

  @Test
  void wait_onLoopThread_throwsIllegalState() {
    AtomicReference<Throwable> error = new AtomicReference<>();
    EventLoop.create().run(() -> error.set(assertThrows(IllegalStateException.class, () -> Atomics.wait(a, 0, 0, 10))));
    assertTrue(error.get().getMessage().contains("waitAsync"), error.get().getMessage());
    assertEquals(0, buffer.waiters.count(0));
  }

  // ---- waitAsync ----

  private final List<String> log = new ArrayList<>();

  private void record(Promise<WaitResult> p, EventLoop loop) {
    p.then(r -> log.add(r + " at " + loop.now()), e -> log.add("rejected " + e.getMessage()));
  }

  @Test
  void waitAsync_valueDiffers_resolvesNotEqualAtOnce() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    Atomics.store(a, 0, 3);
    loop.run(() -> record(Atomics.waitAsync(a, 0, 0, 1000), loop));
    assertEquals(List.of("not-equal at 0"), log);
  }

  @Test
  void waitAsync_zeroTimeout_resolvesTimedOutAtOnce() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> record(Atomics.waitAsync(a, 0, 0, 0), loop));
    assertEquals(List.of("timed-out at 0"), log);
  }

  @Test
  void waitAsync_timeout_elapsesOnTheVirtualClock() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> {
      record(Atomics.waitAsync(a, 0, 0, 5_000), loop);
      loop.setTimeout(() -> log.add("keep-alive timer"), 10_000);
    });
    assertEquals(List.of("timed-out at 5000", "keep-alive timer"), log);
    assertEquals(0, buffer.waiters.count(0));
  }

  @Test
  void waitAsync_pending_keepsNoLoopAliveAsInNode() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> record(Atomics.waitAsync(a, 0, 0, 5_000), loop));
    assertEquals(List.of(), log);
    assertEquals(0, loop.now());
    assertEquals(1, Atomics.notify(a, 0), "the waiter stays listed until notified");
    loop.run(() -> {});
    assertEquals(List.of("ok at 0"), log);
  }

  @Test
  void waitAsync_notifiedOnTheSameLoop_resolvesOkAndCounts() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> {
      record(Atomics.waitAsync(a, 0, 0, 5_000), loop);
      record(Atomics.waitAsync(a, 0, 0), loop);
      loop.setTimeout(() -> log.add("notify woke " + Atomics.notify(a, 0)), 100);
    });
    assertEquals(List.of("notify woke 2", "ok at 100", "ok at 100"), log);
  }

  @Test
  void waitAsync_notifiedFromAnotherThread_resolvesOkOnTheLoop() {
    EventLoop loop = EventLoop.create();
    loop.run(() -> {
      EventLoop.KeepAlive alive = loop.keepAlive();
      record(Atomics.waitAsync(a, 1, 0), loop);
      Atomics.waitAsync(a, 1, 0).andFinally(alive::close);
      Thread t = Thread.ofPlatform().start(() -> {
        awaitWaiters(1, 2);
        Atomics.store(a, 1, 1);
        Atomics.notify(a, 1, 2);
      });
      threads.add(t);
    });
    assertEquals(1, log.size());
    assertTrue(log.getFirst().startsWith("ok at"), log::toString);
  }

  @Test
  void waitAsync_aborted_rejectsWithTheReasonAndLeavesTheList() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    AbortController c = new AbortController();
    IllegalStateException reason = new IllegalStateException("stop waiting");
    AtomicReference<Throwable> seen = new AtomicReference<>();
    loop.run(() -> {
      Atomics.waitAsync(a, 0, 0, 10_000, c.signal()).catchError(e -> {
        seen.set(e);
        log.add("rejected at " + loop.now() + ", notify now wakes " + Atomics.notify(a, 0));
        return null;
      });
      loop.setTimeout(() -> c.abort(reason), 20);
    });
    assertSame(reason, seen.get());
    assertEquals(List.of("rejected at 20, notify now wakes 0"), log);
  }

  @Test
  void waitAsync_abortedFromAnotherThread_rejects() throws Exception {
    EventLoop loop = EventLoop.create();
    AbortController c = new AbortController();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    loop.run(() -> {
      EventLoop.KeepAlive alive = loop.keepAlive();
      Atomics.waitAsync(a, 0, 0, Atomics.NO_TIMEOUT, c.signal()).catchError(e -> {
        seen.set(e);
        alive.close();
        return null;
      });
      threads.add(Thread.ofPlatform().start(() -> {
        awaitWaiters(0, 1);
        c.abort();
      }));
    });
    assertInstanceOf(org.eventloop4j.AbortError.class, seen.get());
    assertEquals(0, buffer.waiters.count(0));
  }

  @Test
  void waitAsync_signalAlreadyAborted_rejectsAtOnce() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    RuntimeException reason = new RuntimeException("no");
    AtomicReference<Throwable> seen = new AtomicReference<>();
    loop.run(() -> Atomics.waitAsync(a, 0, 0, 100, AbortSignal.abort(reason)).catchError(e -> {
      seen.set(e);
      return null;
    }));
    assertSame(reason, seen.get());
    assertEquals(0, loop.now());
  }

  @Test
  void waitAsync_notifyAfterSettling_abortDoesNothing() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    AbortController c = new AbortController();
    loop.run(() -> {
      record(Atomics.waitAsync(a, 0, 0, 1_000, c.signal()), loop);
      loop.setTimeout(() -> Atomics.notify(a, 0), 10);
      loop.setTimeout(c::abort, 20);
    });
    assertEquals(List.of("ok at 10"), log);
  }

  @Test
  void everyWayOfLeaving_lowersTheFastPathsCount() throws Exception {
    assertEquals(WaitResult.NOT_EQUAL, Atomics.wait(a, 0, 5, 10));
    assertEquals(WaitResult.TIMED_OUT, Atomics.wait(a, 0, 0, 0));
    assertEquals(WaitResult.TIMED_OUT, Atomics.wait(a, 0, 0, 1));
    EventLoop loop = EventLoop.builder().virtualTime().build();
    AbortController c = new AbortController();
    loop.run(() -> {
      record(Atomics.waitAsync(a, 0, 0, 50), loop);
      record(Atomics.waitAsync(a, 2, 0), loop);
      Atomics.waitAsync(a, 1, 0, 1_000, c.signal()).catchError(e -> null);
      record(Atomics.waitAsync(a, 1, 7, 10), loop);
      log.add("listed " + buffer.waiters.waitingCount());
      loop.setTimeout(c::abort, 5);
      loop.setTimeout(() -> log.add("notify woke " + Atomics.notify(a, 2)), 60);
    });
    assertEquals(List.of("listed 3", "not-equal at 0", "timed-out at 50", "notify woke 1", "ok at 60"), log);
    assertEquals(0, buffer.waiters.waitingCount());
    assertEquals(0, Atomics.notify(a, 0), "the fast path: nobody waits");
  }

  @Test
  void waitAsync_sharesTheFifoWithBlockingWaiters() throws Exception {
    BlockingQueue<String> results = new LinkedBlockingQueue<>();
    waiter(0, results);
    awaitWaiters(0, 1);
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> {
      record(Atomics.waitAsync(a, 0, 0, 1_000), loop);
      log.add("first notify woke " + Atomics.notify(a, 0, 1));
      loop.setTimeout(() -> log.add("second notify woke " + Atomics.notify(a, 0, 1)), 50);
    });
    assertEquals("0 ok", results.poll(10, TimeUnit.SECONDS));
    assertEquals(List.of("first notify woke 1", "second notify woke 1", "ok at 50"), log);
  }

  @Test
  void waitAsync_offLoopOrWrongType_throws() {
    assertThrows(IllegalStateException.class, () -> Atomics.waitAsync(a, 0, 0, 10));
    EventLoop.builder().virtualTime().build().run(() -> {
      assertThrows(TypeError.class, () -> Atomics.waitAsync(new Uint8Array(buffer), 0, 0, 10, null));
      assertThrows(IndexOutOfBoundsException.class, () -> Atomics.waitAsync(a, 9, 0, 10));
    });
    assertNull(null);
  }
}
