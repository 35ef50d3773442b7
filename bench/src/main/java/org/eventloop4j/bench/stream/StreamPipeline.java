package org.eventloop4j.bench.stream;

import static org.eventloop4j.bench.stream.StreamWorkloads.EVEN;
import static org.eventloop4j.bench.stream.StreamWorkloads.PLUS_1;
import static org.eventloop4j.bench.stream.StreamWorkloads.TIMES_3;

import io.reactivex.rxjava3.core.Flowable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.stream.AsyncStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import reactor.core.publisher.Flux;

/**
 * The seed-shaped 3-stage pipeline source → map(x * 3) → filter(even) → map(x + 1) → a counting consumer,
 * per source item (Node async generators: node/async_pipeline.js, 540 ns/item). eventloop4j runs it with
 * three kinds of source — synchronous ({@code range}: the fused stage is synchronous and the terminal
 * drains it in one microtask), an async iterator answering resolved promises (one reaction per step), and
 * an async generator like Node's (one body switch per item) — and with a {@code for await} consumer.
 * Peers on the same pipeline, all single-threaded on the benchmark thread: Reactor {@code Flux}, RxJava
 * {@code Flowable}, and a JDK {@code SubmissionPublisher} chain (direct executor); plus the JDK chain with
 * a thread per stage, its usual setting.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(StreamPipeline.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StreamPipeline {
  static final int N = 500_000;

  @Param("500000")
  public int n;

  private static int check(int n, long count) {
    if (count != StreamWorkloads.expected(n)) {
      throw new IllegalStateException("bad count " + count + " for n = " + n);
    }
    return (int) count;
  }

  private int runOnLoop(java.util.function.Function<long[], Object> pipeline) {
    long[] count = {0};
    EventLoop.create().run(() -> pipeline.apply(count));
    return check(n, count[0]);
  }

  /** Synchronous source: the fused stage never waits, the terminal drains it in one microtask. */
  @Benchmark
  public int eventloop4j() {
    return runOnLoop(count -> AsyncStream.range(0, n).map(TIMES_3).filter(EVEN).map(PLUS_1)
        .forEach(v -> count[0] += v > 0 ? 1 : 0));
  }

  /** An async iterator source answering resolved promises: one reaction per step for the fused stage. */
  @Benchmark
  public int ourAsyncIteratorSource() {
    return runOnLoop(count -> AsyncStream.from(StreamWorkloads.asyncRange(n)).map(TIMES_3).filter(EVEN).map(PLUS_1)
        .forEach(v -> count[0] += v > 0 ? 1 : 0));
  }

  /** An async generator source, as Node's: one body switch per item. */
  @Benchmark
  public int ourGeneratorSource() {
    return runOnLoop(count -> AsyncStream.from(StreamWorkloads.generatorRange(n)).map(TIMES_3).filter(EVEN).map(PLUS_1)
        .forEach(v -> count[0] += v > 0 ? 1 : 0));
  }

  /** Node's consumer: {@code for await} in an async body over the (synchronous) pipeline. */
  @Benchmark
  public int ourForAwaitConsumer() {
    return runOnLoop(count -> Async.async(() -> {
      for (int v : Async.forAwait(AsyncStream.range(0, n).map(TIMES_3).filter(EVEN).map(PLUS_1))) {
        count[0] += v > 0 ? 1 : 0;
      }
      return null;
    }));
  }

  @Benchmark
  public int reactorFlux() {
    long[] count = {0};
    Flux.range(0, n).map(TIMES_3).filter(EVEN).map(PLUS_1).subscribe(v -> count[0] += v > 0 ? 1 : 0);
    return check(n, count[0]);
  }

  @Benchmark
  public int rxJavaFlowable() {
    long[] count = {0};
    Flowable.range(0, n).map(TIMES_3::apply).filter(EVEN::test).map(PLUS_1::apply).subscribe(v -> count[0] += v > 0 ? 1 : 0);
    return check(n, count[0]);
  }

  @Benchmark
  public int jdkSubmissionPublisherDirect() {
    return check(n, StreamWorkloads.submissionChain(n, Runnable::run).join());
  }

  /**
   * The JDK chain with a thread per stage, its usual asynchronous setting (not the common pool: on 2 CPUs
   * that has one worker, which a stage blocked in submit() would starve).
   */
  @Benchmark
  public int jdkSubmissionPublisherThreads(Threads threads) {
    return check(n, StreamWorkloads.submissionChain(n, threads.pool).join());
  }

  /** Four threads for the JDK chain, for the whole trial. */
  @State(Scope.Benchmark)
  public static class Threads {
    ExecutorService pool;

    @Setup(Level.Trial)
    public void setUp() {
      pool = Executors.newFixedThreadPool(4);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      pool.shutdown();
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the JDK chain's threads did not stop");
      }
    }
  }
}
