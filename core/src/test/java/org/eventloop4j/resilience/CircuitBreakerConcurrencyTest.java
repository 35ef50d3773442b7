package org.eventloop4j.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.resilience.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several started loops ({@link EventLoop#start()}, each on its own thread) share one breaker. Hand-offs
 * use latches with generous timeouts; nothing sleeps.
 */
@Timeout(60)
class CircuitBreakerConcurrencyTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  private static final int LOOPS = 4;
  private final List<EventLoop> loops = new ArrayList<>();
  private final ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();

  private List<EventLoop> start(int n) {
    for (int i = 0; i < n; i++) {
      loops.add(EventLoop.builder().name("shared-" + i).onUncaughtException(uncaught::add).build().start());
    }
    return loops;
  }

  @AfterEach
  void closeLoops() {
    loops.forEach(EventLoop::close);
    assertEquals(List.of(), List.copyOf(uncaught));
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertTrue(latch.await(30, TimeUnit.SECONDS), "timed out waiting for the loops");
  }

  /** Runs {@code calls} calls through {@code cb} on {@code loop}, one after the other, then counts down. */
  private static void chain(EventLoop loop, CircuitBreaker cb, int id, int calls, CountDownLatch done) {
    loop.execute(() -> step(cb, id, 0, calls, done));
  }

  private static void step(CircuitBreaker cb, int id, int i, int calls, CountDownLatch done) {
    if (i == calls) {
      done.countDown();
      return;
    }
    boolean fail = (i + id) % 4 == 0;
    Promise<String> p = cb.execute(() -> fail ? Promise.reject(new IllegalStateException()) : Promise.resolve("v"));
    p.then(v -> v, e -> "failed").thenRun(() -> step(cb, id, i + 1, calls, done));
  }

  @Test
  void sharedBreaker_manyLoops_noOutcomeLostOrCountedTwice() throws InterruptedException {
    int calls = Math.min(20_000 * STRESS, CountWindow.MAX_SIZE / LOOPS);
    LongAdder successes = new LongAdder();
    LongAdder failures = new LongAdder();
    CircuitBreaker cb = CircuitBreaker.builder().countWindow(LOOPS * calls).failureRateThreshold(100)
        .listener(new CircuitBreaker.Listener() {
          @Override
          public void onSuccess(long durationMillis) {
            successes.increment();
          }

          @Override
          public void onFailure(long durationMillis, Throwable error) {
            failures.increment();
          }
        }).build();
    CountDownLatch done = new CountDownLatch(LOOPS);
    int id = 0;
    for (EventLoop loop : start(LOOPS)) {
      chain(loop, cb, id++, calls, done);
    }
    await(done);
    int expectedFailures = 0;
    for (int k = 0; k < LOOPS; k++) {
      for (int i = 0; i < calls; i++) {
        expectedFailures += (i + k) % 4 == 0 ? 1 : 0;
      }
    }
    CircuitBreaker.Metrics m = cb.metrics();
    assertEquals(State.CLOSED, m.state());
    assertEquals(LOOPS * calls, m.bufferedCalls());
    assertEquals(expectedFailures, m.failedCalls());
    assertEquals(expectedFailures, failures.sum());
    assertEquals(LOOPS * calls - expectedFailures, successes.sum());
  }

  @Test
  void halfOpen_manyLoopsRaceForTrials_exactlyNAdmittedEachRound() throws InterruptedException {
    int trials = 3;
    int rounds = 200 * STRESS;
    java.util.concurrent.atomic.AtomicReference<CountDownLatch> closed = new java.util.concurrent.atomic.AtomicReference<>();
    CircuitBreaker cb = CircuitBreaker.builder().failureThreshold(1).resetTimeout(Duration.ofHours(1))
        .halfOpenCalls(trials).onStateTransition((from, to) -> {
          if (to == State.CLOSED) {
            closed.get().countDown();
          }
        }).build();
    start(LOOPS);
    for (int round = 0; round < rounds; round++) {
      cb.transitionTo(State.HALF_OPEN);
      ConcurrentLinkedQueue<Resolvers<String>> admitted = new ConcurrentLinkedQueue<>();
      AtomicInteger rejected = new AtomicInteger();
      CountDownLatch tried = new CountDownLatch(LOOPS);
      CountDownLatch go = new CountDownLatch(1);
      for (EventLoop loop : loops) {
        loop.execute(() -> {
          awaitQuietly(go);
          for (int i = 0; i < 5; i++) {
            cb.execute(() -> {
              Resolvers<String> r = Promise.withResolvers();
              admitted.add(r);
              return r.promise();
            }).catchError(e -> {
              rejected.incrementAndGet();
              return null;
            });
          }
          tried.countDown();
        });
      }
      go.countDown();
      await(tried);
      assertEquals(trials, admitted.size(), "round " + round);
      assertEquals(State.HALF_OPEN, cb.state());
      closed.set(new CountDownLatch(1));
      for (Resolvers<String> r : admitted) {
        r.resolve("ok");
      }
      await(closed.get());
      assertEquals(State.CLOSED, cb.state());
    }
  }

  @Test
  void realClockStress_permitsPerHalfOpenPeriodNeverExceedN() throws InterruptedException {
    int trials = 2;
    int periods = 50 * STRESS;
    CircuitBreaker cb = CircuitBreaker.builder().failureThreshold(3).resetTimeout(Duration.ofMillis(1))
        .halfOpenCalls(trials).maxWaitInHalfOpen(Duration.ofMillis(2)).build();
    Map<CircuitBreaker.Permit, AtomicInteger> perPeriod = new ConcurrentHashMap<>();
    AtomicInteger maxSeen = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(LOOPS);
    int id = 0;
    for (EventLoop loop : start(LOOPS)) {
      java.util.Random r = new java.util.Random(id++);
      loop.execute(() -> permits(cb, r, periods, perPeriod, maxSeen, done));
    }
    await(done);
    assertTrue(perPeriod.size() >= periods, "the run went through HALF_OPEN " + periods + " times");
    assertTrue(maxSeen.get() <= trials, "at most " + trials + " trials per HALF_OPEN period, saw " + maxSeen.get());
  }

  /**
   * Acquires 1000 permits, reporting random outcomes (half of them late, from an immediate), then goes on
   * in the next check phase until {@code periods} HALF_OPEN periods have been seen.
   */
  private static void permits(CircuitBreaker cb, java.util.Random r, int periods,
      Map<CircuitBreaker.Permit, AtomicInteger> perPeriod, AtomicInteger maxSeen, CountDownLatch done) {
    EventLoop loop = EventLoop.current();
    for (int i = 0; i < 1000; i++) {
      CircuitBreaker.Permit p = cb.tryAcquire();
      if (p == null) {
        continue;
      }
      if (p.state() == State.HALF_OPEN) {
        int admitted = perPeriod.computeIfAbsent(p, k -> new AtomicInteger()).incrementAndGet();
        maxSeen.accumulateAndGet(admitted, Math::max);
      }
      boolean fail = r.nextInt(3) == 0;
      Runnable report = () -> {
        if (fail) {
          p.onError(0, new IllegalStateException());
        } else {
          p.onSuccess(0);
        }
      };
      if (r.nextBoolean()) {
        report.run();
      } else {
        loop.setImmediate(report);
      }
    }
    if (perPeriod.size() >= periods) {
      loop.setImmediate(done::countDown);
    } else {
      loop.setImmediate(() -> permits(cb, r, periods, perPeriod, maxSeen, done));
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
