package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

class AsyncConditionTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> log = new ArrayList<>();
  private final Mutex mutex = new Mutex();
  private final AsyncCondition cond = mutex.newCondition();

  /** Logs the outcome of {@code p} with whether the mutex is locked at that moment. */
  private void track(Promise<?> p, String name) {
    p.then(v -> log.add(name + " locked=" + mutex.isLocked()),
        e -> log.add(name + " rejected: " + e.getMessage() + " locked=" + mutex.isLocked()));
  }

  /** Locks, then awaits, logging as {@code name}. */
  private void lockAndAwait(String name) {
    mutex.lock().thenRun(() -> track(cond.await(), name));
  }

  @Test
  void await_signal_relocksBeforeFulfilling() {
    loop.run(() -> {
      lockAndAwait("waiter");
      loop.setTimeout(() -> mutex.lock().thenRun(() -> {
        assertEquals(1, cond.waiting());
        log.add("signal " + cond.signal());
        loop.setTimeout(() -> {
          log.add("unlock at " + loop.now());
          mutex.unlock();
        }, 5);
      }), 1);
    });
    assertEquals(List.of("signal true", "unlock at 6", "waiter locked=true"), log);
    assertTrue(mutex.isLocked()); // the waiter holds it again
    assertEquals(0, cond.waiting());
  }

  @Test
  void await_unlocksTheMutex() {
    loop.run(() -> {
      lockAndAwait("waiter");
      loop.setTimeout(() -> log.add("locked while waiting=" + mutex.isLocked() + " tryLock=" + mutex.tryLock()), 1);
    });
    assertEquals(List.of("locked while waiting=false tryLock=true"), log);
  }

  @Test
  void signal_wakesOldestFirst_signalAllWakesEveryoneQueuedThen() {
    loop.run(() -> {
      lockAndAwait("a");
      lockAndAwait("b");
      lockAndAwait("c");
      loop.setTimeout(() -> {
        assertEquals(3, cond.waiting());
        assertTrue(cond.signal());
        assertEquals(2, cond.waiting());
        log.add("woke " + cond.signalAll());
        assertEquals(0, cond.waiting());
        assertFalse(cond.signal());
        assertEquals(0, cond.signalAll());
      }, 1);
      loop.setTimeout(mutex::unlock, 2); // a holds it, in wake-up order
      loop.setTimeout(mutex::unlock, 3);
      loop.setTimeout(mutex::unlock, 4);
    });
    assertEquals(List.of("woke 2", "a locked=true", "b locked=true", "c locked=true"), log);
    assertFalse(mutex.isLocked());
  }

  @Test
  void signal_withNobodyWaiting_storesNothing() {
    loop.run(() -> {
      assertFalse(cond.signal());
      lockAndAwait("waiter"); // not completed by the earlier signal, unlike tokio's Notify
      loop.setTimeout(() -> log.add("still waiting " + cond.waiting()), 10);
    });
    assertEquals(List.of("still waiting 1"), log);
  }

  @Test
  void await_mutexNotLocked_throwsAndQueuesNothing() {
    loop.run(() -> {
      IllegalStateException e = assertThrows(IllegalStateException.class, cond::await);
      assertEquals("await() on a condition whose mutex is not locked: lock the mutex first", e.getMessage());
      assertThrows(IllegalStateException.class, () -> cond.await(new AbortController().signal()));
    });
    assertEquals(0, cond.waiting());
    assertFalse(mutex.isLocked());
  }

  @Test
  void await_outsideALoop_throws() {
    assertThrows(IllegalStateException.class, cond::await);
  }

  @Test
  void await_nextHolderGrantedByTheAwaitsUnlock_signalsIt() {
    loop.run(() -> {
      lockAndAwait("waiter");
      // queued behind the waiter's hold: granted by the await's own unlock, signals at once
      mutex.lock().thenRun(() -> {
        log.add("signal " + cond.signal());
        mutex.unlock();
      });
    });
    assertEquals(List.of("signal true", "waiter locked=true"), log);
  }

  @Test
  void await_abortWhileWaiting_relocksThenRejectsWithTheReason() {
    AbortController c = new AbortController();
    IllegalStateException reason = new IllegalStateException("timeout");
    loop.run(() -> {
      mutex.lock().thenRun(() -> track(cond.await(c.signal()), "waiter"));
      loop.setTimeout(() -> mutex.lock().thenRun(() -> {
        c.abort(reason);
        assertEquals(0, cond.waiting());
        log.add("aborted, holder unlocks at 5");
        loop.setTimeout(mutex::unlock, 4);
      }), 1);
    });
    assertEquals(List.of("aborted, holder unlocks at 5", "waiter rejected: timeout locked=true"), log);
    assertTrue(mutex.isLocked());
  }

  @Test
  void await_alreadyAborted_rejectsAtOnceAndKeepsTheLock() {
    loop.run(() -> mutex.lock().thenRun(() -> track(cond.await(AbortSignal.abort(new IllegalStateException("early"))), "waiter")));
    assertEquals(List.of("waiter rejected: early locked=true"), log);
    assertEquals(0, cond.waiting());
  }

  @Test
  void await_abortAfterTheSignal_doesNothingAndFulfils() {
    AbortController c = new AbortController();
    loop.run(() -> {
      mutex.lock().thenRun(() -> track(cond.await(c.signal()), "waiter"));
      loop.setTimeout(() -> {
        assertTrue(cond.signal());
        c.abort(new IllegalStateException("too late"));
      }, 1);
    });
    assertEquals(List.of("waiter locked=true"), log);
  }

  @Test
  void signal_oldestWaiterAborted_goesToTheNext() {
    AbortController c = new AbortController();
    loop.run(() -> {
      mutex.lock().thenRun(() -> track(cond.await(c.signal()), "a"));
      lockAndAwait("b");
      loop.setTimeout(() -> {
        c.abort(new IllegalStateException("gone"));
        assertTrue(cond.signal());
        assertEquals(0, cond.waiting());
      }, 1);
      loop.setTimeout(mutex::unlock, 2);
    });
    assertEquals(List.of("a rejected: gone locked=true", "b locked=true"), log);
  }

  @Test
  void close_rejectsWaitersWithTheReason_withoutRelocking() {
    IllegalStateException reason = new IllegalStateException("shutdown");
    loop.run(() -> {
      lockAndAwait("a");
      lockAndAwait("b");
      loop.setTimeout(() -> {
        mutex.close(reason);
        assertEquals(0, cond.waiting());
      }, 1);
    });
    assertEquals(List.of("a rejected: shutdown locked=false", "b rejected: shutdown locked=false"), log);
  }

  @Test
  void close_laterAwait_unlocksAndRejectsWithTheSameReasonAsLocks() {
    Promise<?>[] lock = new Promise<?>[1];
    loop.run(() -> mutex.lock().thenRun(() -> {
      mutex.close();
      lock[0] = mutex.lock();
      track(lock[0], "lock");
      track(cond.await(), "await");
      assertFalse(mutex.isLocked());
    }));
    assertEquals(List.of("lock rejected: the mutex is closed locked=false",
        "await rejected: the mutex is closed locked=false"), log);
    assertEquals(0, cond.waiting());
  }

  @Test
  void close_whileWokenWaiterRelocks_rejectsWithTheReason() {
    loop.run(() -> {
      lockAndAwait("waiter");
      loop.setTimeout(() -> mutex.lock().thenRun(() -> {
        cond.signal();   // the waiter re-locks behind this holder
        loop.setTimeout(() -> mutex.close(new IllegalStateException("closed")), 1);
      }), 1);
    });
    assertEquals(List.of("waiter rejected: closed locked=true"), log); // still held by the signaller
  }

  @Test
  void close_twice_firstReasonDecidesForConditionAndLockWaiters() {
    IllegalStateException first = new IllegalStateException("first");
    Throwable[] seen = new Throwable[2];
    loop.run(() -> {
      mutex.lock().thenRun(() -> cond.await().catchError(e -> {
        seen[0] = e;
        return null;
      }));
      loop.setTimeout(() -> mutex.lock().thenRun(() -> {
        mutex.lock().catchError(e -> {
          seen[1] = e;
          return null;
        });
        mutex.close(first);
        mutex.close(new IllegalStateException("second"));
      }), 1);
    });
    assertSame(first, seen[0]);
    assertSame(first, seen[1]);
  }

  @Test
  void await_signalFromAPlainThread_settlesOnTheWaitingLoop() {
    EventLoop real = EventLoop.create().start();
    try {
      Mutex m = new Mutex();
      AsyncCondition c = m.newCondition();
      CompletableFuture<Boolean> onItsLoop = new CompletableFuture<>();
      real.execute(() -> m.lock().thenCompose(v -> c.await())
          .thenRun(() -> onItsLoop.complete(EventLoop.tryCurrent() == real && m.isLocked())));
      while (c.waiting() == 0) {
        Thread.onSpinWait();
      }
      assertTrue(c.signal()); // this thread runs no loop
      assertTrue(onItsLoop.join());
    } finally {
      real.close();
    }
  }
}
