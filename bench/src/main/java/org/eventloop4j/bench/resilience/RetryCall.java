package org.eventloop4j.bench.resilience;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eventloop4j.Promise;
import org.eventloop4j.resilience.Retry;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-call cost of a retry around a call that succeeds at once — what every call through a retry
 * pays — next to the bare call.
 *
 * <ul>
 *   <li>{@code bare_eventloop4j} / {@code success_eventloop4j}: {@value #N} calls chained on one loop, each
 *       started from the previous one's reaction: {@code op().then(next)} against {@code
 *       retry.execute(op).then(next)}, {@code op = () -> Promise.resolve(1)}, the retry of 3 attempts.
 *   <li>{@code bare_completableFuture} / {@code success_resilience4j}: a supplier of {@code
 *       completedFuture(1)}, bare and through {@code Retry.decorateCompletionStage} of Resilience4j 2.4
 *       (defaults: 3 attempts, 500 ms), joined each time.
 *   <li>{@code success_failsafeStage}: Failsafe 3.3's {@code getStageAsync} with a default {@code
 *       RetryPolicy} on a same-thread scheduler (no thread hop measured); {@code success_failsafe} its
 *       synchronous {@code get}, next to {@code bare_sync}.
 * </ul>
 * Overhead = retry row − the matching bare row.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(RetryCall.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Xmn1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RetryCall {
  static final int N = 100_000;
  private static final Supplier<Promise<Integer>> OP = () -> Promise.resolve(1);
  private static final Supplier<CompletionStage<Integer>> STAGE = () -> CompletableFuture.completedFuture(1);

  @Param("100000")
  public int n;

  public int one = 1;
  private Retry retry;
  private ScheduledExecutorService scheduler;
  private Supplier<CompletionStage<Integer>> resilience4j;
  private FailsafeExecutor<Integer> failsafe;
  private FailsafeExecutor<Integer> failsafeStage;

  @Setup
  public void setUp() {
    retry = Retry.builder().maxAttempts(3).build();
    scheduler = Executors.newSingleThreadScheduledExecutor();
    resilience4j = io.github.resilience4j.retry.Retry.decorateCompletionStage(
        io.github.resilience4j.retry.Retry.ofDefaults("bench"), scheduler, STAGE);
    failsafe = Failsafe.with(RetryPolicy.<Integer>ofDefaults());
    failsafeStage = Failsafe.with(RetryPolicy.<Integer>ofDefaults()).with(CallChain.SAME_THREAD);
  }

  @TearDown
  public void tearDown() {
    scheduler.shutdownNow();
  }

  // ---- eventloop4j: calls chained on one loop ----

  @Benchmark
  public long bare_eventloop4j() {
    return chain(null);
  }

  @Benchmark
  public long success_eventloop4j() {
    return chain(retry);
  }

  private long chain(Retry retry) {
    return check(CallChain.run(retry == null ? OP : () -> retry.execute(OP), n));
  }

  // ---- CompletionStage peers ----

  @Benchmark
  public long bare_completableFuture() {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += STAGE.get().toCompletableFuture().join();
    }
    return check(sum);
  }

  @Benchmark
  public long success_resilience4j() {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += resilience4j.get().toCompletableFuture().join();
    }
    return check(sum);
  }

  @Benchmark
  public long success_failsafeStage() {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += failsafeStage.getStageAsync(() -> CompletableFuture.completedFuture(1)).join();
    }
    return check(sum);
  }

  // ---- synchronous peers ----

  @Benchmark
  public long bare_sync() {
    long sum = 0;
    Supplier<Integer> call = () -> one;
    for (int i = 0; i < n; i++) {
      sum += call.get();
    }
    return check(sum);
  }

  @Benchmark
  public long success_failsafe() {
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
