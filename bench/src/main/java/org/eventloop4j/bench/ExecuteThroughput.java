package org.eventloop4j.bench;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
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
 * Cross-thread {@code execute()} throughput: the benchmark thread (one producer) posts {@value #N} tasks
 * to a loop running on its own thread, then an end marker, and waits until the loop has run it (Node:
 * {@code node/execute_throughput.js}, a worker posting messages to the main loop). Every task is the same
 * preallocated object, so the score is the hand-off alone: enqueue, wake-ups while the consumer catches
 * up, dequeue and run. The queues are unbounded; the producer may run ahead.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ExecuteThroughput.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ExecuteThroughput {
  static final int N = 1_000_000;

  @Param("1000000")
  public int n;

  @Benchmark
  public int eventloop4j(Peers.StartedLoop peer) throws InterruptedException {
    return flood(peer.loop::execute, n);
  }

  @Benchmark
  public int nettyNio(Peers.NettyNio peer) throws InterruptedException {
    return flood(peer.loop, n);
  }

  @Benchmark
  public int nettyDefault(Peers.NettyDefault peer) throws InterruptedException {
    return flood(peer.loop, n);
  }

  @Benchmark
  public int jdkSingleThread(Peers.JdkSingleThread peer) throws InterruptedException {
    return flood(peer.executor, n);
  }

  @Benchmark
  public int vertx(Peers.VertxContext peer) throws InterruptedException {
    Context context = peer.context;
    Work work = new Work();
    for (int i = 0; i < n; i++) {
      context.runOnContext(work);
    }
    context.runOnContext(work.done);
    work.done.await();
    return Checks.equal(n, work.count, "tasks run");
  }

  private static int flood(Executor executor, int n) throws InterruptedException {
    Work work = new Work();
    for (int i = 0; i < n; i++) {
      executor.execute(work);
    }
    executor.execute(work.done);
    work.done.await();
    return Checks.equal(n, work.count, "tasks run");
  }

  /** The posted task: counts its runs on the loop thread; {@code done} is posted last. */
  static final class Work implements Runnable, Handler<Void> {
    final Done done = new Done();
    int count;

    @Override
    public void run() {
      count++;
    }

    @Override
    public void handle(Void ignored) {
      count++;
    }
  }

  /** The end marker: its run happens-before {@link #await()} returns. */
  static final class Done implements Runnable, Handler<Void> {
    private final CountDownLatch latch = new CountDownLatch(1);

    @Override
    public void run() {
      latch.countDown();
    }

    @Override
    public void handle(Void ignored) {
      latch.countDown();
    }

    void await() throws InterruptedException {
      latch.await();
    }
  }
}
