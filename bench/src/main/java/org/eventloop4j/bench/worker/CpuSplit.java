package org.eventloop4j.bench.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.worker.WorkerPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The seed's CPU job, Σ √i·sin i for i &lt; 10<sup>7</sup>, on the benchmark thread alone vs split in two
 * halves over two pool threads (Node: {@code bench/node/worker_pool.js}, row cpu_split: 687 ms alone, 392 ms on two workers, 1.74×).
 * One op is the whole job; the speed-up is {@code singleThread / eventloop4j}. The two-thread ForkJoinPool
 * is the JDK's best case for the same split.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class CpuSplit {
  static final int N = 10_000_000;

  private WorkerPool pool;
  private ExecutorService fjp;
  private EventLoop loop;

  @Setup(Level.Trial)
  public void setUp() {
    pool = WorkerPool.builder().threads(2).build();
    fjp = new ForkJoinPool(2);
    loop = EventLoop.create();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    pool.shutdownNow();
    fjp.shutdownNow();
    if (!pool.awaitTermination(Duration.ofSeconds(10)) || !fjp.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("a pool did not stop");
    }
  }

  /** The seed's worker function over [from, to). */
  static double work(int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += Math.sqrt(i) * Math.sin(i);
    }
    return s;
  }

  @Benchmark
  public double singleThread() {
    return work(0, N);
  }

  @Benchmark
  public double eventloop4j() {
    double[] sum = new double[1];
    loop.run(() -> Promise.all(pool.execute(h -> work(0, h), N / 2), pool.execute(h -> work(h, N), N / 2))
        .thenAccept(parts -> sum[0] = parts.get(0) + parts.get(1)));
    return sum[0];
  }

  @Benchmark
  public double forkJoinPool() throws InterruptedException, ExecutionException {
    List<Future<Double>> parts = List.of(fjp.submit(() -> work(0, N / 2)), fjp.submit(() -> work(N / 2, N)));
    return parts.get(0).get() + parts.get(1).get();
  }
}
