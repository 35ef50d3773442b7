package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;
import org.junit.jupiter.api.Test;

class KeyedMutexTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> log = new ArrayList<>();
  private final KeyedMutex<String> keyed = new KeyedMutex<>();

  private void track(Promise<?> p, String name) {
    p.then(v -> log.add(name + " at " + loop.now()), e -> log.add(name + " rejected: " + e.getMessage()));
  }

  @Test
  void lock_sameKeyInFifoOrder_otherKeysNeverWait() {
    loop.run(() -> {
      track(keyed.lock("a"), "a1");
      track(keyed.lock("a"), "a2");
      track(keyed.lock("a"), "a3");
      track(keyed.lock("b"), "b1");
      assertEquals(2, keyed.size());
      assertEquals(2, keyed.waiting("a"));
      loop.setTimeout(() -> keyed.unlock("a"), 1);
      loop.setTimeout(() -> keyed.unlock("a"), 2);
      loop.setTimeout(() -> keyed.unlock("a"), 3);
      loop.setTimeout(() -> keyed.unlock("b"), 3);
    });
    assertEquals(List.of("a1 at 0", "b1 at 0", "a2 at 1", "a3 at 2"), log);
    assertEquals(0, keyed.size());
  }

  @Test
  void unlock_handsTheKeyOn_neverAppearsUnlockedInBetween() {
    loop.run(() -> {
      keyed.lock("k");
      track(keyed.lock("k"), "next");
      keyed.unlock("k");
      assertTrue(keyed.isLocked("k"));
      assertFalse(keyed.tryLock("k"));
      assertEquals(1, keyed.size());
    });
    assertEquals(List.of("next at 0"), log);
  }

  @Test
  void unlock_keyNotLocked_throwsNamingTheKey() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> keyed.unlock("missing"));
    assertEquals("unlock(missing) of a key that is not locked", e.getMessage());
    assertTrue(keyed.tryLock("k"));
    keyed.unlock("k");
    assertThrows(IllegalStateException.class, () -> keyed.unlock("k"));
    assertEquals(0, keyed.size());
  }

  @Test
  void nullKey_throwsNullPointerException() {
    loop.run(() -> {
      assertEquals("key", assertThrows(NullPointerException.class, () -> keyed.lock(null)).getMessage());
      assertThrows(NullPointerException.class, () -> keyed.lock(null, new AbortController().signal()));
      assertThrows(NullPointerException.class, () -> keyed.execute(null, Promise::resolve));
    });
    assertThrows(NullPointerException.class, () -> keyed.tryLock(null));
    assertThrows(NullPointerException.class, () -> keyed.unlock(null));
    assertThrows(NullPointerException.class, () -> keyed.isLocked(null));
    assertEquals(0, keyed.size());
  }

  @Test
  void tryLock_freeKeyTaken_busyKeyRefusedWithoutWaiting() {
    assertTrue(keyed.tryLock("k"));
    assertFalse(keyed.tryLock("k"));
    assertTrue(keyed.tryLock("other"));
    assertEquals(2, keyed.size());
    keyed.unlock("k");
    keyed.unlock("other");
    assertEquals(0, keyed.size());
  }

  @Test
  void execute_serialisesPerKey_inParallelAcrossKeys() {
    loop.run(() -> {
      for (String key : List.of("x", "y", "x")) {
        keyed.execute(key, () -> {
          log.add("start " + key + " at " + loop.now());
          return Timers.sleep(10);
        });
      }
    });
    assertEquals(List.of("start x at 0", "start y at 0", "start x at 10"), log);
    assertEquals(0, keyed.size());
  }

  @Test
  void execute_taskThrowsOrReturnsNull_unlocks() {
    loop.run(() -> {
      track(keyed.execute("k", () -> {
        throw new IllegalStateException("boom");
      }), "throws");
      track(keyed.execute("k", () -> null), "null");
      track(keyed.execute("k", () -> Promise.reject(new IllegalStateException("failed"))), "rejects");
    });
    assertEquals(List.of("throws rejected: boom", "null rejected: the task returned null instead of a promise",
        "rejects rejected: failed"), log);
    assertFalse(keyed.isLocked("k"));
    assertEquals(0, keyed.size());
  }

  @Test
  void lock_abortWhileWaiting_rejectsAndTheKeyIsForgottenOnceIdle() {
    AbortController c = new AbortController();
    loop.run(() -> {
      keyed.lock("k");
      track(keyed.lock("k", c.signal()), "aborted");
      track(keyed.lock("other", c.signal()), "other");
      c.abort(new IllegalStateException("timeout"));
      loop.setTimeout(() -> {
        assertEquals(0, keyed.waiting("k"));
        keyed.unlock("k");
        keyed.unlock("other"); // granted before the abort
        log.add("size " + keyed.size());
      }, 1);
    });
    assertEquals(List.of("other at 0", "aborted rejected: timeout", "size 0"), log);
  }

  @Test
  void lock_onlyWaiterAborted_holderless_keyLeavesTheCount() {
    AbortController c = new AbortController();
    loop.run(() -> {
      keyed.lock("k");
      keyed.lock("k", c.signal()).catchError(e -> null);
      keyed.unlock("k"); // handed to the waiter
      keyed.lock("j", AbortSignal.abort(new IllegalStateException("early"))).catchError(e -> null);
      log.add("size " + keyed.size());
    });
    assertEquals(List.of("size 1"), log); // "k" held by the waiter; "j" never counted
    keyed.unlock("k");
    assertEquals(0, keyed.size());
  }

  @Test
  void close_rejectsWaitersOfEveryKeyAndLaterCalls_holdersKeepTheirKeys() {
    IllegalStateException reason = new IllegalStateException("shutdown");
    loop.run(() -> {
      keyed.lock("a");
      keyed.lock("b");
      track(keyed.lock("a"), "a waiter");
      track(keyed.lock("b"), "b waiter");
      keyed.close(reason);
      keyed.close(new IllegalStateException("second"));
      track(keyed.lock("c"), "later");
      track(keyed.execute("c", Promise::resolve), "later execute");
      ClosedError e = assertThrows(ClosedError.class, () -> keyed.tryLock("c"));
      assertEquals("the keyed mutex is closed", e.getMessage());
      assertSame(reason, e.getCause());
      assertTrue(keyed.isLocked("a"));
      keyed.unlock("a");
      keyed.unlock("b");
    });
    // a waiter's rejection passes through the reaction that forgets its key: a tick after the refusals
    assertEquals(List.of("later rejected: shutdown", "later execute rejected: shutdown", "a waiter rejected: shutdown",
        "b waiter rejected: shutdown"), log);
    assertTrue(keyed.isClosed());
    assertEquals(0, keyed.size());
  }

  @Test
  void close_withoutReason_rejectsWithClosedError() {
    loop.run(() -> {
      keyed.lock("a");
      track(keyed.lock("a"), "waiter");
      keyed.close();
      assertEquals(1, keyed.size()); // the holder's key
      keyed.unlock("a");
    });
    assertEquals(List.of("waiter rejected: the keyed mutex is closed"), log);
    assertEquals(0, keyed.size());
  }

  @Test
  void lock_100000DistinctKeys_lockedAndUnlocked_leaveNoEntry() {
    KeyedMutex<Integer> many = new KeyedMutex<>();
    int n = 100_000;
    int[] granted = {0};
    loop.run(() -> {
      for (int i = 0; i < n; i++) {
        many.lock(i).thenRun(() -> granted[0]++);
      }
      assertEquals(n, many.size());
      for (int i = 0; i < n; i++) {
        many.unlock(i);
      }
      assertEquals(0, many.size());
      for (int i = 0; i < n; i++) {
        int key = i;
        many.execute(key, Promise::resolve);
      }
    });
    assertEquals(n, granted[0]);
    assertEquals(0, many.size());
  }
}
