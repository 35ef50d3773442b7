package org.eventloop4j.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Retry on virtual time: exact schedules of attempts, what is retried, budgets, abort, listeners, bad input. */
class RetryTest {
  private final List<Throwable> uncaught = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().onUncaughtException(uncaught::add).build();
  private final List<String> log = new ArrayList<>();

  private static Duration ms(long ms) {
    return Duration.ofMillis(ms);
  }

  private void track(Promise<?> p) {
    p.then(v -> log.add(loop.now() + " ok " + v), e -> log.add(loop.now() + " " + e.getMessage()));
  }

  /** A call that logs each attempt and fails with "fail N" for its first {@code failures} attempts. */
  private Supplier<Promise<String>> failing(int failures) {
    int[] n = {0};
    return () -> {
      int i = ++n[0];
      log.add(loop.now() + " attempt " + i);
      return i <= failures ? Promise.reject(new IllegalStateException("fail " + i)) : Promise.resolve("v" + i);
    };
  }

  @Test
  void fixedDelay_retriesUntilTheCallSucceeds() {
    loop.run(() -> track(Retry.of(3, ms(100)).execute(failing(2))));
    assertEquals(List.of("0 attempt 1", "100 attempt 2", "200 attempt 3", "200 ok v3"), log);
  }

  @Test
  void outOfAttempts_rejectsWithTheLastErrorItself() {
    IllegalStateException[] last = new IllegalStateException[1];
    int[] n = {0};
    loop.run(() -> Retry.of(3, ms(10)).execute(() -> Promise.reject(last[0] = new IllegalStateException("#" + ++n[0])))
        .then(v -> log.add("fulfilled"), e -> log.add(loop.now() + " " + (e == last[0]) + " " + e.getMessage())));
    assertEquals(List.of("20 true #3"), log);
  }

  @Test
  void exponentialBackoff_growsUpToItsMax() {
    Retry retry = Retry.builder().maxAttempts(6).exponentialBackoff(ms(100), 2, ms(500)).build();
    loop.run(() -> track(retry.execute(failing(5))));
    assertEquals(List.of("0 attempt 1", "100 attempt 2", "300 attempt 3", "700 attempt 4", "1200 attempt 5",
        "1700 attempt 6", "1700 ok v6"), log);
  }

  @Test
  void backoffFunction_seesTheAttemptThatFailed() {
    Retry retry = Retry.builder().maxAttempts(4).backoff(n -> ms(n * 10L)).build();
    loop.run(() -> track(retry.execute(failing(3))));
    assertEquals(List.of("0 attempt 1", "10 attempt 2", "30 attempt 3", "60 attempt 4", "60 ok v4"), log);
  }

  @Test
  void jitter_spreadsEachDelayWithinItsBounds_reproduciblyWithASeed() {
    List<Long> delays = new ArrayList<>();
    Retry.Listener listener = new Retry.Listener() {
      @Override
      public void onRetry(int attempt, @Nullable Throwable error, long delayMillis) {
        delays.add(delayMillis);
      }
    };
    Retry retry = Retry.builder().maxAttempts(200).delay(ms(1000)).jitter(0.25).random(new Random(7))
        .listener(listener).build();
    loop.run(() -> retry.execute(() -> Promise.reject(new IllegalStateException("x"))).catchError(e -> null));
    assertEquals(199, delays.size());
    assertTrue(delays.stream().allMatch(d -> d >= 750 && d <= 1250), delays::toString);
    assertTrue(delays.stream().distinct().count() > 100, "spread, not constant: " + delays);
    assertEquals(delays.stream().mapToLong(Long::longValue).sum(), loop.now());
  }

  @Test
  void zeroDelay_retriesInTheSameMillisecond_withoutDeepeningTheStack() {
    int[] n = {0};
    int[] depth = {0};
    Retry retry = Retry.builder().maxAttempts(10_000).delay(Duration.ZERO).build();
    loop.run(() -> track(retry.execute(() -> {
      depth[0] = Math.max(depth[0], Thread.currentThread().getStackTrace().length);
      if (++n[0] < 10_000) {
        throw new IllegalStateException("sync throw"); // a call that throws is a failed attempt
      }
      return Promise.resolve(n[0]);
    })));
    assertEquals(List.of("0 ok 10000"), log);
    assertTrue(depth[0] < 200, "stack depth " + depth[0]);
  }

