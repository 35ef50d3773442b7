package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;
import org.junit.jupiter.api.Test;

class KeyedSemaphoreTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> log = new ArrayList<>();
  private final KeyedSemaphore<String> perHost = new KeyedSemaphore<>(2);

  private void track(Promise<?> p, String name) {
    p.then(v -> log.add(name + " at " + loop.now()), e -> log.add(name + " rejected: " + e.getMessage()));
  }

  @Test
  void execute_atMostThePermitsPerKeyAtOnce_keysIndependent() {
    loop.run(() -> {
      for (String host : List.of("a", "a", "a", "b", "a", "b", "b")) {
        perHost.execute(host, () -> {
          log.add(host + " starts at " + loop.now());
          return Timers.sleep(10);
        });
      }
      assertEquals(2, perHost.waiting("a"));
      assertEquals(1, perHost.waiting("b"));
      assertEquals(0, perHost.available("a"));
    });
    assertEquals(List.of("a starts at 0", "a starts at 0", "b starts at 0", "b starts at 0", "a starts at 10",
        "a starts at 10", "b starts at 10"), log);
    assertEquals(0, perHost.size());
  }

  @Test
  void acquire_weighted_headOfLineBlocksLighterRequestsBehindIt() {
    loop.run(() -> {
      track(perHost.acquire("k"), "one");
      track(perHost.acquire("k", 2), "two");
      track(perHost.acquire("k"), "light");
      assertFalse(perHost.tryAcquire("k")); // one permit free, but "two" waits ahead
      loop.setTimeout(() -> perHost.release("k"), 5);
      loop.setTimeout(() -> perHost.release("k", 2), 7);
    });
    assertEquals(List.of("one at 0", "two at 5", "light at 7"), log);
    assertEquals(1, perHost.size()); // "light" still holds its permit
    perHost.release("k");
    assertEquals(0, perHost.size());
    assertEquals(2, perHost.available("k"));
  }

  @Test
  void tryAcquire_takesWhatFits_andTheKeyIsForgottenWhenAllAreReleased() {
    assertTrue(perHost.tryAcquire("k", 2));
    assertFalse(perHost.tryAcquire("k"));
    assertTrue(perHost.tryAcquire("other"));
    assertEquals(2, perHost.size());
    assertEquals(1, perHost.available("other"));
    perHost.release("k");
    assertEquals(1, perHost.available("k"));
    perHost.release("k");
    perHost.release("other");
    assertEquals(0, perHost.size());
  }

  @Test
  void badInput_clearErrors_nothingChanges() {
    assertEquals("a keyed semaphore needs at least 1 permit per key, was 0",
        assertThrows(IllegalArgumentException.class, () -> new KeyedSemaphore<String>(0)).getMessage());
    loop.run(() -> {
      assertEquals("permits must be between 1 and the 2 permits per key, was 3",
          assertThrows(IllegalArgumentException.class, () -> perHost.acquire("k", 3)).getMessage());
      assertThrows(IllegalArgumentException.class, () -> perHost.execute("k", 0, Promise::resolve));
      assertEquals("key", assertThrows(NullPointerException.class, () -> perHost.acquire(null)).getMessage());
    });
    assertThrows(IllegalArgumentException.class, () -> perHost.tryAcquire("k", 0));
    assertThrows(IllegalArgumentException.class, () -> perHost.release("k", 0));
    assertThrows(NullPointerException.class, () -> perHost.tryAcquire(null));
    assertTrue(perHost.tryAcquire("k"));
    IllegalStateException over = assertThrows(IllegalStateException.class, () -> perHost.release("k", 2));
    assertEquals("release(k, 2) but only 1 permits of that key are held", over.getMessage());
    assertThrows(IllegalStateException.class, () -> perHost.release("missing"));
    assertEquals(1, perHost.available("k"));
    perHost.release("k");
    assertEquals(0, perHost.size());
  }

  @Test
  void acquire_abortWhileWaiting_rejectsThatWaiterOnly_andTheKeyIsForgottenOnceIdle() {
    AbortController c = new AbortController();
    loop.run(() -> {
      perHost.acquire("k", 2);
      track(perHost.acquire("k", 1, c.signal()), "aborted");
      track(perHost.acquire("k"), "kept");
      c.abort(new IllegalStateException("timeout"));
      loop.setTimeout(() -> perHost.release("k", 2), 1);
      loop.setTimeout(() -> {
        perHost.release("k");
        log.add("size " + perHost.size());
      }, 2);
    });
    assertEquals(List.of("aborted rejected: timeout", "kept at 1", "size 0"), log);
  }

  @Test
  void execute_taskThrowsOrReturnsNull_releases() {
    loop.run(() -> {
      track(perHost.execute("k", 2, () -> {
        throw new IllegalStateException("boom");
      }), "throws");
      track(perHost.execute("k", 2, () -> null), "null");
    });
    assertEquals(List.of("throws rejected: boom", "null rejected: the task returned null instead of a promise"),
        log);
    assertEquals(0, perHost.size());
  }

  @Test
  void close_rejectsWaitersAndLaterCalls_holdersKeepTheirPermits() {
    IllegalStateException reason = new IllegalStateException("shutdown");
    loop.run(() -> {
      perHost.acquire("a", 2);
      track(perHost.acquire("a"), "waiter");
      perHost.close(reason);
      track(perHost.acquire("b"), "later");
      ClosedError e = assertThrows(ClosedError.class, () -> perHost.tryAcquire("b"));
      assertEquals("the keyed semaphore is closed", e.getMessage());
      assertSame(reason, e.getCause());
      assertEquals(0, perHost.available("a"));
      perHost.release("a", 2);
    });
    assertEquals(List.of("later rejected: shutdown", "waiter rejected: shutdown"), log);
    assertTrue(perHost.isClosed());
    assertEquals(0, perHost.size());
  }

  @Test
  void nestedWithAGlobalSemaphore_limitsPerKeyAndOverall() {
    Semaphore global = new Semaphore(3);
    loop.run(() -> {
      for (String host : List.of("a", "a", "a", "b", "c")) {
        global.execute(() -> perHost.execute(host, () -> {
          log.add(host + " at " + loop.now());
          return Timers.sleep(10);
        }));
      }
    });
    // a, a hold two global permits and a's two; the third a holds the last global permit while it waits
    assertEquals(List.of("a at 0", "a at 0", "a at 10", "b at 10", "c at 10"), log);
    assertEquals(0, perHost.size());
  }

  @Test
  void acquire_100000DistinctKeys_leaveNoEntry() {
    KeyedSemaphore<Integer> many = new KeyedSemaphore<>(3);
    int n = 100_000;
    int[] granted = {0};
    loop.run(() -> {
      for (int i = 0; i < n; i++) {
        many.acquire(i, 3).thenRun(() -> granted[0]++);
      }
      assertEquals(n, many.size());
      for (int i = 0; i < n; i++) {
        many.release(i, 3);
      }
      for (int i = 0; i < n; i++) {
        many.execute(i, Promise::resolve);
      }
    });
    assertEquals(n, granted[0]);
    assertEquals(0, many.size());
  }
}
