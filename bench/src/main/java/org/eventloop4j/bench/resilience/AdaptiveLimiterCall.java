package org.eventloop4j.bench.resilience;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eventloop4j.Promise;
import org.eventloop4j.resilience.AdaptiveLimiter;
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
 * The per-call cost of an adaptive concurrency limit (AIMD, limit 20) around a call that succeeds at
 * once — what every call through it pays when it is not at its limit — next to the bare call.
 *
 * <ul>
 *   <li>{@code bare_eventloop4j} / {@code execute_eventloop4j} / {@code tryExecute_eventloop4j}: {@value #N}
 *       calls chained on one loop, each started from the previous one's reaction: {@code op().then(next)}
 *       against {@code limiter.execute(op).then(next)} (a permit promise, then the call from its reaction,
 *       as {@code Semaphore.execute} does) and {@code limiter.tryExecute(op)} (the call at once), {@code op
 *       = () -> Promise.resolve(1)}; the limiter made on the loop.
 *   <li>{@code tryExecute_netflix}: Netflix concurrency-limits 0.5.3, {@code SimpleLimiter} over {@code
 *       AIMDLimit} (limit 20): {@code acquire} (empty at the limit, so a try), the call, {@code
 *       onSuccess()} (which reads the clock to time the call), next to {@code bare_sync}, the plain call.
 * </ul>
 * Overhead = limiter row − the matching bare row.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(AdaptiveLimiterCall.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Xmn1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AdaptiveLimiterCall {
  static final int N = 100_000;
  private static final int LIMIT = 20;
  private static final Supplier<Promise<Integer>> OP = () -> Promise.resolve(1);

  @Param("100000")
  public int n;

  public int one = 1;

  @Benchmark
  public long bare_eventloop4j() {
    return check(CallChain.run(OP, n));
  }

  @Benchmark
  public long execute_eventloop4j() {
    return chain(l -> l.execute(OP));
  }

  @Benchmark
  public long tryExecute_eventloop4j() {
    return chain(l -> l.tryExecute(OP));
  }

  private long chain(Function<AdaptiveLimiter, Promise<Integer>> via) {
    return check(CallChain.runMadeOnLoop(() -> {
      AdaptiveLimiter limiter = AdaptiveLimiter.builder().initialLimit(LIMIT).build();
      return () -> via.apply(limiter);
    }, n));
  }

  @Benchmark
  public long tryExecute_netflix() {
    SimpleLimiter<Void> limiter =
        SimpleLimiter.newBuilder().limit(AIMDLimit.newBuilder().initialLimit(LIMIT).build()).build();
    long sum = 0;
    for (int i = 0; i < n; i++) {
      Optional<Limiter.Listener> listener = limiter.acquire(null);
      if (listener.isPresent()) {
        sum += one;
        listener.get().onSuccess();
      }
    }
    return check(sum);
  }

  @Benchmark
  public long bare_sync() {
    long sum = 0;
    Supplier<Integer> call = () -> one;
    for (int i = 0; i < n; i++) {
      sum += call.get();
    }
    return check(sum);
  }

  private long check(long sum) {
    if (sum != n) {
      throw new IllegalStateException("expected " + n + " calls, got " + sum);
    }
    return sum;
  }
}
