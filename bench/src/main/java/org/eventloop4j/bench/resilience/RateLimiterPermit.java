package org.eventloop4j.bench.resilience;

import dev.failsafe.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One permit of a rate limiter whose budget is never exhausted (2<sup>30</sup> per hour, a new limiter per
 * invocation of {@value #N} calls): the price of the check itself. Ours on a loop, where the limiter reads
 * the phase's cached clock: {@code tryAcquire} (a boolean) and {@code acquire} (its promise, already
 * fulfilled: the home loop's cached one). Peers on the benchmark thread, each reading its clock per call:
 * Resilience4j's {@code AtomicRateLimiter.acquirePermission()} (fixed windows, a CAS loop) and Failsafe's
 * bursty {@code RateLimiter.tryAcquirePermit()} (synchronized).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(RateLimiterPermit.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RateLimiterPermit {
  static final int N = 1_000_000;
  private static final int BUDGET = 1 << 30;
  private static final Duration HOUR = Duration.ofHours(1);

  @Param("1000000")
  public int n;

  @Benchmark
  public int tryAcquire_eventloop4j() {
    int[] done = {0};
    EventLoop.create().run(() -> {
      org.eventloop4j.resilience.RateLimiter limiter = org.eventloop4j.resilience.RateLimiter.fixedWindow(BUDGET, HOUR);
      for (int i = 0; i < n; i++) {
        if (limiter.tryAcquire()) {
          done[0]++;
        }
      }
    });
    return check(done[0]);
  }

  @Benchmark
  public int acquire_eventloop4j() {
    int[] done = {0};
    EventLoop.create().run(() -> {
      org.eventloop4j.resilience.RateLimiter limiter = org.eventloop4j.resilience.RateLimiter.fixedWindow(BUDGET, HOUR);
      for (int i = 0; i < n; i++) {
        if (limiter.acquire().state() == Promise.State.FULFILLED) {
          done[0]++;
        }
      }
    });
    return check(done[0]);
  }

  @Benchmark
  public int tryAcquire_resilience4j() {
    io.github.resilience4j.ratelimiter.RateLimiter limiter = io.github.resilience4j.ratelimiter.RateLimiter.of("bench",
        RateLimiterConfig.custom().limitForPeriod(BUDGET).limitRefreshPeriod(HOUR).timeoutDuration(Duration.ZERO).build());
    int done = 0;
    for (int i = 0; i < n; i++) {
      if (limiter.acquirePermission()) {
        done++;
      }
    }
    return check(done);
  }

  @Benchmark
  public int tryAcquire_failsafe() {
    RateLimiter<Object> limiter = RateLimiter.burstyBuilder(BUDGET, HOUR).build();
    int done = 0;
    for (int i = 0; i < n; i++) {
      if (limiter.tryAcquirePermit()) {
        done++;
      }
    }
    return check(done);
  }

  private int check(int done) {
    if (done != n) {
      throw new IllegalStateException("expected " + n + " permits, got " + done);
    }
    return done;
  }
}
