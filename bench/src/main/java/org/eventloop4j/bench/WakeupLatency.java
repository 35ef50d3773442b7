package org.eventloop4j.bench;

import io.vertx.core.Context;
import io.vertx.core.Handler;
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
 * Wake-up latency: ping-pong with an idle loop, one message in flight, {@value #N} round trips per
 * invocation (Node: {@code node/wakeup_latency.js}). The benchmark thread posts a task with
 * {@code execute()} and spins until the loop has run it; the loop has nothing else to do, so each ping
 * finds it idle (asleep, unless its idle strategy spins first) and the score is mostly the cost of
 * waking it. The client spins rather than parks so that only the loop's wake-up is measured. On this kind
 * of VM a futex wake of an idle vCPU alone costs ≈17–20 µs (research/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(WakeupLatency.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class WakeupLatency {
  static final int N = 1000;

  @Param("1000")
  public int n;

  @Benchmark
  public int eventloop4j(Peers.StartedLoop peer) {
    return pingPong(peer.loop::execute, n);
  }

  @Benchmark
  public int nettyNio(Peers.NettyNio peer) {
    return pingPong(peer.loop, n);
  }

  @Benchmark
  public int nettyDefault(Peers.NettyDefault peer) {
    return pingPong(peer.loop, n);
  }

  @Benchmark
  public int jdkSingleThread(Peers.JdkSingleThread peer) {
    return pingPong(peer.executor, n);
  }

  @Benchmark
  public int vertx(Peers.VertxContext peer) {
    Context context = peer.context;
    Pong pong = new Pong();
    for (int i = 1; i <= n; i++) {
      context.runOnContext(pong);
      pong.awaitCount(i);
    }
    return pong.count;
  }

  private static int pingPong(Executor executor, int n) {
    Pong pong = new Pong();
    for (int i = 1; i <= n; i++) {
      executor.execute(pong);
      pong.awaitCount(i);
    }
    return pong.count;
  }

  /** The ping: the loop thread counts it; the client spins until it sees the count. */
  static final class Pong implements Runnable, Handler<Void> {
    private volatile int count;

    @Override
    public void run() {
      count = count + 1; // only the loop thread writes
    }

    @Override
    public void handle(Void ignored) {
      run();
    }

    void awaitCount(int expected) {
      while (count != expected) {
        Thread.onSpinWait();
      }
    }
  }
}