  @Test
  void retryOn_decidesWhichErrorsAreRetried_othersRejectAtOnce() {
    Retry retry = Retry.builder().delay(ms(10)).retryOn(e -> e instanceof UncheckedIOException).build();
    int[] n = {0};
    loop.run(() -> track(retry.execute(() -> {
      log.add(loop.now() + " attempt " + ++n[0]);
      return Promise.reject(n[0] == 1 ? new UncheckedIOException(new IOException("io")) : new IllegalStateException("bug"));
    })));
    assertEquals(List.of("0 attempt 1", "10 attempt 2", "10 bug"), log);
  }

  @Test
  void retryOnResult_retriesBadResults_andFulfilsWithTheLastWhenOutOfAttempts() {
    Retry retry = Retry.builder().maxAttempts(3).delay(ms(5)).retryOnResult(v -> v instanceof Integer i && i >= 500)
        .build();
    int[] statuses = {503, 502, 200};
    int[] n = {0};
    loop.run(() -> {
      track(retry.execute(() -> Promise.resolve(statuses[n[0]++])));
      loop.setTimeout(() -> track(retry.execute(() -> Promise.resolve(503))), 100);
    });
    assertEquals(List.of("10 ok 200", "110 ok 503"), log);
    assertEquals(new Retry.Metrics(0, 1, 0, 1, 4), retry.metrics());
  }

  @Test
  void maxDuration_makesNoAttemptThatWouldStartAfterTheBudget() {
    Retry retry = Retry.builder().maxAttempts(100).delay(ms(100)).maxDuration(ms(250)).build();
    loop.run(() -> track(retry.execute(failing(99))));
    assertEquals(List.of("0 attempt 1", "100 attempt 2", "200 attempt 3", "200 fail 3"), log);
  }

  @Test
  void openCircuitBreaker_isRetriedAfterItsRetryAfter_notBefore() {
    CircuitBreaker breaker = CircuitBreaker.builder().name("api").failureThreshold(1).resetTimeout(ms(1000)).build();
    Retry retry = Retry.builder().maxAttempts(4).delay(ms(10)).build();
    int[] n = {0};
    loop.run(() -> track(retry.execute(() -> breaker.execute(() -> {
      log.add(loop.now() + " call " + ++n[0]);
      return n[0] == 1 ? Promise.reject(new IllegalStateException("down")) : Promise.resolve("up");
    }))));
    // call 1 fails and opens the breaker; attempt 2 (at 10) is refused with retryAfter 990, so attempt 3
    // waits for the trial call at 1000 instead of spending the attempts on refusals.
    assertEquals(List.of("0 call 1", "1000 call 2", "1000 ok up"), log);
  }

  @Test
  void abortDuringADelay_rejectsAtOnce_andMakesNoFurtherAttempt() {
    AbortController c = new AbortController();
    IllegalStateException reason = new IllegalStateException("stop");
    Supplier<Promise<String>> call = failing(10);
    loop.run(() -> {
      Retry.of(5, ms(100)).execute(c.signal(), s -> call.get())
          .then(v -> log.add("fulfilled"), e -> log.add(loop.now() + " " + (e == reason ? "the reason" : e)));
      loop.setTimeout(() -> c.abort(reason), 150);
    });
    assertEquals(List.of("0 attempt 1", "100 attempt 2", "150 the reason"), log);
    assertEquals(150, loop.now()); // the cleared delay does not keep the loop alive
  }

  @Test
  void abortDuringAnAttempt_rejectsAtOnce_theAttemptSeesTheSignal_andItsOutcomeIsDropped() {
    AbortController c = new AbortController();
    loop.run(() -> {
      track(Retry.of(5, ms(100)).execute(c.signal(), s -> {
        s.addListener(() -> log.add(loop.now() + " attempt told to stop"));
        return Timers.sleep(300).then(v -> "late");
      }));
      loop.setTimeout(() -> c.abort(new IllegalStateException("stop")), 50);
    });
    assertEquals(List.of("50 attempt told to stop", "50 stop"), log);
  }

