package org.eventloop4j.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
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
 * A burst: {@value #N} microtasks queued at once from one callback, then drained (Node:
 * {@code node/microtask_burst.js}). The queue grows to 10^6 entries, so this measures enqueue, growth and
 * drain. The peers queue the same burst onto their own loop from a task running on it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(MicrotaskBurst.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MicrotaskBurst {
  static final int N = 1_000_000;

  @Param("1000000")
  public int n;

  @Benchmark
  public int eventloop4j() {
    EventLoop loop = EventLoop.create();
    Count count = new Count();
    loop.run(() -> {
      for (int i = 0; i < n; i++) {
        loop.queueMicrotask(count);
      }
    });
    return Checks.equal(n, count.value, "microtasks run");
  }

  @Benchmark
  public int nettyNio(Peers.NettyNio peer) throws InterruptedException {
    return burst(peer.loop, n);
  }

  @Benchmark
  public int jdkSingleThread(Peers.JdkSingleThread peer) throws InterruptedException {
    return burst(peer.executor, n);
  }

  /** From a task on {@code executor}: submits {@code n} counting tasks, then one that ends the burst. */
  private static int burst(Executor executor, int n) throws InterruptedException {
    Count count = new Count();
    CountDownLatch done = new CountDownLatch(1);
    executor.execute(() -> {
      for (int i = 0; i < n; i++) {
        executor.execute(count);
      }
      executor.execute(done::countDown);
    });
    done.await();
    return Checks.equal(n, count.value, "tasks run");
  }

  /** Counts its runs; only ever run by one thread. */
  static final class Count implements Runnable {
    int value;

    @Override
    public void run() {
      value++;
    }
  }
}
