package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortError;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;
import org.junit.jupiter.api.Test;

class SemaphoreTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> log = new ArrayList<>();

  private void track(Promise<?> p, String name) {
    p.then(v -> log.add(name), e -> log.add(name + " rejected: " + e.getMessage()));
  }

  @Test
  void acquire_permitsFree_fulfilsAtOnce() {
    Semaphore sem = new Semaphore(2);
    loop.run(() -> {
      Promise<?> p = sem.acquire();
      assertEquals(Promise.State.FULFILLED, p.state());
      assertEquals(1, sem.available());
      assertSame(p, sem.acquire()); // the home loop's cached promise: nothing allocated
      assertEquals(0, sem.available());
    });
  }

  @Test
  void acquire_noPermit_waitsInFifoOrder() {
    Semaphore sem = new Semaphore(1);
    loop.run(() -> {
      sem.acquire();
      track(sem.acquire(), "a");
      track(sem.acquire(), "b");
      assertEquals(2, sem.waiting());
      loop.setTimeout(sem::release, 10);
      loop.setTimeout(sem::release, 20);
      loop.setTimeout(() -> log.add("t=" + loop.now() + " " + sem.available()), 30);
    });
    assertEquals(List.of("a", "b", "t=30 0"), log);
  }

  @Test
  void acquire_weighted_laterSmallRequestDoesNotOvertake() {
    Semaphore sem = new Semaphore(3);
    loop.run(() -> {
      sem.acquire(2);
      track(sem.acquire(3), "three");
      track(sem.acquire(1), "one");
      assertEquals(1, sem.available()); // free, but "one" queues behind "three"
      assertFalse(sem.tryAcquire());
      loop.setTimeout(() -> sem.release(2), 5);
      loop.setTimeout(() -> sem.release(3), 10);
    });
    assertEquals(List.of("three", "one"), log);
  }

  @Test
  void release_moreThanHeld_throwsAndChangesNothing() {
    Semaphore sem = new Semaphore(3);
    loop.run(() -> {
      sem.acquire(2);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> sem.release(3));
      assertEquals("release(3) but only 2 permits of this semaphore are held", e.getMessage());
      assertEquals(1, sem.available());
      sem.release(2);
      assertThrows(IllegalStateException.class, sem::release);
      assertEquals(3, sem.available());
    });
  }

  @Test
  void badArguments_throwNamingTheProblem() {
    assertThrows(IllegalArgumentException.class, () -> new Semaphore(0));
    Semaphore sem = new Semaphore(2);
    loop.run(() -> {
      assertEquals("permits must be between 1 and the semaphore's 2 permits, was 3",
          assertThrows(IllegalArgumentException.class, () -> sem.acquire(3)).getMessage());
      assertThrows(IllegalArgumentException.class, () -> sem.acquire(0));
      assertThrows(IllegalArgumentException.class, () -> sem.tryAcquire(-1));
      assertEquals("permits must be between 1 and the semaphore's 2 permits, was 3",
          assertThrows(IllegalArgumentException.class, () -> sem.tryAcquire(3)).getMessage());
      assertThrows(IllegalArgumentException.class, () -> sem.release(0));
      assertThrows(IllegalArgumentException.class, () -> sem.setPermits(0));
      assertThrows(NullPointerException.class, () -> sem.close(null));
      assertEquals(2, sem.available());
    });
  }

  @Test
  void acquire_offLoop_throws() {
    assertThrows(IllegalStateException.class, () -> new Semaphore(1).acquire());
  }

  @Test
  void acquire_abortWhileWaiting_removesExactlyThatWaiter() {
    Semaphore sem = new Semaphore(1);
    AbortController c = new AbortController();
    loop.run(() -> {
      sem.acquire();
      track(sem.acquire(), "a");
      track(sem.acquire(c.signal()), "b");
      track(sem.acquire(), "c");
      c.abort();
      assertEquals(2, sem.waiting());
      loop.setTimeout(sem::release, 1);
      loop.setTimeout(sem::release, 2);
    });
    assertEquals(List.of("b rejected: " + AbortError.DEFAULT_MESSAGE, "a", "c"), log);
  }

  @Test
  void acquire_abortOfHeavyHead_grantsTheLighterWaitersBehind() {
    Semaphore sem = new Semaphore(3);
    AbortController c = new AbortController();
    loop.run(() -> {
      sem.acquire(2);
      track(sem.acquire(3, c.signal()), "heavy");
      track(sem.acquire(1), "light");
      loop.setTimeout(() -> c.abort(new IllegalStateException("gave up")), 5);
    });
    assertEquals(List.of("heavy rejected: gave up", "light"), log);
  }

  @Test
  void acquire_alreadyAbortedSignal_rejectsWithoutTakingAPermit() {
    Semaphore sem = new Semaphore(1);
    loop.run(() -> {
      track(sem.acquire(org.eventloop4j.AbortSignal.abort(new IllegalStateException("no"))), "p");
      assertEquals(1, sem.available());
    });
    assertEquals(List.of("p rejected: no"), log);
  }

  @Test
  void acquire_abortAfterGrant_keepsThePermit() {
    Semaphore sem = new Semaphore(1);
    AbortController c = new AbortController();
    loop.run(() -> {
      sem.acquire();
      track(sem.acquire(c.signal()), "b");
      sem.release();     // granted: the promise is fulfilled, its reaction queued
      c.abort();         // too late
      assertEquals(0, sem.available());
    });
    assertEquals(List.of("b"), log);
  }

  @Test
  void close_rejectsWaitersAndLaterAcquires_holdersReleaseAsUsual() {
    Semaphore sem = new Semaphore(1);
    loop.run(() -> {
      sem.acquire();
      track(sem.acquire(), "a");
      track(sem.onIdle(), "idle");
      sem.close(new IllegalStateException("shutting down"));
      track(sem.acquire(), "later");
      ClosedError tried = assertThrows(ClosedError.class, sem::tryAcquire);
      assertEquals("the semaphore is closed", tried.getMessage());
      assertEquals("shutting down", tried.getCause().getMessage());
      assertTrue(sem.isClosed());
      loop.setTimeout(sem::release, 10);
    });
    assertEquals(List.of("a rejected: shutting down", "later rejected: shutting down", "idle"), log);
  }

  @Test
  void tryAcquire_aboveTheCountInForce_throwsAfterAShrinkAsAcquireDoes() {
    Semaphore sem = new Semaphore(3);
    assertTrue(sem.tryAcquire(3));
    sem.release(3);
    sem.setPermits(2);
    assertEquals("permits must be between 1 and the semaphore's 2 permits, was 3",
        assertThrows(IllegalArgumentException.class, () -> sem.tryAcquire(3)).getMessage());
    assertEquals(2, sem.available());
    assertTrue(sem.tryAcquire(2));
  }

  @Test
  void tryAcquire_afterClose_throwsClosedErrorAndTakesNothing() {
    Semaphore sem = new Semaphore(2);
    assertTrue(sem.tryAcquire());
    sem.close();
    ClosedError e = assertThrows(ClosedError.class, () -> sem.tryAcquire(1));
    assertEquals("the semaphore is closed", e.getMessage());
    assertEquals(null, e.getCause());
    assertThrows(IllegalArgumentException.class, () -> sem.tryAcquire(3)); // the weight is checked first
    assertEquals(1, sem.available());
    sem.release(); // holders release as usual
    assertEquals(2, sem.available());
  }

  @Test
  void close_withoutReason_rejectsWithClosedError() {
    Semaphore sem = new Semaphore(1);
    AtomicReference<Throwable> error = new AtomicReference<>();
    loop.run(() -> {
      sem.close();
      sem.acquire().catchError(e -> {
        error.set(e);
        return null;
      });
    });
    assertTrue(error.get() instanceof ClosedError, String.valueOf(error.get()));
    assertEquals("the semaphore is closed", error.get().getMessage());
  }

  @Test
  void execute_holdsThePermitUntilTheTaskSettles() {
    Semaphore sem = new Semaphore(1);
    loop.run(() -> {
      track(sem.execute(() -> Timers.sleep(10).then(v -> "one")), "first");
      track(sem.execute(() -> {
        log.add("second starts at " + loop.now());
        return Promise.resolve("two");
      }), "second");
    });
    // "first" is logged two hops after its task settled, by which time the permit went on to "second"
    assertEquals(List.of("second starts at 10", "first", "second"), log);
    assertEquals(1, sem.available());
  }

  @Test
  void execute_taskThrowsOrRejects_releasesAndRejects() {
    Semaphore sem = new Semaphore(1);
    loop.run(() -> {
      track(sem.execute(() -> {
        throw new IllegalStateException("sync");
      }), "a");
      track(sem.execute(() -> Promise.reject(new IllegalStateException("async"))), "b");
      track(sem.execute(() -> null), "c");
    });
    assertEquals(List.of("a rejected: sync", "b rejected: async",
        "c rejected: the task returned null instead of a promise"), log);
    assertEquals(1, sem.available());
  }

  @Test
  void onIdle_waitsForHoldersAndWaiters() {
    Semaphore sem = new Semaphore(2);
    loop.run(() -> {
      assertEquals(Promise.State.FULFILLED, sem.onIdle().state());
      sem.execute(() -> Timers.sleep(10));
      sem.execute(() -> Timers.sleep(20));
      sem.execute(() -> Timers.sleep(30));
      sem.onIdle().thenRun(() -> log.add("idle at " + loop.now()));
    });
    assertEquals(List.of("idle at 40"), log);
  }

  @Test
  void setPermits_growGrantsShrinkRejectsTooHeavy() {
    Semaphore sem = new Semaphore(2);
    loop.run(() -> {
      sem.acquire(2);
      track(sem.acquire(2), "two");
      track(sem.acquire(1), "one");
      sem.setPermits(3);              // one more permit: "two" needs 2, so nothing yet (FIFO)
      assertEquals(2, sem.waiting());
      sem.setPermits(1);              // "two" can never fit
      sem.release(2);
      assertEquals(1, sem.permits());
    });
    assertEquals(List.of(
        "two rejected: an acquire of 2 permits can never be granted: the semaphore has 1 permits", "one"), log);
  }

  @Test
  void release_hundredThousandQueuedWaiters_noStackOverflow() {
    int n = 100_000;
    Semaphore sem = new Semaphore(1);
    int[] done = new int[1];
    loop.run(() -> {
      sem.acquire();
      for (int i = 0; i < n; i++) {
        sem.acquire().thenRun(() -> {
          done[0]++;
          sem.release();
        });
      }
      sem.release();
    });
    assertEquals(n, done[0]);
    assertEquals(1, sem.available());
  }

  @Test
  void acquire_releasedFromAPlainThread_settlesOnTheWaitingLoop() throws InterruptedException {
    Semaphore sem = new Semaphore(1);
    assertTrue(sem.tryAcquire()); // a plain thread holds the permit
    EventLoop real = EventLoop.create();
    CountDownLatch waiting = new CountDownLatch(1);
    AtomicReference<String> thread = new AtomicReference<>();
    Thread runner = Thread.ofPlatform().start(() -> real.run(() -> {
      sem.acquire().thenRun(() -> thread.set(Thread.currentThread().getName()));
      thread.set("waiting on " + Thread.currentThread().getName());
      waiting.countDown();
    }));
    assertTrue(waiting.await(10, TimeUnit.SECONDS));
    String loopThread = thread.get().substring("waiting on ".length());
    sem.release();  // from this thread: the grant is posted to the loop, which was kept alive
    runner.join(10_000);
    assertFalse(runner.isAlive());
    assertEquals(loopThread, thread.get());
    assertEquals(0, sem.available());
  }

  // ------------------------------------------------------------------------------------------------
  // Priorities

  @Test
  void acquireWithPriority_waiting_higherFirstFifoWithin() {
    Semaphore sem = new Semaphore(1);
    loop.run(() -> {
      sem.acquire();
      track(sem.acquire(1), "a0");
      track(sem.acquireWithPriority(1, 1), "b1");
      track(sem.acquireWithPriority(1, 0), "c0");
      track(sem.acquireWithPriority(1, -1), "d-1");
      track(sem.acquireWithPriority(1, 1), "e1");
      track(sem.acquireWithPriority(1, 2), "f2");
      assertEquals(6, sem.waiting());
      for (int t = 1; t <= 7; t++) {
        loop.setTimeout(sem::release, t);
      }
    });
    assertEquals(List.of("f2", "b1", "e1", "a0", "c0", "d-1"), log);
  }

  @Test
  void acquireWithPriority_outranksHeavierWaiter_takesFreePermitsAtOnce() {
    Semaphore sem = new Semaphore(3);
    loop.run(() -> {
      sem.acquire(2);
      track(sem.acquire(3), "three");
      assertEquals(Promise.State.FULFILLED, sem.acquireWithPriority(1, 1).state()); // ahead of "three"
      assertEquals(0, sem.available());
      track(sem.acquireWithPriority(1, 1), "one at 1");
      loop.setTimeout(() -> sem.release(3), 5); // "one at 1", then "three" waits for it
      loop.setTimeout(sem::release, 10);
      loop.setTimeout(() -> log.add("t=" + loop.now() + " " + sem.available()), 11);
    });
    assertEquals(List.of("one at 1", "three", "t=11 0"), log);
  }

  @Test
  void acquireWithPriority_heavyHeadOfHigherPriority_holdsBackLowerOnes() {
    Semaphore sem = new Semaphore(2);
    loop.run(() -> {
      sem.acquire();
      track(sem.acquireWithPriority(2, 1), "two at 1");
      track(sem.acquire(), "one");
      assertEquals(1, sem.available()); // free, but "one" waits behind the head
      assertFalse(sem.tryAcquire());
      loop.setTimeout(sem::release, 5);
      loop.setTimeout(() -> sem.release(2), 10);
    });
    assertEquals(List.of("two at 1", "one"), log);
  }

  @Test
  void tryAcquire_onlyLowerPriorityWaiters_takesFreePermits() {
    Semaphore sem = new Semaphore(2);
    loop.run(() -> {
      sem.acquire();
      track(sem.acquireWithPriority(2, -1), "two at -1");
      assertTrue(sem.tryAcquire()); // priority 0 outranks the waiter
      assertFalse(sem.tryAcquire());
      assertEquals(Promise.State.PENDING, sem.acquire().state());
      loop.setTimeout(() -> sem.release(2), 5);
      loop.setTimeout(sem::release, 6);
    });
    assertEquals(List.of("two at -1"), log);
  }

  @Test
  void acquireWithPriority_abortResizeClose_leaveTheOthersInOrder() {
    Semaphore sem = new Semaphore(3);
    AbortController c = new AbortController();
    loop.run(() -> {
      sem.acquire(3);
      track(sem.acquireWithPriority(1, 5, c.signal()), "aborted at 5");
      track(sem.acquireWithPriority(3, 2), "three at 2");
      track(sem.acquireWithPriority(1, 1), "one at 1");
      track(sem.acquire(2), "two");
      track(sem.onIdle(), "idle");
      c.abort(new IllegalStateException("gave up"));
      sem.setPermits(2); // rejects "three at 2"
      assertEquals(2, sem.waiting());
      loop.setTimeout(() -> sem.release(3), 5); // "one at 1" fits; "two" waits for it
      loop.setTimeout(sem::release, 6);
      loop.setTimeout(() -> {
        track(sem.acquireWithPriority(1, 9), "later at 9");
        sem.close();
        sem.release(2);
      }, 7);
    });
    assertEquals(List.of("aborted at 5 rejected: gave up",
        "three at 2 rejected: an acquire of 3 permits can never be granted: the semaphore has 2 permits",
        "one at 1", "two", "later at 9 rejected: the semaphore is closed", "idle"), log);
  }

  @Test
  void acquireWithPriority_badWeight_throws() {
    Semaphore sem = new Semaphore(2);
    loop.run(() -> {
      assertEquals("permits must be between 1 and the semaphore's 2 permits, was 3",
          assertThrows(IllegalArgumentException.class, () -> sem.acquireWithPriority(3, 1)).getMessage());
      assertThrows(IllegalArgumentException.class, () -> sem.executeWithPriority(0, 1, Promise::resolve));
      assertThrows(NullPointerException.class, () -> sem.acquireWithPriority(1, 1, null));
      assertEquals(2, sem.available());
    });
  }

  @Test
  void executeWithPriority_queuedTasks_runInPriorityOrder() {
    Semaphore sem = new Semaphore(1);
    AbortController c = new AbortController();
    loop.run(() -> {
      for (int p : new int[] {0, 1, -1, 1}) {
        String name = "p" + p + "#" + log.size();
        log.add("queue " + name);
        sem.executeWithPriority(1, p, c.signal(), () -> {
          log.add("start " + name + " at " + loop.now());
          return Timers.sleep(10);
        });
      }
      sem.executeWithPriority(1, 2, () -> {
        log.add("start p2 at " + loop.now());
        return Timers.sleep(10);
      });
    });
    assertEquals(List.of("queue p0#0", "queue p1#1", "queue p-1#2", "queue p1#3",
        "start p0#0 at 0", "start p2 at 10", "start p1#1 at 20", "start p1#3 at 30", "start p-1#2 at 40"), log);
    assertEquals(1, sem.available());
  }
}