  @Test
  void alreadyAborted_rejectsWithoutCalling() {
    IllegalStateException reason = new IllegalStateException("before");
    loop.run(() -> Retry.of(3, ms(1)).execute(org.eventloop4j.AbortSignal.abort(reason), s -> {
      log.add("called");
      return Promise.resolve(1);
    }).then(v -> log.add("fulfilled"), e -> log.add(e == reason ? "the reason" : "other")));
    assertEquals(List.of("the reason"), log);
  }

  @Test
  void listener_seesEveryRetryAndTheOutcome_andMetricsCountExecutions() {
    List<String> events = new ArrayList<>();
    Retry retry = Retry.builder().maxAttempts(3).delay(ms(10)).listener(new Retry.Listener() {
      @Override
      public void onRetry(int attempt, @Nullable Throwable error, long delayMillis) {
        events.add("retry after " + attempt + " (" + error.getMessage() + ") in " + delayMillis);
      }

      @Override
      public void onSuccess(int attempts) {
        events.add("success after " + attempts);
      }

      @Override
      public void onFailure(int attempts, @Nullable Throwable error) {
        events.add("failure after " + attempts + " (" + error.getMessage() + ")");
      }
    }).build();
    loop.run(() -> {
      retry.execute(failing(0));
      retry.execute(failing(1));
      retry.execute(failing(5)).catchError(e -> null);
    });
    assertEquals(List.of("success after 1", "retry after 1 (fail 1) in 10", "retry after 1 (fail 1) in 10",
        "success after 2", "retry after 2 (fail 2) in 10", "failure after 3 (fail 3)"), events);
    assertEquals(new Retry.Metrics(1, 1, 0, 1, 3), retry.metrics());
  }

  @Test
  void aThrowingListener_reachesTheUncaughtHandler_andDoesNotChangeTheOutcome() {
    IllegalStateException bug = new IllegalStateException("listener bug");
    Retry retry = Retry.builder().delay(ms(1)).listener(new Retry.Listener() {
      @Override
      public void onRetry(int attempt, @Nullable Throwable error, long delayMillis) {
        throw bug;
      }
    }).build();
    loop.run(() -> track(retry.execute(failing(1))));
    assertEquals(List.of("0 attempt 1", "1 attempt 2", "1 ok v2"), log);
    assertEquals(List.of(bug), uncaught);
  }

  @Test
  void aThrowingPredicate_rejectsWithItsError_carryingTheAttemptsError() {
    IllegalArgumentException bug = new IllegalArgumentException("predicate bug");
    Retry retry = Retry.builder().retryOn(e -> {
      throw bug;
    }).build();
    Throwable[] seen = new Throwable[1];
    loop.run(() -> retry.execute(failing(1)).catchError(e -> {
      seen[0] = e;
      return null;
    }));
    assertSame(bug, seen[0]);
    assertEquals("fail 1", bug.getSuppressed()[0].getMessage());
  }

  @Test
  void aCallReturningNull_rejectsAtOnce_withoutRetrying() {
    int[] n = {0};
    loop.run(() -> track(Retry.of(3, ms(1)).execute(() -> {
      n[0]++;
      return null;
    })));
    assertEquals(List.of("0 the call returned null instead of a promise"), log);
    assertEquals(1, n[0]);
  }

