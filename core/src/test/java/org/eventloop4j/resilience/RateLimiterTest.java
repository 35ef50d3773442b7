package org.eventloop4j.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.sync.ClosedError;
import org.junit.jupiter.api.Test;

/** RateLimiter on virtual time: exact schedules of both budgets, FIFO and weights, abort, close, errors. */
class RateLimiterTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> log = new ArrayList<>();

  private void track(Promise<?> p, String name) {
    p.then(v -> log.add(loop.now() + " " + name), e -> log.add(loop.now() + " " + name + " rejected: " + e.getMessage()));
  }

  private static Duration ms(long ms) {
    return Duration.ofMillis(ms);
  }

  @Test
  void fixedWindow_grantsTheLimitPerWindow_inFifoOrder() {
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.fixedWindow(3, ms(100));
      for (int i = 0; i < 8; i++) {
        track(limiter.acquire(), "#" + i);
      }
      assertEquals(5, limiter.waiting());
    });
    assertEquals(List.of("0 #0", "0 #1", "0 #2", "100 #3", "100 #4", "100 #5", "200 #6", "200 #7"), log);
    assertEquals(200, loop.now()); // the last wait kept the loop alive up to its window, and no longer
  }

  @Test
  void fixedWindow_opensTheNextWindowOnDemand() {
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.fixedWindow(2, ms(100));
      track(limiter.acquire(), "a");
      track(limiter.acquire(), "b");
      loop.setTimeout(() -> {
        track(limiter.acquire(), "c"); // the window of a and b ended at 100: a new one opens at 150
        track(limiter.acquire(), "d");
        track(limiter.acquire(), "e");
      }, 150);
    });
    assertEquals(List.of("0 a", "0 b", "150 c", "150 d", "250 e"), log);
  }

  @Test
  void fixedWindow_grantsUpToTwiceTheLimitAcrossAWindowEdge_slidingWindowDoesNot() {
    assertEquals(List.of("0 first", "90 x0", "90 x1", "100 x2", "100 y0", "100 y1"), edge(false));
    log.clear();
    assertEquals(List.of("0 first", "90 x0", "90 x1", "100 x2", "190 y0", "190 y1"), edge(true));
  }

  /** One acquire at 0, three at 90, two more at 100, with 3 permits per 100 ms. */
  private List<String> edge(boolean sliding) {
    EventLoop l = EventLoop.builder().virtualTime().build();
    l.run(() -> {
      RateLimiter limiter = RateLimiter.builder().limit(3).interval(ms(100)).sliding(sliding).build();
      trackOn(l, limiter.acquire(), "first");
      l.setTimeout(() -> {
        for (int i = 0; i < 3; i++) {
          trackOn(l, limiter.acquire(), "x" + i);
        }
      }, 90);
      l.setTimeout(() -> {
        for (int i = 0; i < 2; i++) {
          trackOn(l, limiter.acquire(), "y" + i);
        }
      }, 100);
    });
    return log;
  }

  private void trackOn(EventLoop l, Promise<?> p, String name) {
    p.then(v -> log.add(l.now() + " " + name), e -> log.add(l.now() + " " + name + " rejected"));
  }

  @Test
  void slidingWindow_neverGrantsMoreThanTheLimitWithinAnInterval() {
    List<Long> times = new ArrayList<>();
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.slidingWindow(4, ms(50));
      for (int i = 0; i < 40; i++) {
        int weight = 1 + i % 3;
        loop.setTimeout(() -> limiter.acquire(weight).thenRun(() -> {
          for (int k = 0; k < weight; k++) {
            times.add(loop.now());
          }
        }), i * 7L);
      }
    });
    assertEquals(79, times.size()); // 14 × 1 + 13 × 2 + 13 × 3
    for (int i = 4; i < times.size(); i++) {
      assertTrue(times.get(i) - times.get(i - 4) >= 50, "5 permits within 50 ms at " + i + ": " + times);
    }
  }

  @Test
  void acquire_awaitedInAnAsyncBody_pacesTheLoop() {
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.slidingWindow(2, ms(30));
      Async.async(() -> {
        for (int i = 0; i < 5; i++) {
          Async.await(limiter.acquire());
          log.add(loop.now() + " call " + i);
        }
        return null;
      });
    });
    assertEquals(List.of("0 call 0", "0 call 1", "30 call 2", "30 call 3", "60 call 4"), log);
  }

  @Test
  void slidingWindow_withAManyMillisecondHistory_staysExact() {
    List<Long> times = new ArrayList<>();
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.slidingWindow(300, ms(100));
      for (int t = 0; t < 400; t++) {
        loop.setTimeout(() -> {
          for (int k = 0; k < 5; k++) {
            limiter.acquire().thenRun(() -> times.add(loop.now()));
          }
        }, t);
      }
    });
    assertEquals(2_000, times.size());
    for (int i = 300; i < times.size(); i++) {
      assertTrue(times.get(i) - times.get(i - 300) >= 100, "301 permits within 100 ms at " + i);
    }
    // The window repeats its first 100 ms: 5 a millisecond in 0-59 fill it, none in 60-99, then each permit
    // comes back 100 ms after it was granted: 300 in 100-159, 300 in 200-259, ..., the 1 800th at 559.
    assertEquals(559, times.get(1_799));
    assertEquals(639, times.get(1_999));
  }

  @Test
  void slidingWindow_weightedGrantsInOneMillisecond_expireTogether() {
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.slidingWindow(4, ms(10));
      track(limiter.acquire(2), "two a");
      track(limiter.acquire(2), "two b");
      track(limiter.acquire(3), "three");
      loop.setTimeout(() -> track(limiter.acquire(1), "one"), 10);
      loop.setTimeout(() -> track(limiter.acquire(1), "one more"), 10);
    });
    assertEquals(List.of("0 two a", "0 two b", "10 three", "10 one", "20 one more"), log);
  }

  @Test
  void acquire_weighted_aLaterSmallRequestDoesNotOvertake() {
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.fixedWindow(5, ms(100));
      track(limiter.acquire(4), "four");
      track(limiter.acquire(3), "three");
      track(limiter.acquire(1), "one");
      assertEquals(1, limiter.available()); // left in the window, but "one" queues behind "three"
      assertFalse(limiter.tryAcquire());
      loop.setTimeout(() -> log.add(loop.now() + " left " + limiter.available()), 150);
    });
    assertEquals(List.of("0 four", "100 three", "100 one", "150 left 1"), log);
  }

  @Test
  void tryAcquire_takesWhatTheBudgetHas_neverWaits() {
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.fixedWindow(3, ms(100));
      assertTrue(limiter.tryAcquire(2));
      assertFalse(limiter.tryAcquire(2));
      assertTrue(limiter.tryAcquire());
      assertEquals(0, limiter.available());
      loop.setTimeout(() -> log.add(loop.now() + " " + limiter.available() + " " + limiter.tryAcquire(3)), 100);
    });
    assertEquals(List.of("100 3 true"), log);
  }

  @Test
  void abort_removesExactlyThatWaiter_andTheOnesBehindMayGoFirst() {
    AbortController controller = new AbortController();
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.fixedWindow(3, ms(100));
      track(limiter.acquire(2), "two");
      track(limiter.acquire(3, controller.signal()), "three");
      track(limiter.acquire(1), "one");
      loop.setTimeout(() -> controller.abort(new IllegalStateException("gave up")), 10);
    });
    assertEquals(List.of("0 two", "10 three rejected: gave up", "10 one"), log);
    assertEquals(10, loop.now()); // the head's timer went with it
  }

  @Test
  void abort_afterTheGrant_doesNothing() {
    AbortController controller = new AbortController();
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.fixedWindow(1, ms(100));
      limiter.acquire();
      track(limiter.acquire(controller.signal()), "waiter");
      loop.setTimeout(controller::abort, 150);
    });
    assertEquals(List.of("100 waiter"), log);
  }

  @Test
  void acquire_alreadyAborted_rejectsAndTakesNothing() {
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.fixedWindow(1, ms(100));
      track(limiter.acquire(AbortSignal.abort(new IllegalStateException("no"))), "aborted");
      assertEquals(1, limiter.available());
      track(limiter.acquire(), "next");
    });
    assertEquals(List.of("0 aborted rejected: no", "0 next"), log);
  }

  @Test
  void close_rejectsWaitersAndLaterCalls_andLetsTheLoopEnd() {
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.fixedWindow(1, ms(1_000));
      track(limiter.acquire(), "granted");
      track(limiter.acquire(), "waiter 1");
      track(limiter.acquire(), "waiter 2");
      loop.setTimeout(() -> {
        limiter.close();
        track(limiter.acquire(), "later");
        ClosedError e = assertThrows(ClosedError.class, limiter::tryAcquire);
        assertEquals("the rate limiter is closed", e.getMessage());
        assertTrue(limiter.isClosed());
      }, 10);
    });
    assertEquals(List.of("0 granted", "10 waiter 1 rejected: the rate limiter is closed",
        "10 waiter 2 rejected: the rate limiter is closed", "10 later rejected: the rate limiter is closed"), log);
    assertEquals(10, loop.now()); // no timer left for the window at 1000
  }

  @Test
  void close_withReason_rejectsWithIt() {
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.fixedWindow(1, ms(100));
      limiter.acquire();
      Promise<?> waiter = limiter.acquire();
      IllegalStateException reason = new IllegalStateException("shutting down");
      limiter.close(reason);
      waiter.then(v -> log.add("fulfilled"), e -> log.add(e == reason ? "the reason itself" : "other: " + e));
    });
    assertEquals(List.of("the reason itself"), log);
  }

  @Test
  void execute_startsTheTaskOnceGranted_andSettlesLikeIt() {
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.fixedWindow(1, ms(100));
      track(limiter.execute(() -> Promise.resolve("a")), "a");
      track(limiter.execute(() -> {
        log.add(loop.now() + " b starts");
        return Promise.resolve("b");
      }), "b");
      track(limiter.execute(() -> {
        throw new IllegalStateException("c failed");
      }), "c");
      track(limiter.execute(() -> null), "d");
    });
    assertEquals(List.of("0 a", "100 b starts", "100 b", "200 c rejected: c failed",
        "300 d rejected: the task returned null instead of a promise"), log);
  }

  @Test
  void badInput_isRejectedAtOnce_andTheLimiterStaysUsable() {
    assertEquals("limit must be at least 1, was 0",
        assertThrows(IllegalArgumentException.class, () -> RateLimiter.fixedWindow(0, ms(100))).getMessage());
    assertEquals("interval must be at least 1 ms, was PT0S",
        assertThrows(IllegalArgumentException.class, () -> RateLimiter.slidingWindow(1, Duration.ZERO)).getMessage());
    assertThrows(NullPointerException.class, () -> RateLimiter.fixedWindow(1, null));
    loop.run(() -> {
      RateLimiter limiter = RateLimiter.fixedWindow(3, ms(100));
      assertEquals("permits must be between 1 and the rate limiter's limit of 3, was 4",
          assertThrows(IllegalArgumentException.class, () -> limiter.acquire(4)).getMessage());
      assertThrows(IllegalArgumentException.class, () -> limiter.tryAcquire(0));
      assertThrows(NullPointerException.class, () -> limiter.acquire(1, null));
      assertThrows(NullPointerException.class, () -> limiter.execute(null));
      assertEquals(3, limiter.available());
      track(limiter.acquire(3), "all three");
    });
    assertEquals(List.of("0 all three"), log);
  }

  @Test
  void acquire_outsideALoop_failsClearly() {
    RateLimiter limiter = RateLimiter.fixedWindow(1, ms(100));
    IllegalStateException e = assertThrows(IllegalStateException.class, limiter::acquire);
    assertTrue(e.getMessage().contains("event loop"), e.getMessage());
    assertTrue(limiter.tryAcquire()); // the try form works on any thread
  }

  @Test
  void toString_tellsTheBudget() {
    loop.run(() -> assertEquals("RateLimiter[sliding, 2 per 50 ms, waiting=0]",
        RateLimiter.slidingWindow(2, ms(50)).toString()));
  }

  /**
   * Loops on several threads share one limiter of 100 permits per hour: exactly 100 acquires are granted,
   * no more, whatever the interleaving; the others wait until close() rejects them on their own loops.
   */
  @Test
  void sharedBetweenLoops_grantsExactlyTheBudget() throws InterruptedException {
    int loops = 4;
    int each = 60 * Integer.getInteger("eventloop4j.stress", 1);
    RateLimiter limiter = RateLimiter.fixedWindow(100, Duration.ofHours(1));
    AtomicInteger granted = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    CountDownLatch entered = new CountDownLatch(loops);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < loops; t++) {
      threads.add(Thread.ofPlatform().start(() -> EventLoop.create().run(() -> {
        for (int i = 0; i < each; i++) {
          limiter.acquire().then(v -> granted.incrementAndGet(), e -> rejected.incrementAndGet());
        }
        entered.countDown();
      })));
    }
    assertTrue(entered.await(30, TimeUnit.SECONDS));
    assertEquals(loops * each - 100, limiter.waiting());
    limiter.close();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(t.isAlive(), "a loop did not end after close()");
    }
    assertEquals(100, granted.get());
    assertEquals(loops * each - 100, rejected.get());
    assertInstanceOf(ClosedError.class, assertThrows(ClosedError.class, limiter::tryAcquire));
  }
}
