package org.eventloop4j.bench.stream;

import io.reactivex.rxjava3.core.Flowable;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncStream;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code mapAsync} with concurrency 16 over already-resolved promises, per item: ordered and unordered.
 * Peers: Reactor {@code flatMapSequential}/{@code flatMap(…, 16)} and RxJava {@code concatMapEager}/{@code
 * flatMap(…, 16)} over already-completed {@code Mono.just}/{@code Flowable.just} (scalar sources, which both
 * libraries special-case).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(StreamMapAsync.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StreamMapAsync {
  static final int N = 500_000;
  private static final int CONCURRENCY = 16;

  @Param("500000")
  public int n;

  private long check(long sum) {
    if (sum != (long) n * (n - 1)) {
      throw new IllegalStateException("bad sum " + sum);
    }
    return sum;
  }

  @Benchmark
  public long ordered_eventloop4j() {
    long[] sum = {0};
    EventLoop.create().run(() -> AsyncStream.range(0, n).mapAsync(x -> Promise.resolve(x * 2), CONCURRENCY)
        .forEach(v -> sum[0] += v));
    return check(sum[0]);
  }

  @Benchmark
  public long unordered_eventloop4j() {
    long[] sum = {0};
    EventLoop.create().run(() -> AsyncStream.range(0, n).mapAsyncUnordered(x -> Promise.resolve(x * 2), CONCURRENCY)
        .forEach(v -> sum[0] += v));
    return check(sum[0]);
  }

  @Benchmark
  public long ordered_reactorFlatMapSequential() {
    long[] sum = {0};
    Flux.range(0, n).flatMapSequential(x -> Mono.just(x * 2), CONCURRENCY).subscribe(v -> sum[0] += v);
    return check(sum[0]);
  }

  @Benchmark
  public long unordered_reactorFlatMap() {
    long[] sum = {0};
    Flux.range(0, n).flatMap(x -> Mono.just(x * 2), CONCURRENCY).subscribe(v -> sum[0] += v);
    return check(sum[0]);
  }

  @Benchmark
  public long ordered_rxJavaConcatMapEager() {
    long[] sum = {0};
    Flowable.range(0, n).concatMapEager(x -> Flowable.just(x * 2), CONCURRENCY, CONCURRENCY).subscribe(v -> sum[0] += v);
    return check(sum[0]);
  }

  @Benchmark
  public long unordered_rxJavaFlatMap() {
    long[] sum = {0};
    Flowable.range(0, n).flatMap(x -> Flowable.just(x * 2), CONCURRENCY).subscribe(v -> sum[0] += v);
    return check(sum[0]);
  }
}
