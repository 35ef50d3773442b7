package org.eventloop4j.bench.stream;

import io.reactivex.rxjava3.core.Flowable;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
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

/**
 * {@code for await} over a stream of 10⁶ items, per item (Node: {@code for await} over an async generator,
 * node/async_generator.js, 163 ns). eventloop4j: over {@code AsyncStream.range} (each {@code next()}
 * answers a settled promise, so the await takes its fast path) and over an async-iterator source. Peers'
 * nearest pull-style consumers: Reactor {@code toIterable()} and RxJava {@code blockingIterable()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(StreamForAwait.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StreamForAwait {
  static final int N = 1_000_000;

  @Param("1000000")
  public int n;

  private long check(long sum) {
    if (sum != (long) n * (n - 1) / 2) {
      throw new IllegalStateException("bad sum " + sum);
    }
    return sum;
  }

  @Benchmark
  public long eventloop4j() {
    long[] sum = {0};
    EventLoop.create().run(() -> Async.async(() -> {
      for (int v : Async.forAwait(AsyncStream.range(0, n))) {
        sum[0] += v;
      }
      return null;
    }));
    return check(sum[0]);
  }

  @Benchmark
  public long ourAsyncIteratorSource() {
    long[] sum = {0};
    EventLoop.create().run(() -> Async.async(() -> {
      for (int v : Async.forAwait(AsyncStream.from(StreamWorkloads.asyncRange(n)))) {
        sum[0] += v;
      }
      return null;
    }));
    return check(sum[0]);
  }

  @Benchmark
  public long reactorToIterable() {
    long sum = 0;
    for (int v : Flux.range(0, n).toIterable()) {
      sum += v;
    }
    return check(sum);
  }

  @Benchmark
  public long rxJavaBlockingIterable() {
    long sum = 0;
    for (int v : Flowable.range(0, n).blockingIterable()) {
      sum += v;
    }
    return check(sum);
  }
}
