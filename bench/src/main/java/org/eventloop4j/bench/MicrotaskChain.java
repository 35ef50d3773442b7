package org.eventloop4j.bench;

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
 * Chained microtasks: each {@code queueMicrotask} callback queues the next, {@value #N} per invocation
 * (Node: {@code node/microtask_chain.js}). The peers run the same chain as a task that re-submits itself
 * to a single-threaded executor, which is the closest thing they have to a microtask queue; they run on
 * their own thread and the benchmark thread waits for the end of the chain (one wake-up per 10^6 steps).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(MicrotaskChain.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MicrotaskChain {
  static final int N = 1_000_000;

  @Param("1000000")
  public int n;

  @Benchmark
  public int eventloop4j() {
    EventLoop loop = EventLoop.create();
    MicrotaskStep step = new MicrotaskStep(loop, n);
    loop.run(() -> loop.queueMicrotask(step));
    return Checks.zero(step.left);
  }

  @Benchmark
  public int nettyNio(Peers.NettyNio peer) throws InterruptedException {
    return Peers.ExecutorChain.run(peer.loop, n);
  }

  @Benchmark
  public int nettyDefault(Peers.NettyDefault peer) throws InterruptedException {
    return Peers.ExecutorChain.run(peer.loop, n);
  }

  @Benchmark
  public int jdkSingleThread(Peers.JdkSingleThread peer) throws InterruptedException {
    return Peers.ExecutorChain.run(peer.executor, n);
  }

  @Benchmark
  public int vertx(Peers.VertxContext peer) throws InterruptedException {
    return Peers.VertxChain.run(peer.context, n);
  }

  /** One microtask of the chain: queues itself again until it has run {@code n} times. */
  static final class MicrotaskStep implements Runnable {
    private final EventLoop loop;
    int left;

    MicrotaskStep(EventLoop loop, int n) {
      this.loop = loop;
      this.left = n;
    }

    @Override
    public void run() {
      if (--left > 0) {
        loop.queueMicrotask(this);
      }
    }
  }
}
