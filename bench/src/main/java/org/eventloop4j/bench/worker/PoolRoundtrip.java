package org.eventloop4j.bench.worker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.eventloop4j.worker.WorkerPool;
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

/**
 * Round trip of a trivial task, one in flight, {@value #N} per invocation: submit, run on a pool thread,
 * get the result back to the submitter, submit the next (Node: {@code bench/node/worker_pool.js}, row pool_roundtrip, a 1-worker pool; a bare worker round trip was 43.5 µs in the issue). Ours
 * runs inside {@code loop.run}: each result settles a promise on the loop, whose reaction submits the next
 * task. The JDK peers submit from the benchmark thread and {@code join()} each future; Vert.x's
 * {@code executeBlocking} submits from its event loop, where each result comes back, as ours does. {@code threads} is
 * the pool size (the common ForkJoinPool ignores it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(PoolRoundtrip.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PoolRoundtrip {
  static final int N = 2_000;

  @Param("2000")
  public int n;

  @Param({"1", "2"})
  public int threads;

  private WorkerPool pool;
  private ThreadPoolExecutor tpe;
  private EventLoop loop;
  private VertxBlocking vertx;

  private static final WorkerPool.Task<Integer, Integer> INC = x -> x + 1;

  @Setup(Level.Trial)
  public void setUp() {
    pool = WorkerPool.builder().threads(threads).build();
    tpe = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
    tpe.prestartAllCoreThreads();
    loop = EventLoop.create();
    vertx = new VertxBlocking(threads);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    vertx.close();
    pool.shutdownNow();
    tpe.shutdownNow();
    if (!pool.awaitTermination(Duration.ofSeconds(10)) || !tpe.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("a pool did not stop");
    }
  }

  @Benchmark
  public int eventloop4j() {
    int[] done = {0};
    loop.run(() -> step(0, done));
    return Expect.equal(n, done[0], "round trips");
  }

  private void step(int i, int[] done) {
    if (i == n) {
      done[0] = i;
      return;
    }
    pool.execute(INC, i).thenAccept(v -> step(v, done));
  }

  /** Vert.x with our contract: each result comes back to the submitting event loop (see {@link VertxBlocking}). */
  @Benchmark
  public int vertxExecuteBlocking() throws InterruptedException {
    return vertx.roundTrips(n);
  }

  @Benchmark
  public int tpeCompletableFuture() {
    return joinEach(tpe, n);
  }

  @Benchmark
  public int forkJoinPool() {
    return joinEach(ForkJoinPool.commonPool(), n);
  }

  static int joinEach(Executor executor, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      int x = v;
      v = CompletableFuture.supplyAsync(() -> x + 1, executor).join();
    }
    return Expect.equal(n, v, "round trips");
  }
}