  @Test
  void badInput_isRejectedWithAClearMessage() {
    assertEquals("maxAttempts must be at least 1, was 0",
        assertThrows(IllegalArgumentException.class, () -> Retry.builder().maxAttempts(0)).getMessage());
    assertEquals("delay must not be negative, was PT-0.001S",
        assertThrows(IllegalArgumentException.class, () -> Retry.builder().delay(ms(-1))).getMessage());
    assertEquals("jitter must be between 0 and 1, was 1.5",
        assertThrows(IllegalArgumentException.class, () -> Retry.builder().jitter(1.5)).getMessage());
    assertEquals("exponentialBackoff multiplier must be at least 1, was 0.5", assertThrows(
        IllegalArgumentException.class, () -> Retry.builder().exponentialBackoff(ms(1), 0.5, ms(2))).getMessage());
    assertEquals("exponentialBackoff max (1 ms) is below initial (2 ms)", assertThrows(
        IllegalArgumentException.class, () -> Retry.builder().exponentialBackoff(ms(2), 2, ms(1))).getMessage());
    assertThrows(NullPointerException.class, () -> Retry.builder().retryOn(null));
    Retry retry = Retry.of(2, ms(1));
    assertThrows(IllegalStateException.class, () -> retry.execute(failing(0))); // off a loop thread
    loop.run(() -> {
      assertThrows(NullPointerException.class, () -> retry.execute(null));
      assertThrows(NullPointerException.class, () -> retry.execute(null, s -> Promise.resolve(1)));
    });
  }

  @Test
  void aBackoffFunctionThatFails_rejectsTheExecution() {
    Retry retry = Retry.builder().backoff(n -> ms(-5)).build();
    loop.run(() -> track(retry.execute(failing(1))));
    assertEquals(List.of("0 attempt 1", "0 the backoff function returned a negative delay for 1: -5 ms"), log);
  }

  @Test
  void oneRetryShared_byLoopsOnSeveralThreads_countsEveryExecution() throws InterruptedException {
    Retry retry = Retry.of(3, ms(10));
    int perLoop = 2_000;
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = Thread.ofPlatform().start(() -> EventLoop.builder().virtualTime().build().run(() -> {
        for (int i = 0; i < perLoop; i++) {
          int[] n = {0};
          retry.execute(() -> ++n[0] == 1 ? Promise.reject(new IllegalStateException("once")) : Promise.resolve(1));
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long all = (long) perLoop * threads.length;
    assertEquals(new Retry.Metrics(0, all, 0, 0, all), retry.metrics());
  }

  @Test
  void aFirstAttemptAlreadyFulfilledHere_isTheOutcomeItself_andCounts() {
    Retry retry = Retry.of(3, ms(1));
    loop.run(() -> {
      Promise<String> done = Promise.resolve("at once");
      assertSame(done, retry.execute(() -> done));
      Promise<String> pending = Timers.setTimeout(5, "later");
      Promise<String> out = retry.execute(() -> pending);
      assertTrue(out != pending);
      track(out);
    });
    assertEquals(List.of("5 ok later"), log);
    assertEquals(new Retry.Metrics(2, 0, 0, 0, 0), retry.metrics());
  }

  @Test
  void aFulfilledPromiseOfAnotherLoop_isWaitedFor_onTheCallersLoop() throws InterruptedException {
    EventLoop other = EventLoop.create();
    Promise<?>[] foreign = new Promise<?>[1];
    EventLoop.KeepAlive[] running = new EventLoop.KeepAlive[1];
    CountDownLatch made = new CountDownLatch(1);
    Thread t = Thread.ofPlatform().start(() -> other.run(() -> {
      running[0] = other.keepAlive(); // the other loop runs on until the test is done
      foreign[0] = Promise.resolve("there");
      made.countDown();
    }));
    made.await();
    try {
      loop.run(() -> {
        @SuppressWarnings("unchecked")
        Promise<Object> p = (Promise<Object>) foreign[0];
        Promise<Object> out = Retry.of(2, ms(1)).execute(() -> p);
        assertTrue(out != p); // its state can only be read on its own loop: reacted to, not passed on
        track(out);
      });
    } finally {
      running[0].close();
      t.join();
    }
    assertEquals(List.of("0 ok there"), log);
  }

  @Test
  void aFirstAttemptThatAbortsItsOwnSignal_rejectsWithTheReason() {
    AbortController c = new AbortController();
    IllegalStateException reason = new IllegalStateException("self abort");
    loop.run(() -> Retry.of(3, ms(1)).execute(c.signal(), s -> {
      log.add("attempt");
      c.abort(reason);
      return Promise.reject(new IllegalStateException("failed"));
    }).then(v -> log.add("fulfilled"), e -> log.add(e == reason ? "the reason" : "other: " + e)));
    assertEquals(List.of("attempt", "the reason"), log);
  }
}
