package org.eventloop4j.bench.resilience;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eventloop4j.Promise;
import org.eventloop4j.resilience.CircuitBreaker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-call cost of a CLOSED circuit breaker around a call that returns an already-completed result,
 * next to the bare call (Node: {@code shared/bench-node/circuit_breaker.js}, a minimal breaker with a
 * count window of 100 at 50 %, measured 75 ns over the bare awaited call).
 *
 * <ul>
 *   <li>{@code bareCall_eventloop4j} / {@code breakerCall_eventloop4j*}: {@value #N} calls chained on one
 *       loop, each started from the previous one's reaction: {@code op().then(next)} against
 *       {@code cb.execute(op).then(next)}, where {@code op = () -> Promise.resolve(1)} — the shape of
 *       Node's {@code await breaker.call(op)} loop. {@code Consecutive} is the seed's default rule (5
 *       failures in a row); {@code Window} a count window of 100 at 50 %, like Node's and Resilience4j's.
 *   <li>{@code bareCall_completableFuture} / {@code breakerCall_resilience4j}: a supplier of
 *       {@code completedFuture(1)}, bare and through {@code CircuitBreaker.decorateCompletionStage} of
 *       Resilience4j 2.4 with its defaults (count window 100, 50 %), joined each time.
 *   <li>{@code bareCall_sync} / {@code breakerCall_failsafe}: Failsafe 3.3's {@code get(supplier)} with a
 *       count-based breaker (50 failures of 100), and {@code breakerCall_failsafeStage} its
 *       {@code getStageAsync} on a same-thread scheduler (so no thread hop is measured).
 * </ul>
 * Overhead = breaker row − the matching bare row.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(CircuitBreakerCall.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Xmn1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CircuitBreakerCall {
  static final int N = 100_000;
  private static final Supplier<Promise<Integer>> OP = () -> Promise.resolve(1);
  private static final Supplier<CompletionStage<Integer>> STAGE = () -> CompletableFuture.completedFuture(1);

  @Param("100000")
  public int n;

  public int one = 1;
  private CircuitBreaker consecutive;
  private CircuitBreaker window;
  private Supplier<CompletionStage<Integer>> resilience4j;
  private FailsafeExecutor<Integer> failsafe;
  private FailsafeExecutor<Integer> failsafeStage;

  @Setup
  public void setUp() {
    consecutive = CircuitBreaker.builder().failureThreshold(5).build();
    window = CircuitBreaker.builder().countWindow(100).failureRateThreshold(50).build();
    resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateCompletionStage(
        io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("bench"), STAGE);
    failsafe = Failsafe.with(dev.failsafe.CircuitBreaker.<Integer>builder().withFailureThreshold(50, 100).build());
    failsafeStage = Failsafe.with(dev.failsafe.CircuitBreaker.<Integer>builder().withFailureThreshold(50, 100).build())
        .with(CallChain.SAME_THREAD);
  }

  // ---- eventloop4j: calls chained on one loop ----

  @Benchmark
  public long bareCall_eventloop4j() {
    return chain(null);
  }

  @Benchmark
  public long breakerCall_eventloop4j() {
    return chain(consecutive);
  }

  @Benchmark
  public long breakerCall_eventloop4jCountWindow() {
    return chain(window);
  }

  private long chain(CircuitBreaker cb) {
    return check(CallChain.run(cb == null ? OP : () -> cb.execute(OP), n));
  }

  // ---- CompletionStage peers ----

  @Benchmark
  public long bareCall_completableFuture() {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += STAGE.get().toCompletableFuture().join();
    }
    return check(sum);
  }

  @Benchmark
  public long breakerCall_resilience4j() {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += resilience4j.get().toCompletableFuture().join();
    }
    return check(sum);
  }

  @Benchmark
  public long breakerCall_failsafeStage() {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += failsafeStage.getStageAsync(() -> CompletableFuture.completedFuture(1)).join();
    }
    return check(sum);
  }

  // ---- synchronous peers ----

  @Benchmark
  public long bareCall_sync() {
    long sum = 0;
    Supplier<Integer> call = () -> one;
    for (int i = 0; i < n; i++) {
      sum += call.get();
    }
    return check(sum);
  }

  @Benchmark
  public long breakerCall_failsafe() {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += failsafe.get(() -> one);
    }
    return check(sum);
  }

  private long check(long sum) {
    if (sum != n) {
      throw new IllegalStateException("expected " + n + " results of 1, got a sum of " + sum);
    }
    return sum;
  }
}
