package org.eventloop4j.bench;

import java.time.Duration;
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
 * A {@code setImmediate} chain: each callback schedules the next, so every step is one full loop turn
 * (timers, poll, check), {@value #N} per invocation (Node: {@code node/immediate_chain.js}, where a turn
 * includes an {@code epoll_wait}). The peers' equivalent of one turn is one task of a self-resubmitting
 * chain on their loop (the same code as in {@link MicrotaskChain}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ImmediateChain.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ImmediateChain {
  static final int N = 1_000_000;

  @Param("1000000")
  public int n;

  @Benchmark
  public int eventloop4j() {
    EventLoop loop = EventLoop.create();
    ImmediateStep step = new ImmediateStep(loop, n);
    loop.run(() -> loop.setImmediate(step));
    return Checks.zero(step.left);
  }

  /**
   * {@link #eventloop4j} with the blocked-loop detector on (threshold 10 s, never reached): what its
   * count per callback and its watchdog thread, started and joined with each run, cost a loop turn.
   */
  @Benchmark
  public int eventloop4jWatched() {
    EventLoop loop = EventLoop.builder().onBlocked(Duration.ofSeconds(10), b -> {
      throw new IllegalStateException("the chain blocked its loop: " + b);
    }).build();
    ImmediateStep step = new ImmediateStep(loop, n);
    loop.run(() -> loop.setImmediate(step));
    return Checks.zero(step.left);
  }

  @Benchmark
  public int nettyNio(Peers.NettyNio peer) throws InterruptedException {
    return Peers.ExecutorChain.run(peer.loop, n);
  }

  @Benchmark
  public int jdkSingleThread(Peers.JdkSingleThread peer) throws InterruptedException {
    return Peers.ExecutorChain.run(peer.executor, n);
  }

  /** One immediate of the chain: schedules itself again until it has run {@code n} times. */
  static final class ImmediateStep implements Runnable {
    private final EventLoop loop;
    int left;

    ImmediateStep(EventLoop loop, int n) {
      this.loop = loop;
      this.left = n;
    }

    @Override
    public void run() {
      if (--left > 0) {
        loop.setImmediate(this);
      }
    }
  }
}
