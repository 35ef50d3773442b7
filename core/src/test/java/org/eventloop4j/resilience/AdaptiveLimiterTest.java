package org.eventloop4j.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;
import org.junit.jupiter.api.Test;

/** AdaptiveLimiter on virtual time: AIMD steps, slow calls, shedding, FIFO waits, abort, errors, bad input. */
class AdaptiveLimiterTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  private final List<Throwable> uncaught = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().onUncaughtException(uncaught::add).build();
  private final List<String> log = new ArrayList<>();

  private static Promise<String> after(long ms, String v) {
    return Timers.setTimeout(ms, v);
  }

  private static Promise<String> failAfter(long ms, RuntimeException e) {
    return Timers.sleep(ms).then(v -> {
      throw e;
    });
  }

  @Test
  void successesAtTheLimit_raiseItByOne_each_upToTheMax() {
    List<String> changes = new ArrayList<>();
    AdaptiveLimiter limiter = AdaptiveLimiter.builder().initialLimit(2).maxLimit(4)
        .listener((from, to, dropped) -> changes.add(loop.now() + " " + from + "->" + to)).build();
    loop.run(() -> {
      for (int i = 0; i < 8; i++) {
        int n = i;
        limiter.execute(() -> {
          log.add(loop.now() + " start " + n);
          return after(10, "v");
        });
      }
    });
    // 0,1 at 0; both end at 10 with 2 in use: 2->3 then (2 of 3 in use) 3->4; 2,3,4,5 start at 10 ...
    assertEquals(List.of("0 start 0", "0 start 1", "10 start 2", "10 start 3", "10 start 4", "10 start 5",
        "20 start 6", "20 start 7"), log);
    assertEquals(List.of("10 2->3", "10 3->4"), changes);
    assertEquals(4, limiter.limit());
  }

  @Test
  void anUnusedLimit_doesNotGrow() {
    AdaptiveLimiter limiter = AdaptiveLimiter.builder().initialLimit(10).build();
    loop.run(() -> {
      Promise<?> chain = Promise.<Object>resolve((Object) null);
      for (int i = 0; i < 20; i++) {
        chain = chain.thenCompose(v -> limiter.execute(() -> after(1, "one at a time")));
      }
    });
    assertEquals(10, limiter.limit());
  }

  @Test
  void drops_multiplyTheLimitByTheRatio_downToTheMin_andTheErrorPassesThrough() {
    AdaptiveLimiter limiter = AdaptiveLimiter.builder().initialLimit(20).minLimit(5).backoffRatio(0.5).build();
    IllegalStateException overload = new IllegalStateException("503");
    List<Integer> limits = new ArrayList<>();
    loop.run(() -> {
      Promise<?> chain = Promise.<Object>resolve((Object) null);
      for (int i = 0; i < 4; i++) {
        chain = chain.thenCompose(v -> limiter.execute(() -> failAfter(1, overload)).then(x -> x, e -> {
          assertSame(overload, e);
          limits.add(limiter.limit());
          return null;
        }));
      }
    });
    assertEquals(List.of(10, 5, 5, 5), limits);
  }

  @Test
  void slowCalls_countAsDrops_andErrorsNotDroppedOnLeaveTheLimit() {
    AdaptiveLimiter limiter = AdaptiveLimiter.builder().initialLimit(10).slowCall(Duration.ofMillis(100))
        .dropOn(e -> !(e instanceof IllegalArgumentException)).build();
    loop.run(() -> {
      limiter.execute(() -> failAfter(5, new IllegalArgumentException("404"))).catchError(e -> null)
          .thenCompose(v -> {
            log.add("after a 404: " + limiter.limit());
            return limiter.execute(() -> after(150, "slow"));
          }).thenAccept(v -> log.add("after a slow success: " + limiter.limit()));
    });
    assertEquals(List.of("after a 404: 10", "after a slow success: 9"), log);
  }

  @Test
  void withALatencyBound_dropsStillCount_thrownOrRejected_andAFastSuccessDoesNot() {
    AdaptiveLimiter limiter = AdaptiveLimiter.builder().initialLimit(20).backoffRatio(0.5)
        .slowCall(Duration.ofMillis(100)).build();
    loop.run(() -> limiter.execute(() -> {
      throw new IllegalStateException("thrown");
    }).catchError(e -> log.add(e.getMessage() + ": " + limiter.limit()) ? null : null)
        .thenCompose(v -> limiter.execute(() -> failAfter(5, new IllegalStateException("rejected"))))
        .catchError(e -> log.add(e.getMessage() + ": " + limiter.limit()) ? null : null)
        .thenCompose(v -> limiter.execute(() -> after(5, "fast")))
        .thenAccept(v -> log.add(v + ": " + limiter.limit())));
    assertEquals(List.of("thrown: 10", "rejected: 5", "fast: 5"), log);
    assertEquals(0, limiter.inFlight());
  }

  @Test
  void lowerLimit_makesLaterCallsWait_untilEnoughRunningOnesEnded() {
    AdaptiveLimiter limiter = AdaptiveLimiter.builder().initialLimit(4).backoffRatio(0.5).build();
    loop.run(() -> {
      limiter.execute(() -> failAfter(10, new IllegalStateException("x"))).catchError(e -> null);
      for (int i = 1; i <= 3; i++) {
        int n = i;
        limiter.execute(() -> failAfter(50 + n, new IllegalStateException("overloaded"))).catchError(e -> {
          log.add(loop.now() + " long " + n + " failed, limit " + limiter.limit());
          return null;
        });
      }
      limiter.execute(() -> {
        log.add(loop.now() + " waiter starts, limit " + limiter.limit() + ", in flight " + limiter.inFlight());
        return after(1, "w");
      });
    });
    // the failure at 10 halves the limit to 2 while 3 still run, each later failure halves it again (down
    // to 1): the waiter starts only once none of them runs — as the last one's permit is released, one
    // microtask before that call's own rejection reaches its caller
    assertEquals(List.of("51 long 1 failed, limit 1", "52 long 2 failed, limit 1",
        "53 waiter starts, limit 1, in flight 1", "53 long 3 failed, limit 1"), log);
  }

  @Test
  void successesAfterADrop_raiseTheLimitAgain_evenWhileOverIt() {
    AdaptiveLimiter limiter = AdaptiveLimiter.builder().initialLimit(4).backoffRatio(0.5).build();
    loop.run(() -> {
      limiter.execute(() -> failAfter(10, new IllegalStateException("x"))).catchError(e -> null);
      for (int i = 1; i <= 3; i++) {
        limiter.execute(() -> after(50, "ok"));
      }
      limiter.execute(() -> {
        log.add(loop.now() + " waiter starts, limit " + limiter.limit());
        return after(1, "w");
      });
    });
    // 4 -> 2 at 10; the first success at 50 (3 in use) raises it to 3, which admits the waiter
    assertEquals(List.of("50 waiter starts, limit 3"), log);
  }

  @Test
  void tryExecute_shedsLoadAtTheLimit_withAClearError() {
    AdaptiveLimiter limiter = AdaptiveLimiter.builder().name("api").initialLimit(1).build();
    loop.run(() -> {
      limiter.tryExecute(() -> after(10, "a")).thenAccept(v -> log.add("a ran"));
      limiter.tryExecute(() -> after(10, "b")).catchError(e -> {
        log.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        return null;
      });
    });
    assertEquals(List.of(RejectedExecutionException.class.getSimpleName()
        + ": adaptive limiter 'api' is at its limit of 1 concurrent calls", "a ran"), log);
  }

  @Test
  void anAbortedWait_rejectsWithTheReason_andCallsNothing() {
    AdaptiveLimiter limiter = AdaptiveLimiter.builder().initialLimit(1).build();
    AbortController c = new AbortController();
    IllegalStateException reason = new IllegalStateException("gave up");
    loop.run(() -> {
      limiter.execute(() -> after(100, "first"));
      limiter.execute(c.signal(), () -> {
        log.add("called");
        return after(1, "x");
      }).catchError(e -> {
        log.add(loop.now() + (e == reason ? " the reason" : " other"));
        return null;
      });
      loop.setTimeout(() -> c.abort(reason), 20);
    });
    assertEquals(List.of("20 the reason"), log);
    assertEquals(0, limiter.waiting());
  }

  @Test
  void aCallThatThrowsOrReturnsNull_rejects_andFreesItsPermit() {
    AdaptiveLimiter limiter = AdaptiveLimiter.builder().initialLimit(1).build();
    loop.run(() -> {
      limiter.execute(() -> {
        throw new IllegalStateException("sync");
      }).catchError(e -> log.add(e.getMessage()) ? null : null);
      limiter.execute(() -> null).catchError(e -> log.add(e.getMessage()) ? null : null);
      limiter.execute(() -> after(1, "still usable")).thenAccept(log::add);
    });
    assertEquals(List.of("sync", "the call returned null instead of a promise", "still usable"), log);
    assertEquals(0, limiter.inFlight());
  }

  @Test
  void aThrowingListener_isReported_andTheLimitStillChanges() {
    IllegalStateException bug = new IllegalStateException("listener bug");
    AdaptiveLimiter limiter = AdaptiveLimiter.builder().initialLimit(1).listener((f, t, d) -> {
      throw bug;
    }).build();
    loop.run(() -> limiter.execute(() -> after(1, "v")));
    assertEquals(2, limiter.limit());
    assertEquals(List.of(bug), uncaught);
  }

  @Test
  void badInput_isRejectedWithAClearMessage() {
    assertEquals("initialLimit must be at least 1, was 0",
        assertThrows(IllegalArgumentException.class, () -> AdaptiveLimiter.builder().initialLimit(0)).getMessage());
    assertEquals("backoffRatio must be between 0 and 1 (exclusive), was 1.0",
        assertThrows(IllegalArgumentException.class, () -> AdaptiveLimiter.builder().backoffRatio(1)).getMessage());
    assertEquals("minLimit (5) exceeds maxLimit (3)", assertThrows(IllegalStateException.class,
        () -> AdaptiveLimiter.builder().initialLimit(4).minLimit(5).maxLimit(3).build()).getMessage());
    assertEquals("initialLimit (50) lies outside [1, 10]", assertThrows(IllegalStateException.class,
        () -> AdaptiveLimiter.builder().initialLimit(50).maxLimit(10).build()).getMessage());
    assertEquals("slowCall must be at least 1 ms, was PT0S", assertThrows(IllegalArgumentException.class,
        () -> AdaptiveLimiter.builder().slowCall(Duration.ZERO)).getMessage());
    AdaptiveLimiter limiter = AdaptiveLimiter.builder().build();
    loop.run(() -> assertThrows(NullPointerException.class, () -> limiter.execute(null)));
  }

  @Test
  void sharedByLoopsOnSeveralThreads_neverExceedsItsMax_andEndsConsistent_scaledByStress() throws InterruptedException {
    AdaptiveLimiter limiter = AdaptiveLimiter.builder().initialLimit(8).maxLimit(16).backoffRatio(0.75).build();
    int[] worst = {0};
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int seed = t;
      threads[t] = Thread.ofPlatform().start(() -> EventLoop.create().run(() -> {
        for (int i = 0; i < 2_000 * STRESS; i++) {
          int n = i;
          limiter.execute(() -> {
            synchronized (worst) {
              worst[0] = Math.max(worst[0], limiter.inFlight());
            }
            return (n + seed) % 7 == 0 ? Promise.reject(new IllegalStateException("drop")) : Promise.resolve(n);
          }).catchError(e -> null);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(0, limiter.inFlight());
    assertEquals(0, limiter.waiting());
    assertEquals(true, worst[0] <= 16, "in flight at once: " + worst[0]);
    assertEquals(true, limiter.limit() >= 1 && limiter.limit() <= 16, "limit " + limiter.limit());
  }
}
