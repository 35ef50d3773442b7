package org.eventloop4j.bench.worker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Throughput with {@value #WINDOW} trivial tasks in flight, {@value #N} per invocation (Node:
 * {@code bench/node/worker_pool.js}, row pool_throughput, a 1-worker pool that may post all 256 to its
 * worker; bare postMessage pipelining was 0.86 M messages/s = 1.16 µs per message in the issue). Ours:
 * inside {@code loop.run}, each settled promise submits the next task from the loop, so every task crosses
 * to a pool thread and back. JDK peers: each completion (on the pool thread) submits the next (the
 * continuation is attached before the task is submitted, so it runs on the pool thread that completes the
 * future and never nests; with the common ForkJoinPool the next task goes to that thread's own deque, so
 * nothing crosses threads), and the benchmark thread waits for the last. Vert.x
 * ({@code vertxExecuteBlocking}) keeps our contract: each result comes back to the submitting event loop,
 * whose handler submits the next task.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(PoolThroughput.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PoolThroughput {
  static final int N = 100_000;
  static final int WINDOW = 256;

  @Param("100000")
  public int n;

  @Param({"1", "2"})
  public int threads;

  private WorkerPool pool;
  private WorkerPool untimed;
  private ThreadPoolExecutor tpe;
  private EventLoop loop;
  private VertxBlocking vertx;

  private static final WorkerPool.Task<Integer, Integer> ECHO = x -> x;

  @Setup(Level.Trial)
  public void setUp() {
    pool = WorkerPool.builder().threads(threads).build();
    untimed = WorkerPool.builder().threads(threads).recordTiming(false).build();
    tpe = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
    tpe.prestartAllCoreThreads();
    loop = EventLoop.create();
    vertx = new VertxBlocking(threads);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    vertx.close();
    pool.shutdownNow();
    untimed.shutdownNow();
    tpe.shutdownNow();
    if (!pool.awaitTermination(Duration.ofSeconds(10)) || !untimed.awaitTermination(Duration.ofSeconds(10))
        || !tpe.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("a pool did not stop");
    }
  }

  @Benchmark
  public int eventloop4j() {
    return inLoop(pool);
  }

  /**
   * {@link #eventloop4j} on a pool built with {@code recordTiming(false)}: no wait- or run-time histograms,
   * so no clock read per task (two, at ≈ 25 ns each on this project's VM, with the default).
   */
  @Benchmark
  public int eventloop4jUntimed() {
    return inLoop(untimed);
  }

  private int inLoop(WorkerPool p) {
    int[] counts = {0, 0};
    loop.run(() -> {
      for (int i = 0; i < Math.min(WINDOW, n); i++) {
        submit(p, counts);
      }
    });
    return Expect.equal(n, counts[1], "tasks");
  }

  /** counts[0]: submitted, counts[1]: completed; loop-confined. */
  private void submit(WorkerPool p, int[] counts) {
    counts[0]++;
    p.execute(ECHO, counts[0]).thenAccept(v -> {
      counts[1]++;
      if (counts[0] < n) {
        submit(p, counts);
      }
    });
  }

  /** Vert.x with our contract: each result comes back to the submitting event loop (see {@link VertxBlocking}). */
  @Benchmark
  public int vertxExecuteBlocking() throws InterruptedException {
    return vertx.pipelined(n, WINDOW);
  }

  @Benchmark
  public int tpeCompletableFuture() throws InterruptedException {
    return pipelined(tpe, n);
  }

  @Benchmark
  public int forkJoinPool() throws InterruptedException {
    return pipelined(ForkJoinPool.commonPool(), n);
  }

  static int pipelined(Executor executor, int n) throws InterruptedException {
    AtomicInteger submitted = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    for (int i = 0; i < Math.min(WINDOW, n); i++) {
      lane(executor, n, submitted, completed, done);
    }
    done.await();
    return Expect.equal(n, completed.get(), "tasks");
  }

  private static void lane(Executor executor, int n, AtomicInteger submitted, AtomicInteger completed, CountDownLatch done) {
    int id = submitted.incrementAndGet();
    if (id > n) {
      return;
    }
    CompletableFuture<Integer> f = new CompletableFuture<>();
    f.whenComplete((v, e) -> {
      if (completed.incrementAndGet() == n) {
        done.countDown();
      } else {
        lane(executor, n, submitted, completed, done);
      }
    });
    executor.execute(() -> f.complete(id));
  }
}
