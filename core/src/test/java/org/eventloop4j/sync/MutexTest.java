package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;
import org.junit.jupiter.api.Test;

class MutexTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> log = new ArrayList<>();

  private void track(Promise<?> p, String name) {
    p.then(v -> log.add(name), e -> log.add(name + " rejected: " + e.getMessage()));
  }

  @Test
  void lock_handedOnInFifoOrder_neverAppearsUnlockedInBetween() {
    Mutex m = new Mutex();
    loop.run(() -> {
      track(m.lock(), "a");
      track(m.lock(), "b");
      track(m.lock(), "c");
      assertTrue(m.isLocked());
      assertEquals(2, m.waiting());
      m.unlock();
      assertTrue(m.isLocked());   // handed to b
      assertFalse(m.tryLock());   // no barging
      loop.setTimeout(m::unlock, 1);
      loop.setTimeout(m::unlock, 2);
      loop.setTimeout(() -> log.add("locked " + m.isLocked()), 3);
    });
    assertEquals(List.of("a", "b", "c", "locked false"), log);
  }

  @Test
  void unlock_whenUnlocked_throwsAndChangesNothing() {
    Mutex m = new Mutex();
    assertEquals("unlock() of a mutex that is not locked", assertThrows(IllegalStateException.class, m::unlock).getMessage());
    assertTrue(m.tryLock());
    m.unlock();
    assertThrows(IllegalStateException.class, m::unlock);
    assertFalse(m.isLocked());
  }

  @Test
  void execute_serialisesTasks() {
    Mutex m = new Mutex();
    loop.run(() -> {
      for (int i = 0; i < 3; i++) {
        int id = i;
        m.execute(() -> {
          log.add("start " + id + " at " + loop.now());
          return Timers.sleep(10).thenRun(() -> log.add("end " + id + " at " + loop.now()));
        });
      }
    });
    assertEquals(List.of("start 0 at 0", "end 0 at 10", "start 1 at 10", "end 1 at 20", "start 2 at 20", "end 2 at 30"), log);
  }

  @Test
  void execute_taskThrows_unlocks() {
    Mutex m = new Mutex();
    loop.run(() -> track(m.execute(() -> {
      throw new IllegalStateException("boom");
    }), "task"));
    assertEquals(List.of("task rejected: boom"), log);
    assertFalse(m.isLocked());
  }

  @Test
  void lock_abortAndClose() {
    Mutex m = new Mutex();
    AbortController c = new AbortController();
    loop.run(() -> {
      m.lock();
      track(m.lock(c.signal()), "aborted");
      track(m.lock(), "closed");
      track(m.waitForUnlock(), "unlocked");
      c.abort(new IllegalStateException("timeout"));
      m.close();
      track(m.lock(), "later");
      assertEquals("the mutex is closed", assertThrows(ClosedError.class, m::tryLock).getMessage());
      loop.setTimeout(m::unlock, 5);
    });
    assertEquals(List.of("aborted rejected: timeout", "closed rejected: the mutex is closed",
        "later rejected: the mutex is closed", "unlocked"), log);
  }

  @Test
  void waitForUnlock_doesNotLock() {
    Mutex m = new Mutex();
    loop.run(() -> {
      m.lock();
      track(m.waitForUnlock(), "free");
      track(m.lock(), "next");
      loop.setTimeout(m::unlock, 1);
      loop.setTimeout(() -> {
        log.add("unlock next");
        m.unlock();
      }, 2);
    });
    assertEquals(List.of("next", "unlock next", "free"), log);
  }

  @Test
  void lock_reentrant_deadlocksAsDocumented() {
    Mutex[] holder = new Mutex[1];
    loop.run(() -> {
      Mutex m = new Mutex(); // made on the loop: a waiter keeps nothing alive, as in JavaScript
      holder[0] = m;
      m.lock().thenRun(() -> track(m.lock(), "inner"));
    });
    Mutex m = holder[0];
    assertEquals(List.of(), log); // the inner lock waits for itself; the loop ends with it pending
    assertTrue(m.isLocked());
    assertEquals(1, m.waiting());
  }

  @Test
  void lockWithPriority_unlock_handsToTheOldestOfTheHighestPriority() {
    Mutex m = new Mutex();
    AbortController c = new AbortController();
    loop.run(() -> {
      m.lock();
      track(m.lock(), "a0");
      track(m.lockWithPriority(-1), "b-1");
      track(m.lockWithPriority(1, c.signal()), "c1 aborted");
      track(m.lockWithPriority(1), "d1");
      track(m.lockWithPriority(0), "e0");
      c.abort(new IllegalStateException("gave up"));
      m.unlock();
      assertTrue(m.isLocked()); // handed to d1
      assertFalse(m.tryLock());
      for (int t = 1; t <= 4; t++) {
        loop.setTimeout(m::unlock, t);
      }
    });
    assertEquals(List.of("c1 aborted rejected: gave up", "d1", "a0", "e0", "b-1"), log);
    assertFalse(m.isLocked());
  }

  @Test
  void executeWithPriority_queuedTasks_runByPriority() {
    Mutex m = new Mutex();
    AbortController c = new AbortController();
    loop.run(() -> {
      m.execute(() -> Timers.sleep(10));
      m.executeWithPriority(-1, () -> Promise.resolve(log.add("low at " + loop.now())));
      m.executeWithPriority(3, c.signal(), () -> Promise.resolve(log.add("high at " + loop.now())));
      m.execute(() -> Promise.resolve(log.add("default at " + loop.now())));
    });
    assertEquals(List.of("high at 10", "default at 10", "low at 10"), log);
    assertFalse(m.isLocked());
  }
}
